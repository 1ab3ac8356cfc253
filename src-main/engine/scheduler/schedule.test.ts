import { describe, expect, it } from 'vitest';
import { torchRandn } from '../noise/torch-generator';
import { alphasCumprod } from './alphas';
import { SD2_BASE_SCHEDULER_CONFIG, type SchedulerConfig, type SchedulerKind, type TimestepSpacing } from './config';
import { INIT_NOISE_SIGMA, makeSchedule, schedulerStep } from './schedule';
import type { StepHistory } from './types';

const SD2 = SD2_BASE_SCHEDULER_CONFIG;
const ALPHAS = alphasCumprod(SD2);
const one = (v: number): Float32Array => Float32Array.of(v);

describe('DDIM step', () => {
  it('matches the reference single step 958 → 925 (x = 1, model output 0.5)', () => {
    const eps = makeSchedule(SD2, 'ddim', 30);
    expect(eps.timesteps.slice(0, 2)).toEqual([958, 925]);
    expect(schedulerStep(eps, 0, one(1), one(0.5)).prevSample[0]).toBeCloseTo(1.099821, 5);
    const v = makeSchedule({ ...SD2, predictionType: 'v_prediction' }, 'ddim', 30);
    expect(schedulerStep(v, 0, one(1), one(0.5)).prevSample[0]).toBeCloseTo(0.991103, 5);
  });

  it('clamps x0 when clip_sample is on and leaves the inputs untouched', () => {
    const s = makeSchedule({ ...SD2, clipSample: true, clipSampleRange: 1 }, 'ddim', 30);
    const sample = Float32Array.of(5, -5, 0.01);
    const output = Float32Array.of(0, 0, 0);
    const r = schedulerStep(s, 10, sample, output);
    expect([...r.denoised]).toEqual([1, -1, expect.closeTo(0.01 / Math.sqrt(ALPHAS[s.timesteps[10]]), 6)]);
    expect([...sample]).toEqual([5, -5, Math.fround(0.01)]);
  });

  it('steps back by T // N whatever the spacing, as diffusers does (trailing 966 → 933, not 932)', () => {
    const s = makeSchedule({ ...SD2, timestepSpacing: 'trailing' }, 'ddim', 30);
    expect(s.timesteps.slice(1, 3)).toEqual([966, 932]);
    const r = schedulerStep(s, 1, one(0.7), one(-0.4));
    const x0 = (0.7 + Math.sqrt(1 - ALPHAS[966]) * 0.4) / Math.sqrt(ALPHAS[966]);
    expect(r.prevSample[0]).toBeCloseTo(Math.sqrt(ALPHAS[933]) * x0 - Math.sqrt(1 - ALPHAS[933]) * 0.4, 6);
  });

  it('uses the final ᾱ = ᾱ[0] (set_alpha_to_one false) or 1 at the last step', () => {
    const last = 29; // t = 1 → prev −32 < 0
    const r = schedulerStep(makeSchedule(SD2, 'ddim', 30), last, one(0.3), one(0.2));
    const x0 = (0.3 - Math.sqrt(1 - ALPHAS[1]) * 0.2) / Math.sqrt(ALPHAS[1]);
    expect(r.prevSample[0]).toBeCloseTo(Math.sqrt(ALPHAS[0]) * x0 + Math.sqrt(1 - ALPHAS[0]) * 0.2, 6);
    const toOne = schedulerStep(makeSchedule({ ...SD2, setAlphaToOne: true }, 'ddim', 30), last, one(0.3), one(0.2));
    expect(toOne.prevSample[0]).toBeCloseTo(x0, 6);
  });
});

