import { rmSync } from 'node:fs';
import { AppError } from '../errors';
import { CURATED_MODELS } from './curated';
import { repoCacheDir } from './hub-cache';
import type { PullResult } from './pull';

/**
 * After a download: the model must load on the CPU provider (what every machine has). A repo
 * whose graphs use fused contrib operators that only a GPU provider implements, or that is not a
 * loadable SD 2.x folder, is refused with one line saying what it is and what to pick instead.
 * A refused repo that this pull brought into the cache is removed again, so nothing unusable
 * lingers where a model is expected; one that was cached before (by Python tools, say) stays.
 */
/** What the check reads of a models-inspect report (the engine's and the contract's both fit). */
export interface InspectOutcome {
  readonly loads: boolean;
  readonly kind?: string;
  readonly errors: readonly { code: string; message: string }[];
}

export function refusalFor(name: string, report: InspectOutcome): AppError | undefined {
  if (report.loads) return undefined;
  const cpuExports = CURATED_MODELS.filter((m) => m.kind === (report.kind ?? 'text-to-image')).map((m) => m.repo);
  const pick = `Pick a CPU-compatible ONNX export${cpuExports.length ? ` such as ${cpuExports.join(' or ')}` : ''}.`;
  const gpuOnly = report.errors.find((e) => e.code === 'MODEL_UNSUPPORTED_OP');
  if (gpuOnly) {
    const op = /operator (\w+)/.exec(gpuOnly.message)?.[1] ?? 'a fused operator';
    return new AppError('MODEL_GPU_ONLY', `${name} is built for a GPU provider only: its graphs use ${op}, a fused contrib operator the CPU provider lacks.`, {
      hint: `Run it with --provider cuda on an NVIDIA GPU, or ${pick.charAt(0).toLowerCase()}${pick.slice(1)}`,
    });
  }
  const first = report.errors[0];
  return new AppError('MODEL_NOT_SD2_ONNX', `${name} is not a usable Stable Diffusion 2.x ONNX model: ${first?.message ?? 'it does not load'}`, { hint: pick });
}

/** Refuse a pulled model that does not load; undo the download when this pull made it. */
export function refusePulled(name: string, result: PullResult, cacheDir: string, report: InspectOutcome, options: { keepFiles?: boolean } = {}): void {
  const refusal = refusalFor(name, report);
  if (!refusal) return;
  // A pull limited by --include asked for those files on purpose: refuse, but keep them.
  if (result.newInCache && !options.keepFiles) {
    rmSync(repoCacheDir(cacheDir, result.ref.repo), { recursive: true, force: true });
    refusal.message += ' The download was removed.';
  }
  throw refusal;
}
