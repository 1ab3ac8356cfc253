import type { PredictionType, SchedulerKind, TimestepSpacing } from './config';

interface ScheduleBase {
  readonly kind: SchedulerKind;
  readonly numSteps: number;
  /** timesteps[i] is what the UNet gets at step i (i = 0 … numSteps-1), descending. */
  readonly timesteps: readonly number[];
  readonly numTrainTimesteps: number;
  readonly predictionType: PredictionType;
  readonly timestepSpacing: TimestepSpacing;
}

/** DDIM (η = 0): per step, ᾱ at the step's timestep and at the one it steps to. */
export interface DdimSchedule extends ScheduleBase {
  readonly kind: 'ddim';
  /** Timestep each step lands on: timesteps[i] − T // N, as diffusers' DDIM computes it (< 0 ⇒ final ᾱ). */
  readonly prevTimesteps: readonly number[];
  readonly alphaProd: readonly number[];
  readonly alphaProdPrev: readonly number[];
  /** x0 predictions are clamped to ±this; undefined when the config has clip_sample false. */
  readonly clipSampleRange?: number;
}

/**
 * DPM-Solver++ 2M: numSteps + 1 noise levels, the last being σ = 0 (final_sigmas_type "zero").
 * Index i is the level step i starts from; step i ends at level i + 1.
 */
export interface DpmSolverSchedule extends ScheduleBase {
  readonly kind: 'dpmpp-2m';
  /** σ = √((1 − ᾱ)/ᾱ) at each level (float32), 0 at the end. */
  readonly sigmas: readonly number[];
  /** α_t = 1/√(σ² + 1). */
  readonly alphas: readonly number[];
  /** σ_t = σ·α_t (the variance-preserving noise scale). */
  readonly sigmaTs: readonly number[];
  /** λ_t = ln α_t − ln σ_t (+∞ at the final σ = 0). */
  readonly lambdas: readonly number[];
}

export type Schedule = DdimSchedule | DpmSolverSchedule;

/** Previous step's memory for multistep solvers; undefined at a trajectory's first step ⇒ first-order. */
export interface StepHistory {
  readonly index: number;
  readonly denoised: Float32Array;
}

export interface StepResult {
  /** The latent after this step (input to step index + 1, or the final latent). */
  readonly prevSample: Float32Array;
  /** The model's x0 prediction at this step. */
  readonly denoised: Float32Array;
  /** Pass to the next step of the same trajectory. */
  readonly history: StepHistory;
}