describe('DPM-Solver++ 2M', () => {
  it('has the reference σ starts 14.6146, 12.0177, 9.9172 and ends at σ = 0', () => {
    const s = makeSchedule(SD2, 'dpmpp-2m', 30);
    if (s.kind !== 'dpmpp-2m') throw new Error('expected a DPM-Solver schedule');
    expect(s.sigmas.length).toBe(31);
    expect(s.sigmas[0]).toBeCloseTo(14.6146, 4);
    expect(s.sigmas[1]).toBeCloseTo(12.0177, 4);
    expect(s.sigmas[2]).toBeCloseTo(9.9172, 4);
    expect(s.sigmas[30]).toBe(0);
    expect(s.lambdas[30]).toBe(Infinity);
  });

  /**
   * Written from the DPM-Solver++ paper (Lu et al. 2022, Algorithm 2, "DPM-Solver++(2M)") in
   * double precision with α_t = √ᾱ_t, σ_t = √(1 − ᾱ_t), λ_t = ln(α_t/σ_t), data prediction
   * x̂0 = (x − σ_t ε)/α_t:
   *   first step:  x̃_1 = (σ_1/σ_0) x̃_0 − α_1 (e^{−h_1} − 1) x̂0(t_0)
   *   later steps: r_i = h_{i−1}/h_i, D_i = (1 + 1/(2r_i)) x̂0(t_{i−1}) − 1/(2r_i) x̂0(t_{i−2}),
   *                x̃_i = (σ_i/σ_{i−1}) x̃_{i−1} − α_i (e^{−h_i} − 1) D_i
   */
  function paper(timesteps: readonly number[], x: number[], eps0: number[], eps1: number[]) {
    const at = (t: number) => {
      const a = Math.sqrt(ALPHAS[t]);
      const s = Math.sqrt(1 - ALPHAS[t]);
      return { a, s, l: Math.log(a / s) };
    };
    const [p0, p1, p2] = timesteps.slice(0, 3).map(at);
    const h1 = p1.l - p0.l;
    const h2 = p2.l - p1.l;
    const x0At0 = x.map((v, j) => (v - p0.s * eps0[j]) / p0.a);
    const x1 = x.map((v, j) => (p1.s / p0.s) * v - p1.a * (Math.exp(-h1) - 1) * x0At0[j]);
    const x0At1 = x1.map((v, j) => (v - p1.s * eps1[j]) / p1.a);
    const r = h1 / h2;
    const d = x0At1.map((v, j) => (1 + 1 / (2 * r)) * v - (1 / (2 * r)) * x0At0[j]);
    const x2 = x1.map((v, j) => (p2.s / p1.s) * v - p2.a * (Math.exp(-h2) - 1) * d[j]);
    const x2FirstOrder = x1.map((v, j) => (p2.s / p1.s) * v - p2.a * (Math.exp(-h2) - 1) * x0At1[j]);
    return { x1, x2, x2FirstOrder };
  }

  const x = [1.0, -0.5, 0.25, 2.0];
  const eps0 = [0.3, -0.7, 1.1, 0.0];
  const eps1 = [-0.2, 0.5, 0.9, 1.4];

  for (const spacing of ['linspace', 'trailing'] as TimestepSpacing[]) {
    it(`first step is first-order and the second is the paper's 2M update (${spacing})`, () => {
      const s = makeSchedule({ ...SD2, timestepSpacing: spacing }, 'dpmpp-2m', 30);
      const want = paper(s.timesteps, x, eps0, eps1);
      const step0 = schedulerStep(s, 0, Float32Array.from(x), Float32Array.from(eps0));
      want.x1.forEach((v, j) => expect(step0.prevSample[j]).toBeCloseTo(v, 5));
      const step1 = schedulerStep(s, 1, step0.prevSample, Float32Array.from(eps1), step0.history);
      want.x2.forEach((v, j) => expect(step1.prevSample[j]).toBeCloseTo(v, 5));
      expect(want.x2.some((v, j) => Math.abs(v - want.x2FirstOrder[j]) > 1e-3)).toBe(true);
    });
  }

  it('takes a first-order step without history or with history from another step (injected latents)', () => {
    const s = makeSchedule(SD2, 'dpmpp-2m', 30);
    const want = paper(s.timesteps, x, eps0, eps1);
    const x1 = Float32Array.from(want.x1);
    const fresh = schedulerStep(s, 1, x1, Float32Array.from(eps1));
    want.x2FirstOrder.forEach((v, j) => expect(fresh.prevSample[j]).toBeCloseTo(v, 5));
    const stale: StepHistory = { index: 5, denoised: new Float32Array(4) };
    expect(schedulerStep(s, 1, x1, Float32Array.from(eps1), stale).prevSample).toEqual(fresh.prevSample);
  });

  it('makes the last step first-order, landing on its own x0 prediction (σ = 0)', () => {
    const s = makeSchedule(SD2, 'dpmpp-2m', 30);
    const history: StepHistory = { index: 28, denoised: Float32Array.of(9, 9, 9, 9) };
    const r = schedulerStep(s, 29, Float32Array.from(x), Float32Array.from(eps0), history);
    const t = s.timesteps[29];
    x.forEach((v, j) => {
      const x0 = (v - Math.sqrt(1 - ALPHAS[t]) * eps0[j]) / Math.sqrt(ALPHAS[t]);
      expect(r.prevSample[j]).toBeCloseTo(x0, 5);
      expect(r.denoised[j]).toBeCloseTo(x0, 5);
    });
  });
});

/**
 * A model that knows the clean latent x0: ε(x, t) = (x − √ᾱ_t x0)/√(1 − ᾱ_t), or for
 * v-prediction v = √ᾱ_t ε − √(1 − ᾱ_t) x0. A correct sampler then predicts x0 at every step.
 */
