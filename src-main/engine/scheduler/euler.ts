import type { SchedulerConfig, TimestepSpacing } from './config';
import { eulerTimesteps, numpyInterpAtArange } from './timesteps';
import type { EulerSchedule, StepResult } from './types';

const f = Math.fround;

/**
 * EulerDiscreteScheduler / EulerAncestralDiscreteScheduler.set_timesteps with diffusers'
 * defaults (linear interpolation, no Karras/exponential/beta sigmas, final σ = 0):
 * training σ = √((1 − ᾱ)/ᾱ) in float32, read at each timestep with np.interp in float64, then
 * the list plus a final 0 stored as float32. init_noise_sigma is σ_max for "linspace" and
 * "trailing" and √(σ_max² + 1) for "leading", as diffusers defines it.
 */
export function makeEulerSchedule(
  cfg: SchedulerConfig,
  alphasCumprod: Float32Array,
  numSteps: number,
  spacing: TimestepSpacing,
  kind: 'euler' | 'euler-ancestral',
): EulerSchedule {
  const timesteps = eulerTimesteps(cfg.numTrainTimesteps, numSteps, spacing, cfg.stepsOffset);
  const training = alphasCumprod.map((a) => f(Math.sqrt(f(f(1 - a) / a))));
  const sigmas = [...timesteps.map((t) => f(numpyInterpAtArange(t, training))), 0];
  const sigmaMax = Math.max(...sigmas);
  const initNoiseSigma = spacing === 'leading' ? varianceDivisor(sigmaMax) : sigmaMax;
  const schedule: EulerSchedule = {
    kind,
    numSteps,
    timesteps,
    numTrainTimesteps: cfg.numTrainTimesteps,
    predictionType: cfg.predictionType,
    timestepSpacing: spacing,
    initNoiseSigma,
    sigmas,
    inputDivisors: sigmas.slice(0, numSteps).map(varianceDivisor),
  };
  if (kind === 'euler') return schedule;
  // σ_up = √(σ_to²(σ_from² − σ_to²)/σ_from²), σ_down = √(σ_to² − σ_up²), each torch op in float32.
  const sigmaUps: number[] = [];
  const sigmaDowns: number[] = [];
  for (let i = 0; i < numSteps; i++) {
    const from2 = f(sigmas[i] * sigmas[i]);
    const to2 = f(sigmas[i + 1] * sigmas[i + 1]);
    const up = f(Math.sqrt(f(f(to2 * f(from2 - to2)) / from2)));
    sigmaUps.push(up);
    sigmaDowns.push(f(Math.sqrt(f(to2 - f(up * up)))));
  }
  return { ...schedule, sigmaUps, sigmaDowns };
}

/** (σ² + 1) ** 0.5 on a float32 tensor (torch's pow 0.5 is a correctly rounded sqrt). */
function varianceDivisor(sigma: number): number {
  return f(Math.sqrt(f(f(sigma * sigma) + 1)));
}

/** scale_model_input: the UNet sees x/√(σ² + 1), a unit-variance input at every level. */
export function eulerModelInput(schedule: EulerSchedule, index: number, sample: Float32Array): Float32Array {
  const d = schedule.inputDivisors[index];
  const out = new Float32Array(sample.length);
  for (let j = 0; j < out.length; j++) out[j] = sample[j] / d;
  return out;
}

/**
 * x0 from the model output at level σ: epsilon x0 = x − σ·ε; v-prediction (c_out, c_skip of
 * the EDM form) x0 = v·(−σ/√(σ²+1)) + x/(σ²+1). Rounded like torch's element-wise ops.
 */
function denoise(schedule: EulerSchedule, index: number, sample: Float32Array, modelOutput: Float32Array): Float32Array {
  const sigma = schedule.sigmas[index];
  const n = sample.length;
  const x0 = new Float32Array(n);
  if (schedule.predictionType === 'v_prediction') {
    const cOut = f(-sigma / schedule.inputDivisors[index]);
    const skip = f(f(sigma * sigma) + 1);
    for (let j = 0; j < n; j++) x0[j] = f(modelOutput[j] * cOut) + f(sample[j] / skip);
  } else {
    for (let j = 0; j < n; j++) x0[j] = sample[j] - f(sigma * modelOutput[j]);
  }
  return x0;
}

/**
 * EulerDiscreteScheduler.step with s_churn = 0 (diffusers' pipelines never pass another):
 * derivative d = (x − x0)/σ, x_next = x + d·(σ_next − σ). First-order and memoryless, so a
 * trajectory injected at any step continues exactly as a fresh run from that step would.
 */
export function eulerStep(schedule: EulerSchedule, index: number, sample: Float32Array, modelOutput: Float32Array): StepResult {
  const denoised = denoise(schedule, index, sample, modelOutput);
  const sigma = schedule.sigmas[index];
  const dt = f(schedule.sigmas[index + 1] - sigma);
  const prevSample = new Float32Array(sample.length);
  for (let j = 0; j < sample.length; j++) {
    const derivative = f(f(sample[j] - denoised[j]) / sigma);
    prevSample[j] = sample[j] + f(derivative * dt);
  }
  return { prevSample, denoised, history: { index, denoised } };
}

/**
 * EulerAncestralDiscreteScheduler.step: an Euler step to σ_down, then fresh noise·σ_up, so the
 * next level is σ_next again in distribution. `noise` is this step's standard normal draw
 * (diffusers draws it from the generator that drew the start noise; the caller decides the
 * stream, see engine/noise/step-noise). The last step has σ_up = 0 and adds nothing.
 */
export function eulerAncestralStep(
  schedule: EulerSchedule,
  index: number,
  sample: Float32Array,
  modelOutput: Float32Array,
  noise: Float32Array,
): StepResult {
  if (!schedule.sigmaUps || !schedule.sigmaDowns) throw new Error('internal: eulerAncestralStep needs an euler-ancestral schedule');
  if (noise.length !== sample.length) {
    throw new RangeError(`eulerAncestralStep: the step noise has ${noise.length} values but the latent has ${sample.length}; they must match.`);
  }
  const denoised = denoise(schedule, index, sample, modelOutput);
  const sigma = schedule.sigmas[index];
  const up = schedule.sigmaUps[index];
  const dt = f(schedule.sigmaDowns[index] - sigma);
  const prevSample = new Float32Array(sample.length);
  for (let j = 0; j < sample.length; j++) {
    const derivative = f(f(sample[j] - denoised[j]) / sigma);
    const ode = f(sample[j] + f(derivative * dt));
    prevSample[j] = ode + f(noise[j] * up);
  }
  return { prevSample, denoised, history: { index, denoised } };
}
