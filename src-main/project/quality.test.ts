import { describe, expect, it } from 'vitest';
import { depthStrengthFits, depthStrengthRange, effectiveSteps, firstInjectionStep, minFramesForPreset, presetFinalImages, presetSteps, transitionFrameCount } from './quality';

describe('quality presets (spec §3a table)', () => {
  it('set N as in the table', () => {
    const table = (['lowest', 'low', 'medium', 'high', 'ultra'] as const).map(presetSteps);
    expect(table).toEqual([12, 15, 30, 60, 100]);
  });

  it('set F from the frame count: lowest 5, then frames // 16, 8, 4, 2', () => {
    const frames = 96; // 4 s at 24 fps
    expect(presetFinalImages('lowest', frames)).toBe(5);
    expect(presetFinalImages('low', frames)).toBe(6);
    expect(presetFinalImages('medium', frames)).toBe(12);
    expect(presetFinalImages('high', frames)).toBe(24);
    expect(presetFinalImages('ultra', frames)).toBe(48);
  });

  it('need enough frames to plan 3 final images (two keyframes and one between)', () => {
    expect(minFramesForPreset('lowest')).toBe(2);
    expect(minFramesForPreset('low')).toBe(48);
    expect(minFramesForPreset('medium')).toBe(24);
    expect(minFramesForPreset('high')).toBe(12);
    expect(minFramesForPreset('ultra')).toBe(6);
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
  it('rounds the first injection half to even, like numpy', () => {
    expect(firstInjectionStep(0.5, 5)).toBe(2); // 2.5 → 2
    expect(firstInjectionStep(0.5, 7)).toBe(4); // 3.5 → 4
  });

  it('keeps the first injection within [3, N − 3]', () => {
    expect(depthStrengthFits(0.5, 30)).toBe(true);
    expect(depthStrengthFits(0.05, 30)).toBe(false); // step 2 (1.5 → 2)
    expect(depthStrengthFits(0.1, 30)).toBe(true); // step 3
    expect(depthStrengthFits(0.9, 30)).toBe(true); // step 27 = N − 3
    expect(depthStrengthFits(0.95, 30)).toBe(false); // step 28 (28.5 → 28)
    expect(depthStrengthRange(30)).toEqual({ min: 0.09, max: 0.91 }); // 2.7 → 3, 27.3 → 27
    expect(depthStrengthRange(5)).toBeUndefined(); // 3 ≤ k ≤ 2 is empty
  });
});
