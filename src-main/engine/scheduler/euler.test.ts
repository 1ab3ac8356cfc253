import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { torchRandn } from '../noise/torch-generator';
import { alphasCumprod } from './alphas';
import { modelScheduler, parseSchedulerConfig, resolveTimestepSpacing, SD2_BASE_SCHEDULER_CONFIG, type SchedulerConfig, type TimestepSpacing } from './config';
import { makeSchedule, modelInput, noiseLevelAfterStep, schedulerStep } from './schedule';
import type { EulerSchedule } from './types';

/**
 * testdata/euler-reference.json comes from testdata/euler_reference.py, an independent
 * re-derivation of diffusers' Euler formulas in torch/numpy float32 (see the script's header).
 */
interface ReferenceCase {
  config: string;
  spacing: TimestepSpacing;
  prediction_type: 'epsilon' | 'v_prediction';
  beta_schedule: 'linear' | 'scaled_linear';
  beta_start: number;
  beta_end: number;
  steps_offset: number;
  steps: number;
  timesteps: number[];
  sigmas: number[];
  init_noise_sigma: number;
  model_input: number[][];
  step_index: number[];
  euler: number[][];
  ancestral: number[][];
}
const REF = JSON.parse(readFileSync(new URL('./testdata/euler-reference.json', import.meta.url), 'utf8')) as {
  sample: number[];
  model_output: number[];
  noise: number[];
  cases: ReferenceCase[];
};

function configOf(c: ReferenceCase): SchedulerConfig {
  return {
    ...SD2_BASE_SCHEDULER_CONFIG,
    betaSchedule: c.beta_schedule,
    betaStart: c.beta_start,
    betaEnd: c.beta_end,
    stepsOffset: c.steps_offset,
    predictionType: c.prediction_type,
    timestepSpacing: c.spacing,
  };
}

/** Float32 results computed in another order may differ in the last bit or two. */
function expectClose(actual: ArrayLike<number>, expected: readonly number[], rel = 2e-6): void {
  expect(actual.length).toBe(expected.length);
  for (let j = 0; j < expected.length; j++) {
    expect(Math.abs(actual[j] - expected[j])).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected[j])));
  }
}

describe('Euler schedules match the re-derived diffusers numbers', () => {
  for (const c of REF.cases) {
    it(`${c.config}, ${c.steps} steps`, () => {
      for (const kind of ['euler', 'euler-ancestral'] as const) {
        const s = makeSchedule(configOf(c), kind, c.steps) as EulerSchedule;
        expectClose(s.timesteps, c.timesteps);
        expectClose(s.sigmas, c.sigmas);
        expect(s.initNoiseSigma).toBeCloseTo(c.init_noise_sigma, 5);
        const x = Float32Array.from(REF.sample, (v) => v * c.init_noise_sigma);
        const out = Float32Array.from(REF.model_output);
        c.step_index.forEach((i, k) => {
          expectClose(modelInput(s, i, x), c.model_input[k]);
          const noise = Float32Array.from(REF.noise);
          const r = schedulerStep(s, i, x, out, undefined, noise);
          expectClose(r.prevSample, kind === 'euler' ? c.euler[k] : c.ancestral[k]);
        });
      }
    });
  }

  it('SD-Turbo: trailing, 4 steps → [999, 749, 499, 249], σ [14.6146, 4.0817, 1.6129, 0.6932, 0] (reference doc)', () => {
    const s = makeSchedule({ ...SD2_BASE_SCHEDULER_CONFIG, timestepSpacing: 'trailing' }, 'euler', 4) as EulerSchedule;
    expect(s.timesteps).toEqual([999, 749, 499, 249]);
    [14.6146, 4.0817, 1.6129, 0.6932, 0].forEach((v, i) => expect(s.sigmas[i]).toBeCloseTo(v, 4));
    expect(s.initNoiseSigma).toBe(s.sigmas[0]);
  });

  it('leading starts at √(σ_max² + 1) and linspace has fractional timesteps with interpolated σ', () => {
    const leading = makeSchedule({ ...SD2_BASE_SCHEDULER_CONFIG, timestepSpacing: 'leading' }, 'euler', 20) as EulerSchedule;
    expect(leading.timesteps.slice(0, 2)).toEqual([951, 901]);
    expect(leading.initNoiseSigma).toBeCloseTo(Math.sqrt(leading.sigmas[0] ** 2 + 1), 5);
    const lin = makeSchedule(SD2_BASE_SCHEDULER_CONFIG, 'euler', 30) as EulerSchedule;
    // No timestep_spacing in SD 2's file: Euler's diffusers default is linspace.
    expect(lin.timestepSpacing).toBe('linspace');
    expect(lin.timesteps[1]).toBeCloseTo(999 - 999 / 29, 3);
    const training = alphasCumprod(SD2_BASE_SCHEDULER_CONFIG).map((a) => Math.sqrt((1 - a) / a));
    const t = lin.timesteps[1];
    const lo = Math.floor(t);
    expect(lin.sigmas[1]).toBeCloseTo(training[lo] + (t - lo) * (training[lo + 1] - training[lo]), 4);
  });
});

