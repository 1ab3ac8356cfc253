import { describe, expect, it } from 'vitest';
import { classifierFreeGuidanceOn } from '../sd/guidance-rule';
import { dampedGuidance, transitionGuidance } from './guidance';

describe('dampedGuidance', () => {
  it('halves guidance at the middle with damper 0.5', () => {
    // mid(0.5) = 1 → 7.5 − 7.5·0.5·1 = 3.75
    expect(dampedGuidance(7.5, 0.5, 0.5)).toBeCloseTo(3.75, 12);
  });
  it('damps linearly toward the keyframes', () => {
    // f = 0.25: mid = 1 − 0.25/0.5 = 0.5 → 7.5 − 7.5·0.5·0.5 = 5.625; f = 0.75 is symmetric.
    expect(dampedGuidance(7.5, 0.25, 0.5)).toBeCloseTo(5.625, 12);
    expect(dampedGuidance(7.5, 0.75, 0.5)).toBeCloseTo(5.625, 12);
  });
  it('keeps full guidance at keyframes and with damper 1', () => {
    expect(dampedGuidance(7.5, 0, 0.1)).toBe(7.5);
    expect(dampedGuidance(7.5, 1, 0.1)).toBe(7.5);
    expect(dampedGuidance(7.5, 0.4, 1)).toBe(7.5);
  });
  it('rejects a damper of 0 or f outside [0, 1]', () => {
    expect(() => dampedGuidance(7.5, 0.5, 0)).toThrow(/guidanceMidDamper must be in \(0, 1\]/);
    expect(() => dampedGuidance(7.5, -0.1, 0.5)).toThrow(/f must be in/);
  });
});

describe('transitionGuidance (the diffusers rule: no guidance at g ≤ 1)', () => {
  it('keyframes of a guided transition get the full g; mid images the damped value, also below 1', () => {
    expect(transitionGuidance(7.5, 0, 0.1)).toEqual({ guidance: 7.5, keyframeGuidance: 7.5 });
    // mid = 1 at f = 0.5: 7.5·0.1 = 0.75 < 1, still guided (continuous damping)
    const mid = transitionGuidance(7.5, 0.5, 0.1);
    expect(mid.guidance).toBeCloseTo(0.75, 12);
    expect(classifierFreeGuidanceOn(mid.guidance, mid.keyframeGuidance)).toBe(true);
  });

  it('a transition with g ≤ 1 runs unguided everywhere, keyframes included', () => {
    for (const g of [0, 0.5, 1]) {
      for (const f of [0, 0.3, 0.5, 1]) {
        const r = transitionGuidance(g, f, 0.5);
        expect(r.guidance).toBe(g);
        expect(classifierFreeGuidanceOn(r.guidance, r.keyframeGuidance)).toBe(false);
      }
    }
    expect(classifierFreeGuidanceOn(1.01)).toBe(true);
    expect(classifierFreeGuidanceOn(1)).toBe(false);
  });

  it('damped guidance is continuous in f', () => {
    const values = Array.from({ length: 101 }, (_, i) => transitionGuidance(7.5, i / 100, 0.2).guidance);
    for (let i = 1; i < values.length; i++) expect(Math.abs(values[i] - values[i - 1])).toBeLessThan(0.13);
  });
});
