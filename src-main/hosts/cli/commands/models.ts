import type { ModelReport } from '../../../engine/sd/inspect';
import { PROVIDER_NAMES } from '../../../engine/sd/types';
import { choiceOption, parse, UsageError } from '../args';
import { runWithEngine } from '../engine-session';
import { formatHubRef, parseHubRef } from '../../../engine/jobs/hub-ref';
import { CURATED_MODELS } from '../../../services/hub/curated';
import { listCachedRepos, removeCachedRepo } from '../../../services/hub/hub-cache';
import { hubEnv } from '../../../services/hub/hub-env';
import { formatBytes } from '../../../services/hub/pull';
import { checkPulled, pullWithProgress, resolveCliModel } from '../hub-model';

import { providerSummary } from '../provider-text';

export const MODELS_USAGE = `latentblend models inspect DIR|OWNER/NAME|demo|demo-fast [--provider ${PROVIDER_NAMES.join('|')}] [--json]
  latentblend models pull OWNER/NAME[@REVISION] [--include GLOB]...   (Hugging Face Hub → HF cache)
  latentblend models list [--json]
  latentblend models remove OWNER/NAME`;

export function formatReport(r: ModelReport): string {
  const lines = [`${r.name ?? r.dir}${r.isDemo ? '' : ''}`, `  folder: ${r.dir}`];
  if (r.kind) lines.push(`  kind: ${r.kind}`);
  if (r.provider) {
    lines.push(`  provider: ${providerSummary(r.provider)}${r.provider.fallbackReason ? ` (requested ${r.provider.requested}: ${r.provider.fallbackReason})` : ''}`);
    if (r.provider.choice) lines.push(`  provider choice: ${r.provider.choice}`);
  }
  if (r.tokenizer) lines.push(`  tokenizer: ${r.tokenizer.vocabSize} tokens, pad id ${r.tokenizer.padId}, length ${r.tokenizer.maxLength}`);
  if (r.scheduler) lines.push(`  scheduler: ${r.scheduler.predictionType}, ${r.scheduler.timestepSpacing} spacing, ${r.scheduler.numTrainTimesteps} train steps`);
  if (r.defaultScheduler) {
    const d = r.defaultScheduler;
    lines.push(`  default scheduler: ${d.kind}${d.fallbackReason ? ` (${d.fallbackReason}; choose another with --scheduler)` : ` (the folder's ${d.className})`}`);
  }
  if (r.fewStep) lines.push(`  few-step model: ${r.fewStep.reason}; suggested ${r.fewStep.steps} steps, guidance ${r.fewStep.guidance}, fast transitions`);
  for (const c of r.components) {
    const ext = c.externalData.map((e) => ` + ${e.file.split('/').pop()} ${formatBytes(e.bytes)}`).join('');
    lines.push(`  ${c.component}: ${formatBytes(c.bytes)}${ext}${c.error ? '  FAILS' : ''}`);
    const io = (list: typeof c.inputs) => (list ?? []).map((t) => `${t.name} ${t.type}[${t.shape.join(',')}]`).join(', ');
    if (c.inputs) lines.push(`    in:  ${io(c.inputs)}`, `    out: ${io(c.outputs)}`);
  }
  for (const e of r.errors) lines.push(`  error: ${e.message}${e.hint ? ` Fix: ${e.hint}` : ''}`);
  lines.push(r.loads ? '  loads: yes' : '  loads: NO');
  return lines.join('\n');
}

function curatedList(): string {
  return CURATED_MODELS.map((m) => `    ${m.repo.padEnd(42)} ${m.title}, ~${formatBytes(m.bytes)} (${m.note})`).join('\n');
}

async function pullCommand(rest: string[]): Promise<number> {
  const { values, positionals } = parse(rest, { include: { type: 'string', multiple: true } }, true);
  if (positionals.length !== 1) throw new UsageError(`models pull needs one repo, OWNER/NAME[@REVISION]. Stable Diffusion 2.x ONNX exports on the Hub:\n${curatedList()}`);
  const ref = parseHubRef(positionals[0]);
  if (!ref) throw new UsageError(`'${positionals[0]}' is not a Hub repo id: write OWNER/NAME or OWNER/NAME@REVISION (e.g. ${CURATED_MODELS[0].repo}).`);
  const result = await pullWithProgress(ref, values.include);
  await checkPulled(result, { keepFiles: Boolean(values.include?.length) });
  const what = result.alreadyCached
    ? 'already in the cache'
    : `${result.files} files, ${formatBytes(result.downloadedBytes)} downloaded${result.resumedFiles ? `, ${result.resumedFiles} resumed` : ''}`;
  process.stderr.write(`${formatHubRef(ref)} @ ${result.commit.slice(0, 10)} → ${result.dir} (${what})\n`);
  process.stdout.write(`${result.dir}\n`);
  return 0;
}

async function listCommand(rest: string[]): Promise<number> {
  const { values } = parse(rest, { json: { type: 'boolean' } });
  const env = hubEnv();
  const repos = await listCachedRepos(env.cacheDir);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ cacheDir: env.cacheDir, repos }, null, 2)}\n`);
    return 0;
  }
  const lines = [`Hugging Face cache: ${env.cacheDir}${env.offline ? ' (HF_HUB_OFFLINE=1)' : ''}`];
  if (repos.length === 0) lines.push(`  no models yet. Pull one, e.g.: latentblend models pull ${CURATED_MODELS[0].repo}`);
  for (const r of repos) {
    const refs = Object.entries(r.refs).map(([name, commit]) => `${name}=${commit.slice(0, 10)}`).join(' ');
    const usable = r.snapshots.some((s) => s.usable);
    const state = r.snapshots.length === 0 ? 'partial download' : usable ? 'ready' : `not usable: ${r.snapshots[0].problem ?? ''}`;
    const partial = r.partialBytes ? `, ${formatBytes(r.partialBytes)} partial (pull again to resume)` : '';
    lines.push(`  ${r.repo.padEnd(42)} ${formatBytes(r.bytes).padStart(9)}  ${state}${refs ? `  [${refs}]` : ''}${partial}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

function removeCommand(rest: string[]): number {
  const { positionals } = parse(rest, {}, true);
  const ref = positionals.length === 1 ? parseHubRef(positionals[0]) : undefined;
  if (!ref) throw new UsageError(`models remove needs one repo id, OWNER/NAME.`);
  const dir = removeCachedRepo(hubEnv().cacheDir, ref.repo);
  process.stderr.write(`removed ${ref.repo} (${dir})\n`);
  return 0;
}

export async function modelsCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'pull') return pullCommand(rest);
  if (sub === 'list') return listCommand(rest);
  if (sub === 'remove') return removeCommand(rest);
  if (sub !== 'inspect') throw new UsageError(`unknown models subcommand '${sub ?? ''}'. Run 'latentblend --help' for the options.`);
  const { values, positionals } = parse(rest, { provider: { type: 'string' }, json: { type: 'boolean' } }, true);
  if (positionals.length !== 1) throw new UsageError(`models inspect needs one folder. Run 'latentblend --help' for the options.`);
  const target = positionals[0];
  const provider = choiceOption('provider', values.provider, 'cpu', PROVIDER_NAMES);
  const model =
    target === 'demo' ? { kind: 'demo' as const }
    : target === 'demo-inpainting' ? { kind: 'demo-inpainting' as const }
    : target === 'demo-fast' ? { kind: 'demo-fast' as const }
    : await resolveCliModel(target);
  const report = await runWithEngine({ kind: 'inspect', model, provider });
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
  return report.loads ? 0 : 1;
}
