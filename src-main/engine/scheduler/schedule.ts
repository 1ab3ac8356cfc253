import { alphasCumprod } from './alphas';
import { resolveTimestepSpacing, SCHEDULER_KINDS, type SchedulerConfig, type SchedulerKind } from './config';
import { ddimStep, makeDdimSchedule } from './ddim';
import { dpmSolverStep, makeDpmSolverSchedule } from './dpm-solver';
import { eulerAncestralStep, eulerModelInput, eulerStep, makeEulerSchedule } from './euler';
import type { Schedule, StepHistory, StepResult } from './types';

/**
 * DDIM and DPM-Solver++ start from unscaled unit Gaussian noise (diffusers' init_noise_sigma = 1);
 * Euler schedules carry their own (`schedule.initNoiseSigma`).
 */
export const INIT_NOISE_SIGMA = 1;

/**
 * Precomputes everything a sampling run needs: the UNet timestep of every step and the
 * per-step constants. Pure: the same arguments always give an equal schedule.
 */
export function makeSchedule(cfg: SchedulerConfig, kind: SchedulerKind, numSteps: number): Schedule {
  if (!(SCHEDULER_KINDS as readonly string[]).includes(kind)) {
    throw new RangeError(`Unknown scheduler "${String(kind)}": use one of ${SCHEDULER_KINDS.map((k) => `"${k}"`).join(', ')}.`);
  }
  const T = cfg.numTrainTimesteps;
  if (!Number.isInteger(numSteps) || numSteps < 1 || numSteps > T) {
    throw new RangeError(`${kind}: ${String(numSteps)} steps is not possible; choose a whole number from 1 to ${T} (num_train_timesteps).`);
  }
  const spacing = resolveTimestepSpacing(cfg, kind);
  const alphas = alphasCumprod(cfg);
  const schedule: Schedule =
    kind === 'ddim'
      ? makeDdimSchedule(cfg, alphas, numSteps, spacing)
      : kind === 'dpmpp-2m'
        ? makeDpmSolverSchedule(cfg, alphas, numSteps, spacing)
        : makeEulerSchedule(cfg, alphas, numSteps, spacing, kind);
  // Euler's "linspace" timesteps are fractional (the UNet's time embedding takes floats).
  const wholeTimesteps = kind === 'ddim' || kind === 'dpmpp-2m';
  checkTimesteps(schedule.timesteps, numSteps, T, `${kind} with ${numSteps} steps and "${spacing}" timestep spacing`, wholeTimesteps);
  return schedule;
}

/**
 * Advances one trajectory by step `index` (0 … numSteps-1) given the UNet's output at
 * `schedule.timesteps[index]`. Stateless: multistep memory travels in `history`. Pass the
 * previous call's `history` for the next step of the same trajectory; pass undefined when a
 * trajectory starts, also when it starts at step k > 0 from an injected latent (latent
 * blending) — DPM-Solver++ then takes a first-order step there, exactly like a fresh diffusers
 * run whose first step is k. A history from any step other than index − 1 is ignored.
 * `noise` is the standard normal draw Euler ancestral adds at this step (required there,
 * unused by the others).
 */
export function schedulerStep(
  schedule: Schedule,
  index: number,
  sample: Float32Array,
  modelOutput: Float32Array,
  history?: StepHistory,
  noise?: Float32Array,
): StepResult {
  if (!Number.isInteger(index) || index < 0 || index >= schedule.numSteps) {
    throw new RangeError(`schedulerStep: step ${String(index)} is outside 0…${schedule.numSteps - 1} of this ${schedule.numSteps}-step schedule.`);
  }
  if (modelOutput.length !== sample.length) {
    throw new RangeError(`schedulerStep: the model output has ${modelOutput.length} values but the latent has ${sample.length}; they must match.`);
  }
  if (history && history.index === index - 1 && history.denoised.length !== sample.length) {
    throw new RangeError(`schedulerStep: history from step ${history.index} has ${history.denoised.length} values but the latent has ${sample.length}; pass the history of this same trajectory.`);
  }
  switch (schedule.kind) {
    case 'ddim':
      return ddimStep(schedule, index, sample, modelOutput);
    case 'dpmpp-2m':
      return dpmSolverStep(schedule, index, sample, modelOutput, history);
    case 'euler':
      return eulerStep(schedule, index, sample, modelOutput);
    case 'euler-ancestral':
      if (!noise) throw new RangeError(`schedulerStep: Euler ancestral adds fresh noise at every step; pass step ${index}'s noise (a standard normal draw the size of the latent).`);
      return eulerAncestralStep(schedule, index, sample, modelOutput, noise);
  }
}

/** Whether a scheduler adds fresh noise at every step (and so needs `noise` in schedulerStep). */
export function needsStepNoise(kind: SchedulerKind): boolean {
  return kind === 'euler-ancestral';
}

/**
 * What the UNet gets at step `index` (diffusers' scale_model_input): the latent itself for DDIM
 * and DPM-Solver++, x/√(σ² + 1) for Euler. Returns the same array when nothing changes.
 */
export function modelInput(schedule: Schedule, index: number, sample: Float32Array): Float32Array {
  return schedule.kind === 'euler' || schedule.kind === 'euler-ancestral' ? eulerModelInput(schedule, index, sample) : sample;
}

function checkTimesteps(timesteps: readonly number[], numSteps: number, T: number, what: string, whole: boolean): void {
  if (timesteps.length !== numSteps) {
    throw new RangeError(`${what} gives ${timesteps.length} timesteps instead of ${numSteps}; choose another step count.`);
  }
  for (let i = 0; i < timesteps.length; i++) {
    const t = timesteps[i];
    if ((whole && !Number.isInteger(t)) || !(t >= 0 && t < T)) {
      throw new RangeError(`${what} gives timestep ${t}, outside the model's 0…${T - 1}; use fewer steps.`);
    }
    if (i > 0 && t >= timesteps[i - 1]) {
      throw new RangeError(`${what} repeats timestep ${t}; use fewer steps.`);
    }
  }
}

/**
 * How much clean signal and noise the latent *after* step `index` carries, in the
 * form x = signal·x0 + noise·ε: DDIM's ᾱ of the next timestep (the final ᾱ after the last step),
 * DPM-Solver's α_t and σ_t of the next σ (σ = 0 after the last step), and for Euler the
 * variance-exploding x0 + σ_next·ε.
 * Forward-noising a clean latent to these levels gives the trajectory that ends on that latent.
 */
export function noiseLevelAfterStep(schedule: Schedule, index: number): { signal: number; noise: number } {
  if (!Number.isInteger(index) || index < 0 || index >= schedule.numSteps) {
    throw new RangeError(`noiseLevelAfterStep: step ${String(index)} is outside 0…${schedule.numSteps - 1}.`);
  }
  switch (schedule.kind) {
    case 'ddim': {
      const a = schedule.alphaProdPrev[index];
      return { signal: Math.sqrt(a), noise: Math.sqrt(1 - a) };
    }
    case 'dpmpp-2m':
      return { signal: schedule.alphas[index + 1], noise: schedule.sigmaTs[index + 1] };
    case 'euler':
    case 'euler-ancestral':
      return { signal: 1, noise: schedule.sigmas[index + 1] };
  }
}
