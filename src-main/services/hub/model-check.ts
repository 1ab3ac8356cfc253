import type { ModelReport } from '../../engine/sd/inspect';
import { AppError } from '../errors';
import { CURATED_MODELS } from './curated';

/**
 * After a download: the model must load on the CPU provider (what every machine has). A repo
 * whose graphs use fused contrib operators that only a GPU provider implements, or that is not a
 * loadable SD 2.x folder, is refused with one line saying what it is and what to pick instead.
 * The files stay in the shared cache (another tool may use them on a GPU).
 */
export function refusalFor(name: string, report: ModelReport): AppError | undefined {
  if (report.loads) return undefined;
  const cpuExports = CURATED_MODELS.filter((m) => m.kind === (report.kind ?? 'text-to-image')).map((m) => m.repo);
  const pick = `Pick a CPU-compatible ONNX export${cpuExports.length ? ` such as ${cpuExports.join(' or ')}` : ''}; 'latentblend models remove ${name}' deletes the files.`;
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
