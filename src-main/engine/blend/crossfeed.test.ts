import { describe, expect, it } from 'vitest';
import { keyframeCrossfeedSchedule, parentalCrossfeedSchedule } from './crossfeed';

const close = (a: number[], b: number[]) => {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 12));
};

describe('parentalCrossfeedSchedule', () => {
  it('holds P until k, then decays to P·D until round(N·R), then zeros', () => {
    // N=10, k=2, P=0.3, R=0.6, D=0.5: round(6)=6 → [.3,.3] ++ linspace(.3,.15,4) ++ 4 zeros
    close(parentalCrossfeedSchedule({ steps: 10, injectionStep: 2, power: 0.3, range: 0.6, decay: 0.5 }),
      [0.3, 0.3, 0.3, 0.25, 0.2, 0.15, 0, 0, 0, 0]);
  });
  it('gives no crossfeed from k on when round(N·R) ≤ k', () => {
    // N=10, R=0.25 → round(2.5) = 2 (half to even) ≤ k = 2
    const c = parentalCrossfeedSchedule({ steps: 10, injectionStep: 2, power: 0.3, range: 0.25, decay: 0.5 });
    expect(c.slice(2)).toEqual(new Array(8).fill(0));
    expect(c).toHaveLength(10);
  });
  it('rounds N·R half to even', () => {
    // N=30, R=0.75 → 22.5 → 22: crossfeed steps k=20, 21 only (linspace(P, P·D, 2) = [P, P·D]).
    const c = parentalCrossfeedSchedule({ steps: 30, injectionStep: 20, power: 0.4, range: 0.75, decay: 0.25 });
    expect(c[20]).toBeCloseTo(0.4, 12);
    expect(c[21]).toBeCloseTo(0.1, 12);
    expect(c[22]).toBe(0);
  });
  it('rejects an injection step past the end and a power above 1', () => {
    expect(() => parentalCrossfeedSchedule({ steps: 10, injectionStep: 10, power: 0.3, range: 0.5, decay: 0.5 })).toThrow(/injectionStep/);
    expect(() => parentalCrossfeedSchedule({ steps: 10, injectionStep: 2, power: 1.5, range: 0.5, decay: 0.5 })).toThrow(/power/);
  });
});

describe('keyframeCrossfeedSchedule', () => {
  it('is linspace(P, P·D, round(N·R)) then zeros', () => {
    // N=10, P=.3, R=.4, D=.5: round(4)=4 → [.3,.25,.2,.15] ++ 6 zeros
    close(keyframeCrossfeedSchedule({ steps: 10, power: 0.3, range: 0.4, decay: 0.5 }),
      [0.3, 0.25, 0.2, 0.15, 0, 0, 0, 0, 0, 0]);
  });
  it('is all zeros with range 0', () => {
    expect(keyframeCrossfeedSchedule({ steps: 5, power: 0.3, range: 0, decay: 0.5 })).toEqual([0, 0, 0, 0, 0]);
  });
});

describe('crossfeed with few steps (fast mode, N = 1 … 8)', () => {
  it('gives N coefficients in [0, P], non-increasing from the injection step, for every k and range', () => {
    for (let steps = 1; steps <= 8; steps++) {
      for (let k = 0; k < steps; k++) {
        for (const range of [0, 0.3, 0.6, 0.8, 1]) {
          const c = parentalCrossfeedSchedule({ steps, injectionStep: k, power: 0.3, range, decay: 0.5 });
          expect(c).toHaveLength(steps);
          c.forEach((v) => expect(v >= 0 && v <= 0.3).toBe(true));
          for (let i = k + 1; i < steps; i++) expect(c[i]).toBeLessThanOrEqual(c[i - 1] + 1e-12);
        }
      }
      const kc = keyframeCrossfeedSchedule({ steps, power: 0.3, range: 0.6, decay: 0.5 });
      expect(kc).toHaveLength(steps);
      kc.forEach((v) => expect(v >= 0 && v <= 0.3).toBe(true));
    }
  });

  it('SD-Turbo settings (N = 4, k = 2, R = 0.8): crossfeed at step 2 only, where round(3.2) = 3 ends it', () => {
    // [P, P] ++ linspace(P, P·D, 3 − 2 = 1) = [P] ++ zeros; step 2 is the injection step itself (no crossfeed there).
    expect(parentalCrossfeedSchedule({ steps: 4, injectionStep: 2, power: 0.1, range: 0.8, decay: 0.8 })).toEqual([0.1, 0.1, 0.1, 0]);
  });
});
