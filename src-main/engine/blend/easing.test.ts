import { describe, expect, it } from 'vitest';
import { EASING_CURVES, easeProgress, easeTime, easedGapWeights, type Easing } from './easing';
import { fillFrames } from './fill-frames';

const all: Easing[] = EASING_CURVES.flatMap((curve) => [0, 0.5, 1].map((strength) => ({ curve, strength })));
const grid = Array.from({ length: 101 }, (_, i) => i / 100);

describe('easing curves', () => {
  it('start at 0, end at 1, and rise strictly (hug curves at strength 0 are linear)', () => {
    for (const e of all) {
      expect(easeProgress(e, 0)).toBe(0);
      expect(easeProgress(e, 1)).toBe(1);
      const ps = grid.map((u) => easeProgress(e, u));
      ps.slice(1).forEach((p, i) => expect(p).toBeGreaterThan(ps[i]));
    }
    for (const curve of ['hug-middle', 'hug-keyframes'] as const) {
      for (const u of grid) expect(easeProgress({ curve, strength: 0 }, u)).toBeCloseTo(u, 12);
    }
  });

  it('easeTime inverts easeProgress', () => {
    for (const e of all) for (const u of grid) expect(easeTime(e, easeProgress(e, u))).toBeCloseTo(u, 9);
  });

  it('have the shapes their names promise', () => {
    const at = (curve: Easing['curve'], u: number, strength = 0.5) => easeProgress({ curve, strength }, u);
    // Slow start: a quarter of the time covers a sixteenth of the way; slow end: the reverse.
    expect(at('ease-in', 0.25)).toBeCloseTo(1 / 16, 12);
    expect(at('ease-out', 0.75)).toBeCloseTo(15 / 16, 12);
    expect(at('ease-in-out', 0.5)).toBe(0.5);
    expect(at('ease-in-out', 0.1)).toBeLessThan(0.05);
    // Hug the keyframes: little progress near both ends, fast through the middle, stronger with strength.
    expect(at('hug-keyframes', 0.2)).toBeLessThan(0.2);
    expect(at('hug-keyframes', 0.2, 1)).toBeLessThan(at('hug-keyframes', 0.2, 0.5));
    expect(at('hug-keyframes', 0.8)).toBeGreaterThan(0.8);
    // Hug the middle: rushes away from the keyframes and lingers around f = 0.5.
    expect(at('hug-middle', 0.2)).toBeGreaterThan(0.2);
    expect(at('hug-middle', 0.55) - at('hug-middle', 0.45)).toBeLessThan(0.1);
  });

  it('refuses unknown curves and strengths outside [0, 1]', () => {
    expect(() => easeProgress({ curve: 'bounce' as Easing['curve'], strength: 0.5 }, 0.5)).toThrow(/unknown easing curve "bounce"/);
    expect(() => easeTime({ curve: 'hug-middle', strength: 2 }, 0.5)).toThrow(/strength must be in \[0, 1\], got 2/);
  });
});

describe('easedGapWeights', () => {
  it('gives each gap the time the curve takes to cross it', () => {
    const w = easedGapWeights([0.5, 0.5], { curve: 'ease-in', strength: 0.5 });
    // Reaching f = 0.5 under p = u² takes u = √0.5 of the time.
    expect(w[0]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(w[0] + w[1]).toBeCloseTo(1, 12);
    expect(easedGapWeights([0.25, 0.25, 0.25, 0.25], { curve: 'linear', strength: 0.5 })).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('makes the fill-up linger where the curve is slow: more crossfade frames by the keyframes under ease in-out', () => {
    const positions = [0, 0.25, 0.5, 0.75, 1];
    const extraPerGap = (picks: ReturnType<typeof fillFrames>) => {
      const counts = [0, 0, 0, 0];
      for (const p of picks) if (p.kind === 'crossfade') counts[p.from]++;
      return counts;
    };
    const linear = extraPerGap(fillFrames(positions, 45));
    const eased = extraPerGap(fillFrames(positions, 45, { easing: { curve: 'ease-in-out', strength: 0.5 } }));
    expect(linear).toEqual([10, 10, 10, 10]);
    expect(eased[0]).toBeGreaterThan(eased[1]);
    expect(eased[3]).toBeGreaterThan(eased[2]);
    expect(eased.reduce((a, b) => a + b, 0)).toBe(40);
    // Every image is still shown once, in order, both keyframes included.
    const shown = fillFrames(positions, 45, { easing: { curve: 'ease-in-out', strength: 0.5 } }).flatMap((p) => (p.kind === 'image' ? [p.index] : []));
    expect(shown).toEqual([0, 1, 2, 3, 4]);
  });
});
