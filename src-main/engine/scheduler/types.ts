import type { PredictionType, SchedulerKind, TimestepSpacing } from './config';

interface ScheduleBase {
  readonly kind: SchedulerKind;
  readonly numSteps: number;
  /** timesteps[i] is what the UNet gets at step i (i = 0 … numSteps-1), descending. */
  readonly timesteps: readonly number[];
  readonly numTrainTimesteps: number;
  readonly predictionType: PredictionType;
  readonly timestepSpacing: TimestepSpacing;
  /**
   * diffusers' init_noise_sigma: a trajectory from noise starts at noise·initNoiseSigma
   * (1 for DDIM and DPM-Solver++, σ_max or √(σ_max²+1) for Euler).
   */
  readonly initNoiseSigma: number;
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

/**
 * Euler discrete and Euler ancestral (k-diffusion's samplers as diffusers has them): the latent
 * lives in the variance-exploding form x = x0 + σ·ε, numSteps + 1 levels ending at σ = 0.
 */
export interface EulerSchedule extends ScheduleBase {
  readonly kind: 'euler' | 'euler-ancestral';
  /** σ of each level, interpolated from the training σ at the (possibly fractional) timestep; 0 at the end. */
  readonly sigmas: readonly number[];
  /** scale_model_input divides the UNet's input by this: √(σ² + 1) (float32). */
  readonly inputDivisors: readonly number[];
  /** Euler ancestral only: the noise added after step i (σ_up) and the level the ODE part goes to (σ_down). */
  readonly sigmaUps?: readonly number[];
  readonly sigmaDowns?: readonly number[];
}

export type Schedule = DdimSchedule | DpmSolverSchedule | EulerSchedule;

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
