import { describe, expect, it } from 'vitest';
import { dampedGuidance } from './guidance';

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
