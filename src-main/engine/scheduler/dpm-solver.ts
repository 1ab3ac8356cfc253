import type { SchedulerConfig, TimestepSpacing } from './config';
import { dpmSolverTimesteps } from './timesteps';
import type { DpmSolverSchedule, StepHistory, StepResult } from './types';

const f = Math.fround;

/**
 * DPMSolverMultistepScheduler.set_timesteps with diffusers' defaults for DPM-Solver++ 2M
 * (algorithm_type "dpmsolver++", solver_order 2, midpoint, final_sigmas_type "zero", no Karras
 * sigmas): σ per level read from the training schedule at each timestep, then a final σ = 0.
 * Every constant is float32, as diffusers keeps them in float32 tensors.
 */
export function makeDpmSolverSchedule(
  cfg: SchedulerConfig,
  alphasCumprod: Float32Array,
  numSteps: number,
  spacing: TimestepSpacing,
): DpmSolverSchedule {
  const timesteps = dpmSolverTimesteps(cfg.numTrainTimesteps, numSteps, spacing, cfg.stepsOffset);
  const sigmas = [...timesteps.map((t) => trainingSigma(alphasCumprod[t])), 0];
  // _sigma_to_alpha_sigma_t and lambda_t, each torch op rounded to float32.
  const alphas = sigmas.map((s) => f(1 / f(Math.sqrt(f(f(s * s) + 1)))));
  const sigmaTs = sigmas.map((s, i) => f(s * alphas[i]));
  const lambdas = alphas.map((a, i) => f(f(Math.log(a)) - f(Math.log(sigmaTs[i]))));
  return {
    kind: 'dpmpp-2m',
    numSteps,
    timesteps,
    numTrainTimesteps: cfg.numTrainTimesteps,
    predictionType: cfg.predictionType,
    timestepSpacing: spacing,
    initNoiseSigma: 1,
    sigmas,
    alphas,
    sigmaTs,
    lambdas,
  };
}

/** ((1 − ᾱ)/ᾱ)^0.5 on float32 tensors. */
function trainingSigma(alphaProd: number): number {
  return f(Math.sqrt(f(f(1 - alphaProd) / alphaProd)));
}

/**
 * One DPM-Solver++ 2M step (DPMSolverMultistepScheduler.step): convert the model output to a
 * data prediction x0, then update with the first-order solver when there is no usable history
 * (a trajectory's first step, including one injected mid-schedule) or at the last step (σ → 0),
 * else with the second-order multistep (midpoint) solver using the previous step's x0.
 */
export function dpmSolverStep(
  schedule: DpmSolverSchedule,
  index: number,
  sample: Float32Array,
  modelOutput: Float32Array,
  history: StepHistory | undefined,
): StepResult {
  const { alphas, sigmaTs, lambdas } = schedule;
  const alphaS = alphas[index];
  const sigmaS = sigmaTs[index];
  const n = sample.length;
  const denoised = new Float32Array(n);
  if (schedule.predictionType === 'v_prediction') {
    for (let j = 0; j < n; j++) denoised[j] = f(alphaS * sample[j]) - f(sigmaS * modelOutput[j]);
  } else {
    for (let j = 0; j < n; j++) denoised[j] = f(sample[j] - f(sigmaS * modelOutput[j])) / alphaS;
  }

  const alphaT = alphas[index + 1];
  const h = f(lambdas[index + 1] - lambdas[index]);
  const sampleScale = f(sigmaTs[index + 1] / sigmaS);
  const x0Scale = f(alphaT * f(f(Math.exp(-h)) - 1));
  const prevSample = new Float32Array(n);
  const isLast = index === schedule.numSteps - 1;
  const previous = history && history.index === index - 1 && !isLast ? history.denoised : undefined;

  if (previous === undefined) {
    // x_t = (σ_t/σ_s)·x − α_t(e^{−h} − 1)·x0
    for (let j = 0; j < n; j++) prevSample[j] = f(sampleScale * sample[j]) - f(x0Scale * denoised[j]);
  } else {
    // D1 = (x0_i − x0_{i−1}) / r0 with r0 = h_{i−1}/h_i; x_t = first-order − ½·α_t(e^{−h} − 1)·D1.
    const r0 = f(f(lambdas[index] - lambdas[index - 1]) / h);
    const invR0 = f(1 / r0);
    const halfX0Scale = f(0.5 * x0Scale);
    for (let j = 0; j < n; j++) {
      const d1 = f(invR0 * f(denoised[j] - previous[j]));
      prevSample[j] = f(f(sampleScale * sample[j]) - f(x0Scale * denoised[j])) - f(halfX0Scale * d1);
    }
  }
  return { prevSample, denoised, history: { index, denoised } };
}
