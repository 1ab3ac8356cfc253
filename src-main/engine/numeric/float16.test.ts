import { describe, expect, it } from 'vitest';
import { float16ToFloat32, float32ToFloat16, fromHalfBits, toHalfBits } from './float16';

describe('float16 conversion', () => {
  it('encodes the IEEE 754 reference bit patterns', () => {
    // Values and bit patterns from the binary16 definition (1 sign, 5 exponent, 10 mantissa bits).
    expect(toHalfBits(1)).toBe(0x3c00);
    expect(toHalfBits(-2)).toBe(0xc000);
    expect(toHalfBits(65504)).toBe(0x7bff); // largest finite half
    expect(toHalfBits(1e6)).toBe(0x7c00); // overflow → +Inf
    expect(toHalfBits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(toHalfBits(2 ** -14)).toBe(0x0400); // smallest normal
    expect(toHalfBits(0.333251953125)).toBe(0x3555);
    expect(toHalfBits(NaN) & 0x7c00).toBe(0x7c00);
    expect(toHalfBits(-0)).toBe(0x8000);
  });

  it('rounds to nearest even at the halfway point', () => {
    // 1 + 2^-11 lies exactly between 1 and 1 + 2^-10: ties go to the even mantissa (1).
    expect(toHalfBits(1 + 2 ** -11)).toBe(0x3c00);
    // 1 + 3·2^-11 lies between 1+2^-10 (odd) and 1+2^-9 (even): rounds up.
    expect(toHalfBits(1 + 3 * 2 ** -11)).toBe(0x3c02);
  });

  it('round-trips every finite half value exactly', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      const exp = (bits >>> 10) & 0x1f;
      if (exp === 0x1f) continue;
      expect(toHalfBits(fromHalfBits(bits))).toBe(bits);
    }
  });

  it('converts arrays within half precision', () => {
    const src = new Float32Array([0.1, -3.75, 1000.5, 1e-5]);
    const back = float16ToFloat32(float32ToFloat16(src));
    for (let i = 0; i < src.length; i++) {
      expect(Math.abs(back[i] - src[i])).toBeLessThanOrEqual(Math.abs(src[i]) * 2 ** -11 + 2 ** -25);
    }
  });
});
