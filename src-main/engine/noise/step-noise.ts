import { TorchCpuGenerator } from './torch-generator';

/** A trajectory's fresh noise for each step (Euler ancestral): step index → standard normal draw. */
export type StepNoise = (step: number) => Float32Array;

/**
 * The per-step draws of a trajectory seeded with `seed`, as diffusers makes them: one
 * `torch.Generator().manual_seed(seed)` draws the start noise (= torchRandn(dims, seed)) and
 * then, continuing its stream, one randn of the latent's shape at every step. Draws are
 * computed on first use and kept, so any step can be asked for in any order.
 */
export function seededStepNoise(seed: number, dims: readonly number[]): StepNoise {
  const generator = new TorchCpuGenerator(seed);
  generator.randn(dims); // the start noise
  const draws: Float32Array[] = [];
  return (step: number) => {
    if (!Number.isInteger(step) || step < 0) throw new RangeError(`step noise: step ${String(step)} must be a whole number ≥ 0.`);
    while (draws.length <= step) draws.push(generator.randn(dims));
    return draws[step];
  };
}
