import { alphasCumprod } from './alphas';
import { resolveTimestepSpacing, SCHEDULER_KINDS, type SchedulerConfig, type SchedulerKind } from './config';
import { ddimStep, makeDdimSchedule } from './ddim';
import { dpmSolverStep, makeDpmSolverSchedule } from './dpm-solver';
import type { Schedule, StepHistory, StepResult } from './types';

/** Both schedulers start from unscaled unit Gaussian noise (diffusers' init_noise_sigma = 1). */
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
  const schedule =
    kind === 'ddim' ? makeDdimSchedule(cfg, alphas, numSteps, spacing) : makeDpmSolverSchedule(cfg, alphas, numSteps, spacing);
  checkTimesteps(schedule.timesteps, numSteps, T, `${kind} with ${numSteps} steps and "${spacing}" timestep spacing`);
  return schedule;
}

/**
 * Advances one trajectory by step `index` (0 … numSteps-1) given the UNet's output at
 * `schedule.timesteps[index]`. Stateless: multistep memory travels in `history`. Pass the
 * previous call's `history` for the next step of the same trajectory; pass undefined when a
 * trajectory starts, also when it starts at step k > 0 from an injected latent (latent
 * blending) — DPM-Solver++ then takes a first-order step there, exactly like a fresh diffusers
 * run whose first step is k. A history from any step other than index − 1 is ignored.
 */
export function schedulerStep(
  schedule: Schedule,
  index: number,
  sample: Float32Array,
  modelOutput: Float32Array,
  history?: StepHistory,
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
  return schedule.kind === 'ddim'
    ? ddimStep(schedule, index, sample, modelOutput)
    : dpmSolverStep(schedule, index, sample, modelOutput, history);
}

function checkTimesteps(timesteps: readonly number[], numSteps: number, T: number, what: string): void {
  if (timesteps.length !== numSteps) {
    throw new RangeError(`${what} gives ${timesteps.length} timesteps instead of ${numSteps}; choose another step count.`);
  }
  for (let i = 0; i < timesteps.length; i++) {
    const t = timesteps[i];
    if (!Number.isInteger(t) || t < 0 || t >= T) {
      throw new RangeError(`${what} gives timestep ${t}, outside the model's 0…${T - 1}; use fewer steps.`);
    }
    if (i > 0 && t >= timesteps[i - 1]) {
      throw new RangeError(`${what} repeats timestep ${t}; use fewer steps.`);
    }
  }
}

/**
 * How much clean signal and noise the latent *after* step `index` carries, in the
 * variance-preserving form x = signal·x0 + noise·ε: DDIM's ᾱ of the next timestep (the final ᾱ
 * after the last step), DPM-Solver's α_t and σ_t of the next σ (σ = 0 after the last step).
 * Forward-noising a clean latent to these levels gives the trajectory that ends on that latent.
 */
export function noiseLevelAfterStep(schedule: Schedule, index: number): { signal: number; noise: number } {
  if (!Number.isInteger(index) || index < 0 || index >= schedule.numSteps) {
    throw new RangeError(`noiseLevelAfterStep: step ${String(index)} is outside 0…${schedule.numSteps - 1}.`);
  }
  if (schedule.kind === 'ddim') {
    const a = schedule.alphaProdPrev[index];
    return { signal: Math.sqrt(a), noise: Math.sqrt(1 - a) };
  }
  return { signal: schedule.alphas[index + 1], noise: schedule.sigmaTs[index + 1] };
}
