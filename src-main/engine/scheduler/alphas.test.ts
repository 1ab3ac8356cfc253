import { describe, expect, it } from 'vitest';
import { alphasCumprod, torchLinspaceFloat32 } from './alphas';
import { SD2_BASE_SCHEDULER_CONFIG, type SchedulerConfig } from './config';

const TOL = 1e-5;

describe('alphasCumprod', () => {
  it('gives the reference ᾱ of SD 2.x (scaled_linear 0.00085 … 0.012)', () => {
    const a = alphasCumprod(SD2_BASE_SCHEDULER_CONFIG);
    expect(a.length).toBe(1000);
    expect(Math.abs(a[0] - 0.99915)).toBeLessThan(TOL);
    expect(Math.abs(a[1] - 0.998296)).toBeLessThan(TOL);
    expect(Math.abs(a[500] - 0.276332)).toBeLessThan(TOL);
    expect(Math.abs(a[958] - 0.0075348)).toBeLessThan(TOL);
    expect(Math.abs(a[999] - 0.0046601)).toBeLessThan(TOL);
  });

  it('agrees with a double-precision linear schedule', () => {
    const cfg: SchedulerConfig = { ...SD2_BASE_SCHEDULER_CONFIG, betaSchedule: 'linear', betaStart: 0.0001, betaEnd: 0.02 };
    const a = alphasCumprod(cfg);
    let product = 1;
    for (let i = 0; i < 1000; i++) {
      product *= 1 - (0.0001 + (i * (0.02 - 0.0001)) / 999);
      expect(Math.abs(a[i] - product)).toBeLessThan(1e-6);
    }
  });

  it('follows the cosine ᾱ(t) = f(t)/f(0) of squaredcos_cap_v2 until the 0.999 cap', () => {
    const a = alphasCumprod({ ...SD2_BASE_SCHEDULER_CONFIG, betaSchedule: 'squaredcos_cap_v2' });
    const fbar = (t: number): number => Math.cos(((t + 0.008) / 1.008) * (Math.PI / 2)) ** 2;
    for (const i of [0, 1, 10, 250, 500, 900, 980]) {
      expect(Math.abs(a[i] - fbar((i + 1) / 1000) / fbar(0))).toBeLessThan(TOL);
    }
    // The last beta would be 1 (ᾱ(1) = 0); diffusers caps it at 0.999.
    expect(a[999] / a[998]).toBeCloseTo(0.001, 5);
  });

  it('uses trained_betas when given', () => {
    const trainedBetas = [0.1, 0.2, 0.5];
    const a = alphasCumprod({ ...SD2_BASE_SCHEDULER_CONFIG, numTrainTimesteps: 3, trainedBetas });
    expect([...a].map((v) => Number(v.toFixed(6)))).toEqual([0.9, 0.72, 0.36]);
  });
});

describe('torchLinspaceFloat32', () => {
  it('hits both ends exactly and is evenly spaced', () => {
    const v = torchLinspaceFloat32(Math.sqrt(0.00085), Math.sqrt(0.012), 1000);
    expect(v[0]).toBe(Math.fround(Math.sqrt(0.00085)));
    expect(v[999]).toBe(Math.fround(Math.sqrt(0.012)));
    const step = (Math.sqrt(0.012) - Math.sqrt(0.00085)) / 999;
    for (let i = 0; i < 1000; i += 37) expect(Math.abs(v[i] - (Math.sqrt(0.00085) + i * step))).toBeLessThan(1e-7);
    expect([...torchLinspaceFloat32(2, 3, 1)]).toEqual([2]);
  });
});
