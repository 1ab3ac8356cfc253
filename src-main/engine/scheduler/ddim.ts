import type { SchedulerConfig, TimestepSpacing } from './config';
import { ddimTimesteps } from './timesteps';
import type { DdimSchedule, StepResult } from './types';

const f = Math.fround;

/** DDIMScheduler.set_timesteps plus the ᾱ pairs each step needs (float32, as torch indexes them). */
export function makeDdimSchedule(
  cfg: SchedulerConfig,
  alphasCumprod: Float32Array,
  numSteps: number,
  spacing: TimestepSpacing,
): DdimSchedule {
  const T = cfg.numTrainTimesteps;
  const timesteps = ddimTimesteps(T, numSteps, spacing, cfg.stepsOffset);
  // diffusers steps back by T // N whatever the spacing, so trailing/linspace steps may land
  // a timestep or two away from the next listed one; mirrored to keep results identical.
  const stride = Math.floor(T / numSteps);
  const finalAlphaProd = cfg.setAlphaToOne ? 1 : alphasCumprod[0];
  const prevTimesteps = timesteps.map((t) => t - stride);
  return {
    kind: 'ddim',
    numSteps,
    timesteps,
    numTrainTimesteps: T,
    predictionType: cfg.predictionType,
    timestepSpacing: spacing,
    initNoiseSigma: 1,
    prevTimesteps,
    alphaProd: timesteps.map((t) => alphasCumprod[t]),
    alphaProdPrev: prevTimesteps.map((p) => (p >= 0 ? alphasCumprod[p] : finalAlphaProd)),
    ...(cfg.clipSample ? { clipSampleRange: f(cfg.clipSampleRange) } : {}),
  };
}

/**
 * DDIMScheduler.step with η = 0: predict x0 (and ε) from the model output, optionally clamp
 * x0, then move deterministically to the previous timestep:
 * x_prev = √ᾱ_prev·x0 + √(1 − ᾱ_prev)·ε. Float32 rounding follows torch's op order.
 */
export function ddimStep(schedule: DdimSchedule, index: number, sample: Float32Array, modelOutput: Float32Array): StepResult {
  const alphaProd = schedule.alphaProd[index];
  const alphaProdPrev = schedule.alphaProdPrev[index];
  const sqrtAlpha = f(Math.sqrt(alphaProd));
  const sqrtBeta = f(Math.sqrt(f(1 - alphaProd)));
  const sqrtAlphaPrev = f(Math.sqrt(alphaProdPrev));
  const directionScale = f(Math.sqrt(f(1 - alphaProdPrev)));
  const clip = schedule.clipSampleRange;
  const n = sample.length;
  const denoised = new Float32Array(n);
  const prevSample = new Float32Array(n);
  const velocity = schedule.predictionType === 'v_prediction';

  if (!velocity && clip === undefined) {
    // The common case (SD 2 base, epsilon, no clipping) without per-element branches: this
    // loop runs once per image per step on the engine's hot path.
    for (let j = 0; j < n; j++) {
      const out = modelOutput[j];
      const x0 = f(f(sample[j] - f(sqrtBeta * out)) / sqrtAlpha);
      denoised[j] = x0;
      prevSample[j] = f(sqrtAlphaPrev * x0) + f(directionScale * out);
    }
    return { prevSample, denoised, history: { index, denoised } };
  }
  for (let j = 0; j < n; j++) {
    const x = sample[j];
    const out = modelOutput[j];
    let x0: number;
    let eps: number;
    if (velocity) {
      x0 = f(f(sqrtAlpha * x) - f(sqrtBeta * out));
      eps = f(f(sqrtAlpha * out) + f(sqrtBeta * x));
    } else {
      x0 = f(f(x - f(sqrtBeta * out)) / sqrtAlpha);
      eps = out;
    }
    if (clip !== undefined) x0 = Math.min(Math.max(x0, -clip), clip);
    denoised[j] = x0;
    prevSample[j] = f(sqrtAlphaPrev * x0) + f(directionScale * eps);
  }
  return { prevSample, denoised, history: { index, denoised } };
}
