import { encodePng } from '../../../media/png';
import { writeFileAtomic } from '../../../project/atomicWrite';
import { KEYFRAME_DEFAULTS } from '../../../engine/jobs/keyframe';
import type { ModelRef } from '../../../engine/jobs/model-ref';
import { SCHEDULER_KINDS } from '../../../engine/scheduler/config';
import { PROVIDER_NAMES } from '../../../engine/sd/types';
import { choiceOption, intOption, numberOption, parse, sessionOptions, UsageError } from '../args';
import { runWithEngine } from '../engine-session';
import { checkOutputPath } from '../output-path';
import { providerNote, providerSummary } from '../provider-text';

export const KEYFRAME_USAGE = `latentblend keyframe --prompt TEXT [--negative TEXT] [--seed N] [--steps N] [--guidance G]
    [--width W] [--height H] [--scheduler ddim|dpmpp-2m] [--model DIR] [--provider ${PROVIDER_NAMES.join('|')}]
    [--threads N] -o out.png`;

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
  });
  if (values.prompt === undefined) throw new UsageError(`keyframe needs --prompt TEXT. Run 'latentblend --help' for the options.`);
  if (!values.output) throw new UsageError(`keyframe needs -o out.png. Run 'latentblend --help' for the options.`);
  if (!/\.png$/i.test(values.output)) throw new UsageError(`-o ${values.output}: keyframes are written as PNG; use a .png file name.`);
  const output = checkOutputPath(values.output);
  const model: ModelRef = values.model ? { kind: 'path', path: values.model } : { kind: 'demo' };
  const size = (name: string, v: string | undefined) => {
    const n = intOption(name, v, 512, 64, 4096);
    if (n % 8 !== 0) throw new UsageError(`--${name} must be a multiple of 8, got ${n}.`);
    return n;
  };
  const provider = choiceOption('provider', values.provider, 'auto', PROVIDER_NAMES);
  const { intraOpNumThreads } = sessionOptions({ threads: values.threads });
  const job = {
    kind: 'keyframe' as const,
    model,
    session: { provider, intraOpNumThreads },
    prompt: values.prompt,
    negativePrompt: values.negative ?? '',
    seed: intOption('seed', values.seed, KEYFRAME_DEFAULTS.seed, 0, 2 ** 32 - 1),
    steps: intOption('steps', values.steps, KEYFRAME_DEFAULTS.steps, 1, 1000),
    guidance: numberOption('guidance', values.guidance, KEYFRAME_DEFAULTS.guidance, 0, 50),
    width: size('width', values.width),
    height: size('height', values.height),
    scheduler: choiceOption('scheduler', values.scheduler, 'ddim', SCHEDULER_KINDS),
  };
  const result = await runWithEngine(job);
  await writeFileAtomic(output, encodePng(result.image));
  const notes: string[] = [];
  if (result.droppedWords.length) notes.push(`prompt over 77 tokens: dropped "${result.droppedWords.join(' ')}"`);
  if (result.negativeDroppedWords.length) notes.push(`negative prompt over 77 tokens: dropped "${result.negativeDroppedWords.join(' ')}"`);
  const providerLine = providerNote(provider, result.provider);
  if (providerLine) notes.push(providerLine);
  for (const note of notes) process.stderr.write(`note: ${note}\n`);
  process.stderr.write(
    `${output} (${result.width}×${result.height}, ${result.modelName}, ${providerSummary(result.provider)}, ${(result.stats.totalMs / 1000).toFixed(2)} s)\n`,
  );
  return 0;
}
