import { describe, expect, it } from 'vitest';
import { PRESET_STEPS, effectiveSteps, maxDepthStrength, depthStrengthFits, presetFinalImages, transitionFrameCount } from './quality';

describe('quality presets (spec §3a table)', () => {
  it('set N as in the table', () => {
    expect(PRESET_STEPS).toEqual({ lowest: 12, low: 15, medium: 30, high: 60, ultra: 100 });
  });

  it('set F from the frame count: lowest 5, then frames // 16, 8, 4, 2', () => {
    const frames = 96; // 4 s at 24 fps
    expect(presetFinalImages('lowest', frames)).toBe(5);
    expect(presetFinalImages('low', frames)).toBe(6);
    expect(presetFinalImages('medium', frames)).toBe(12);
    expect(presetFinalImages('high', frames)).toBe(24);
    expect(presetFinalImages('ultra', frames)).toBe(48);
  });

  it('never plan fewer than 3 final images (two keyframes and one between)', () => {
    expect(presetFinalImages('low', 24)).toBe(3);
  });

  it('count frames as round(duration × fps)', () => {
    expect(transitionFrameCount(3, 24)).toBe(72);
    expect(transitionFrameCount(2.5, 29.97)).toBe(75);
  });
});

describe('effectiveSteps', () => {
  const fixed = (preset: 'lowest' | 'low' | 'medium' | 'high' | 'ultra') => ({ mode: { kind: 'fixed', preset } });
  it('uses an explicit steps value over every preset', () => {
    expect(effectiveSteps({ steps: 25, transitions: [fixed('ultra')] })).toBe(25);
  });
  it('takes the largest preset N so no transition gets fewer steps than promised', () => {
    expect(effectiveSteps({ transitions: [fixed('low'), fixed('high'), fixed('medium')] })).toBe(60);
  });
  it('falls back to medium (30) when only adaptive transitions exist', () => {
    expect(effectiveSteps({ transitions: [{ mode: { kind: 'adaptive' } }] })).toBe(30);
    expect(effectiveSteps({ transitions: [] })).toBe(30);
  });
});

describe('depth strength limit', () => {
  it('agrees with the rule round(N·d) ≤ N − 3 at the reported maximum', () => {
    for (const n of [10, 12, 15, 30, 60, 100]) {
      const d = maxDepthStrength(n);
      expect(Math.round(n * d)).toBeLessThanOrEqual(n - 3);
      expect(depthStrengthFits(d, n)).toBe(true);
      expect(depthStrengthFits(d + 0.01, n)).toBe(Math.round(n * (d + 0.01)) <= n - 3);
    }
  });
});
