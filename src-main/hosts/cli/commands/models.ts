import type { ModelReport } from '../../../engine/sd/inspect';
import { PROVIDER_NAMES } from '../../../engine/sd/types';
import { choiceOption, parse, UsageError } from '../args';
import { runWithEngine } from '../engine-session';
import { providerSummary } from '../provider-text';

export const MODELS_USAGE = `latentblend models inspect DIR|demo [--provider ${PROVIDER_NAMES.join('|')}] [--json]`;

function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e3).toFixed(1)} kB`;
}

export function formatReport(r: ModelReport): string {
  const lines = [`${r.name ?? r.dir}${r.isDemo ? '' : ''}`, `  folder: ${r.dir}`];
  if (r.kind) lines.push(`  kind: ${r.kind}`);
  if (r.provider) {
    lines.push(`  provider: ${providerSummary(r.provider)}${r.provider.fallbackReason ? ` (requested ${r.provider.requested}: ${r.provider.fallbackReason})` : ''}`);
    if (r.provider.choice) lines.push(`  provider choice: ${r.provider.choice}`);
  }
  if (r.tokenizer) lines.push(`  tokenizer: ${r.tokenizer.vocabSize} tokens, pad id ${r.tokenizer.padId}, length ${r.tokenizer.maxLength}`);
  if (r.scheduler) lines.push(`  scheduler: ${r.scheduler.predictionType}, ${r.scheduler.timestepSpacing} spacing, ${r.scheduler.numTrainTimesteps} train steps`);
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

export async function modelsCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'inspect') throw new UsageError(`unknown models subcommand '${sub ?? ''}'. Run 'latentblend --help' for the options.`);
  const { values, positionals } = parse(rest, { provider: { type: 'string' }, json: { type: 'boolean' } }, true);
  if (positionals.length !== 1) throw new UsageError(`models inspect needs one folder. Run 'latentblend --help' for the options.`);
  const target = positionals[0];
  const provider = choiceOption('provider', values.provider, 'cpu', PROVIDER_NAMES);
  const model = target === 'demo' ? { kind: 'demo' as const } : target === 'demo-inpainting' ? { kind: 'demo-inpainting' as const } : { kind: 'path' as const, path: target };
  const report = await runWithEngine({ kind: 'inspect', model, provider });
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
  return report.loads ? 0 : 1;
}