function exactModel(cfg: SchedulerConfig, x0: Float32Array) {
  const alphas = alphasCumprod(cfg);
  return (x: Float32Array, t: number): Float32Array => {
    const a = Math.sqrt(alphas[t]);
    const s = Math.sqrt(1 - alphas[t]);
    return x.map((v, j) => {
      const eps = (v - a * x0[j]) / s;
      return cfg.predictionType === 'v_prediction' ? a * eps - s * x0[j] : eps;
    });
  };
}

function sample(cfg: SchedulerConfig, kind: SchedulerKind, steps: number, x0: Float32Array, noise: Float32Array) {
  const schedule = makeSchedule(cfg, kind, steps);
  const model = exactModel(cfg, x0);
  let x: Float32Array = noise.map((v) => v * INIT_NOISE_SIGMA);
  let history: StepHistory | undefined;
  let lastDenoised: Float32Array = new Float32Array(0);
  for (let i = 0; i < schedule.numSteps; i++) {
    const r = schedulerStep(schedule, i, x, model(x, schedule.timesteps[i]), history);
    x = r.prevSample;
    history = r.history;
    lastDenoised = r.denoised;
  }
  return { x, lastDenoised, schedule };
}

const maxDiff = (a: Float32Array, b: ArrayLike<number>): number => Math.max(...Array.from(a, (v, j) => Math.abs(v - b[j])));

describe('full runs with an exact model end at x0', () => {
  const x0 = torchRandn([64], 7).map((v) => 0.8 * v);
  const noise = torchRandn([64], 8);

  for (const predictionType of ['epsilon', 'v_prediction'] as const) {
    for (const timestepSpacing of ['leading', 'trailing', 'linspace'] as const) {
      it(`DPM-Solver++ 2M, ${predictionType}, ${timestepSpacing}`, () => {
        const cfg = { ...SD2, predictionType, timestepSpacing };
        for (const steps of [1, 2, 20, 30]) {
          expect(maxDiff(sample(cfg, 'dpmpp-2m', steps, x0, noise).x, x0)).toBeLessThan(1e-4);
        }
      });

      it(`DDIM, ${predictionType}, ${timestepSpacing}, set_alpha_to_one true`, () => {
        const cfg = { ...SD2, predictionType, timestepSpacing, setAlphaToOne: true };
        for (const steps of [1, 20, 50]) {
          expect(maxDiff(sample(cfg, 'ddim', steps, x0, noise).x, x0)).toBeLessThan(1e-4);
        }
      });
    }

    it(`DDIM, ${predictionType}, SD 2 config (final ᾱ = ᾱ[0]) keeps the initial ε direction`, () => {
      // With an exact model DDIM keeps ε = (x_T − √ᾱ_T x0)/√(1 − ᾱ_T) constant, so the run
      // ends at √ᾱ[0]·x0 + √(1 − ᾱ[0])·ε; its last x0 prediction is x0 itself.
      const cfg = { ...SD2, predictionType };
      const { x, lastDenoised, schedule } = sample(cfg, 'ddim', 30, x0, noise);
      const aT = ALPHAS[schedule.timesteps[0]];
      const expected = Array.from(x0, (v, j) => {
        const eps = (noise[j] - Math.sqrt(aT) * v) / Math.sqrt(1 - aT);
        return Math.sqrt(ALPHAS[0]) * v + Math.sqrt(1 - ALPHAS[0]) * eps;
      });
      expect(maxDiff(x, expected)).toBeLessThan(1e-4);
      expect(maxDiff(lastDenoised, x0)).toBeLessThan(1e-4);
    });
  }
});

describe('schedulerStep input checks', () => {
  const s = makeSchedule(SD2, 'dpmpp-2m', 10);

  it('rejects a step outside the schedule', () => {
    expect(() => schedulerStep(s, 10, one(0), one(0))).toThrow(/step 10 is outside 0…9/);
    expect(() => schedulerStep(s, -1, one(0), one(0))).toThrow(/step -1 is outside/);
  });

  it('rejects mismatched lengths', () => {
    expect(() => schedulerStep(s, 0, new Float32Array(4), new Float32Array(3))).toThrow(/model output has 3 values but the latent has 4/);
    const history: StepHistory = { index: 0, denoised: new Float32Array(2) };
    expect(() => schedulerStep(s, 1, new Float32Array(4), new Float32Array(4), history)).toThrow(/history from step 0 has 2 values/);
  });

  it('is stateless: the same call gives the same result', () => {
    const a = schedulerStep(s, 3, Float32Array.of(0.5, -1), Float32Array.of(0.1, 0.2));
    const b = schedulerStep(s, 3, Float32Array.of(0.5, -1), Float32Array.of(0.1, 0.2));
    expect(a).toEqual(b);
    expect(a.history.index).toBe(3);
  });
});
