import { encodePng } from '../../../media/png';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { cancelledError } from '../../../engine/errors';
import { hasPngSignature } from '../../../media/png';
import { assertNotSystemFolder } from '../../../media/system-folders';
import { writeFileAtomic } from '../../../project/atomic-write';
import { commandInterrupt } from '../interrupt';
import { KEYFRAME_DEFAULTS } from '../../../engine/jobs/keyframe';
import type { ModelRef } from '../../../engine/jobs/model-ref';
import { SCHEDULER_KINDS } from '../../../engine/scheduler/config';
import { PROVIDER_NAMES } from '../../../engine/sd/types';
import { choiceOption, intOption, numberOption, parse, sessionOptions, UsageError } from '../args';
import { runWithEngine } from '../engine-session';
import { resolveCliModel } from '../hub-model';
import { checkOutputPath } from '../output-path';
import { providerNote, providerSummary } from '../provider-text';

export const KEYFRAME_USAGE = `latentblend keyframe --prompt TEXT [--negative TEXT] [--seed N] [--steps N] [--guidance G]
    [--width W] [--height H] [--scheduler ddim|dpmpp-2m|euler|euler-ancestral] [--model DIR|OWNER/NAME] [--provider ${PROVIDER_NAMES.join('|')}]
    [--threads N] -o out.png [--force]   (--force replaces a file there that is not a PNG)`;

export async function keyframeCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    prompt: { type: 'string' },
    negative: { type: 'string' },
    seed: { type: 'string' },
    steps: { type: 'string' },
    guidance: { type: 'string' },
    width: { type: 'string' },
    height: { type: 'string' },
    scheduler: { type: 'string' },
    model: { type: 'string' },
    provider: { type: 'string' },
    threads: { type: 'string' },
    output: { type: 'string', short: 'o' },
    force: { type: 'boolean' },
  });
  if (values.prompt === undefined) throw new UsageError(`keyframe needs --prompt TEXT. Run 'latentblend --help' for the options.`);
  if (!values.output) throw new UsageError(`keyframe needs -o out.png. Run 'latentblend --help' for the options.`);
  if (!/\.png$/i.test(values.output)) throw new UsageError(`-o ${values.output}: keyframes are written as PNG; use a .png file name.`);
  const output = checkOutputPath(values.output);
  assertNotSystemFolder(output, 'file');
  if (!values.force && !isReplaceablePng(output)) {
    throw new UsageError(`${output} already exists and is not a PNG image; it was not replaced. Choose another file name, or add --force to replace it.`);
  }
  const size = (name: string, v: string | undefined) => {
    const n = intOption(name, v, 512, 64, 4096);
    if (n % 8 !== 0) throw new UsageError(`--${name} must be a multiple of 8, got ${n}.`);
    return n;
  };
  const provider = choiceOption('provider', values.provider, 'auto', PROVIDER_NAMES);
  const { intraOpNumThreads } = sessionOptions({ threads: values.threads });
  const job = {
    kind: 'keyframe' as const,
    model: { kind: 'demo' } as ModelRef,
    session: { provider, intraOpNumThreads },
    prompt: values.prompt,
    negativePrompt: values.negative ?? '',
    seed: intOption('seed', values.seed, KEYFRAME_DEFAULTS.seed, 0, 2 ** 32 - 1),
    steps: intOption('steps', values.steps, KEYFRAME_DEFAULTS.steps, 1, 1000),
    guidance: numberOption('guidance', values.guidance, KEYFRAME_DEFAULTS.guidance, 0, 50),
    width: size('width', values.width),
    height: size('height', values.height),
    // Without --scheduler the model folder's own scheduler runs (DDIM when the engine lacks it).
    scheduler: values.scheduler === undefined ? undefined : choiceOption('scheduler', values.scheduler, SCHEDULER_KINDS[0], SCHEDULER_KINDS),
  };
  // A folder, or a Hub repo owner/name[@revision] (pulled into the Hugging Face cache if needed),
  // resolved once every other argument is known to be valid.
  job.model = await resolveCliModel(values.model);
  const result = await runWithEngine(job);
  // The last moment a Ctrl-C still counts; after it the file is written and the command succeeds.
  if (!commandInterrupt().commit()) throw cancelledError('The command');
  await writeFileAtomic(output, encodePng(result.image));
  const notes: string[] = [];
  if (result.droppedWords.length) notes.push(`prompt over 77 tokens: dropped "${result.droppedWords.join(' ')}"`);
  if (result.negativeDroppedWords.length) notes.push(`negative prompt over 77 tokens: dropped "${result.negativeDroppedWords.join(' ')}"`);
  const providerLine = providerNote(provider, result.provider);
  if (providerLine) notes.push(providerLine);
  if (result.schedulerFallbackReason) notes.push(`scheduler: ${result.schedulerFallbackReason}`);
  for (const note of notes) process.stderr.write(`note: ${note}\n`);
  process.stderr.write(
    `${output} (${result.width}×${result.height}, ${result.modelName}, ${providerSummary(result.provider)}, ${(result.stats.totalMs / 1000).toFixed(2)} s)\n`,
  );
  return 0;
}

/** Nothing there, an empty file, or a PNG: what `-o` may replace without --force. */
function isReplaceablePng(file: string): boolean {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return true;
  }
  if (size === 0) return true;
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(8);
    readSync(fd, head, 0, 8, 0);
    return hasPngSignature(head);
  } finally {
    closeSync(fd);
  }
}
