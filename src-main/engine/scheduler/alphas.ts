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
 * linspace_kernel): a float32 step, the first half counted up from start and the second half
 * down from end, every operation rounded to float32.
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
  for (let i = 0; i < steps; i++) {
    out[i] = i < halfway ? s + f(step * i) : e - f(step * (steps - i - 1));
  }
  return out;
}

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