describe('Euler sampling behaviour', () => {
  /** A model that knows x0: ε = (x − x0)/σ in the Euler (variance-exploding) form. */
  function exact(s: EulerSchedule, x0: Float32Array, i: number, x: Float32Array): Float32Array {
    const sigma = s.sigmas[i];
    const eps = x.map((v, j) => (v - x0[j]) / sigma);
    if (s.predictionType === 'epsilon') return eps;
    // v = α·ε − σ_vp·x0 with α = 1/√(σ²+1), σ_vp = σ·α.
    const a = 1 / Math.sqrt(sigma * sigma + 1);
    return eps.map((e, j) => a * e - sigma * a * x0[j]);
  }

  for (const predictionType of ['epsilon', 'v_prediction'] as const) {
    for (const spacing of ['leading', 'trailing', 'linspace'] as const) {
      it(`Euler ends at x0 with an exact model (${predictionType}, ${spacing}, 1…8 steps)`, () => {
        const x0 = torchRandn([64], 3).map((v) => 0.8 * v);
        for (let steps = 1; steps <= 8; steps++) {
          const s = makeSchedule({ ...SD2_BASE_SCHEDULER_CONFIG, predictionType, timestepSpacing: spacing }, 'euler', steps) as EulerSchedule;
          let x: Float32Array = torchRandn([64], 4).map((v) => v * s.initNoiseSigma);
          for (let i = 0; i < steps; i++) x = schedulerStep(s, i, x, exact(s, x0, i, x)).prevSample;
          for (let j = 0; j < 64; j++) expect(Math.abs(x[j] - x0[j])).toBeLessThan(1e-4);
        }
      });
    }
  }

  it('Euler ancestral adds σ_up·noise: the same noise gives the same result, other noise another', () => {
    const s = makeSchedule({ ...SD2_BASE_SCHEDULER_CONFIG, timestepSpacing: 'trailing' }, 'euler-ancestral', 4) as EulerSchedule;
    const x = torchRandn([16], 1).map((v) => v * s.initNoiseSigma);
    const out = torchRandn([16], 2);
    const n1 = torchRandn([16], 5);
    const a = schedulerStep(s, 1, x, out, undefined, n1);
    expect(schedulerStep(s, 1, x, out, undefined, n1.slice())).toEqual(a);
    const b = schedulerStep(s, 1, x, out, undefined, torchRandn([16], 6));
    expect(Math.max(...a.prevSample.map((v, j) => Math.abs(v - b.prevSample[j])))).toBeGreaterThan(0.1);
    // σ_up² + σ_down² = σ_next² at every step; the last step adds no noise.
    s.sigmaUps!.forEach((up, i) => expect(up * up + s.sigmaDowns![i] ** 2).toBeCloseTo(s.sigmas[i + 1] ** 2, 4));
    expect(s.sigmaUps![3]).toBe(0);
    expect(() => schedulerStep(s, 0, x, out)).toThrow(/Euler ancestral adds fresh noise at every step; pass step 0's noise/);
  });

  it('noise level after a step is x0 + σ_next·ε', () => {
    const s = makeSchedule({ ...SD2_BASE_SCHEDULER_CONFIG, timestepSpacing: 'trailing' }, 'euler', 4) as EulerSchedule;
    expect(noiseLevelAfterStep(s, 0)).toEqual({ signal: 1, noise: s.sigmas[1] });
    expect(noiseLevelAfterStep(s, 3)).toEqual({ signal: 1, noise: 0 });
  });

  it('DDIM and DPM-Solver++ keep unit init noise and an unscaled model input', () => {
    for (const kind of ['ddim', 'dpmpp-2m'] as const) {
      const s = makeSchedule(SD2_BASE_SCHEDULER_CONFIG, kind, 10);
      expect(s.initNoiseSigma).toBe(1);
      const x = Float32Array.of(1, 2);
      expect(modelInput(s, 0, x)).toBe(x);
    }
  });
});

describe('the model folder picks the scheduler', () => {
  it('maps diffusers class names to the engine kinds and falls back to DDIM with a reason', () => {
    expect(modelScheduler({ _class_name: 'EulerDiscreteScheduler' })).toEqual({ kind: 'euler', className: 'EulerDiscreteScheduler' });
    expect(modelScheduler({ _class_name: 'EulerAncestralDiscreteScheduler' }).kind).toBe('euler-ancestral');
    expect(modelScheduler({ _class_name: 'DPMSolverMultistepScheduler' }).kind).toBe('dpmpp-2m');
    expect(modelScheduler({ _class_name: 'DDIMScheduler' }).fallbackReason).toBeUndefined();
    const pndm = modelScheduler({ _class_name: 'PNDMScheduler' });
    expect(pndm.kind).toBe('ddim');
    expect(pndm.fallbackReason).toMatch(/PNDMScheduler is not one of the engine's schedulers .*; ddim runs on its noise schedule/);
    expect(modelScheduler({}).fallbackReason).toMatch(/names no _class_name/);
  });

  it('Euler defaults to linspace spacing like diffusers, and notes options it does not follow', () => {
    const cfg = parseSchedulerConfig({ _class_name: 'EulerDiscreteScheduler', interpolation_type: 'log_linear' });
    expect(resolveTimestepSpacing(cfg, 'euler')).toBe('linspace');
    expect(resolveTimestepSpacing(cfg, 'euler-ancestral')).toBe('linspace');
    expect(cfg.notes).toEqual([expect.stringMatching(/interpolation_type = "log_linear" is ignored: the studio's Euler schedulers use "linear"/)]);
  });
});
