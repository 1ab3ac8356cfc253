import type { SchedulerConfig } from './config';

/**
 * The training noise schedule ᾱ_t = ∏(1 − β_s), computed the way diffusers does it with torch
 * on the CPU so that step constants agree with the Python tools to float32 precision:
 * betas are a float32 tensor, and torch's CPU cumprod multiplies in double
 * (at::acc_type<float, false>, the CPU accumulate type, is double) and stores each prefix as float32.
 */
export function alphasCumprod(cfg: SchedulerConfig): Float32Array {
  const betas = trainingBetas(cfg);
  const out = new Float32Array(betas.length);
  let product = 1;
  for (let i = 0; i < betas.length; i++) {
    product *= Math.fround(1 - betas[i]);
    out[i] = product;
  }
  return out;
}

/** diffusers' `self.betas` for each beta_schedule, in float32. */
export function trainingBetas(cfg: SchedulerConfig): Float32Array {
  const T = cfg.numTrainTimesteps;
  if (cfg.trainedBetas) return Float32Array.from(cfg.trainedBetas);
  switch (cfg.betaSchedule) {
    case 'linear':
      return torchLinspaceFloat32(cfg.betaStart, cfg.betaEnd, T);
    case 'scaled_linear': {
      const roots = torchLinspaceFloat32(Math.sqrt(cfg.betaStart), Math.sqrt(cfg.betaEnd), T);
      return roots.map((r) => r * r);
    }
    case 'squaredcos_cap_v2':
      return cosineBetas(T);
  }
}

/**
 * torch.linspace(start, end, steps, dtype=float32) on the CPU (RangeFactoriesKernel.cpp
 * linspace_kernel, AVX2 build): a float32 step; the first half counted up from start and the
 * second half down from end. The vectorised loop takes pairs of 8-float vectors, each starting
 * at a value computed with one fused multiply-add (the compiler contracts start + step·idx),
 * then base + j·step within the vector; the elements left over take the scalar formula. Checked
 * against torch's own output for SD 2's √β schedule (testdata/euler_reference.py): an unfused
 * version differs from torch in the last bit of 128 of the 1000 values, and so in ᾱ[999].
 */
export function torchLinspaceFloat32(start: number, end: number, steps: number): Float32Array {
  const f = Math.fround;
  const out = new Float32Array(steps);
  if (steps === 1) {
    out[0] = start;
    return out;
  }
  const s = f(start);
  const e = f(end);
  const step = f(f(e - s) / (steps - 1));
  const halfway = Math.floor(steps / 2);
  // a·b is exact in double for a float32 step and an index below 2^24, so this is one rounding.
  const fused = (idx: number): number => (idx < halfway ? f(step * idx + s) : f(-step * (steps - idx - 1) + e));
  let i = 0;
  for (; i <= steps - 2 * TORCH_FLOAT_VECTOR; i += 2 * TORCH_FLOAT_VECTOR) {
    for (const at of [i, i + TORCH_FLOAT_VECTOR]) {
      const base = fused(at);
      for (let j = 0; j < TORCH_FLOAT_VECTOR; j++) out[at + j] = base + f(j * step);
    }
  }
  for (; i < steps; i++) out[i] = fused(i);
  return out;
}

/** Floats per AVX2 vector (at::vec::Vectorized<float>::size()). */
const TORCH_FLOAT_VECTOR = 8;

/**
 * diffusers' betas_for_alpha_bar with the cosine ᾱ of Nichol & Dhariwal (2021): computed in
 * double, capped at 0.999, then stored as float32.
 */
function cosineBetas(T: number): Float32Array {
  const alphaBar = (t: number): number => Math.cos(((t + 0.008) / 1.008) * (Math.PI / 2)) ** 2;
  const out = new Float32Array(T);
  for (let i = 0; i < T; i++) out[i] = Math.min(1 - alphaBar((i + 1) / T) / alphaBar(i / T), 0.999);
  return out;
}
