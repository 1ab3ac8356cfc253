import { describe, expect, it } from 'vitest';
import { linspace, logspace, roundHalfEven, truncToInt } from './numpy';

describe('roundHalfEven (Python round)', () => {
  it('sends halves to the even neighbour', () => {
    // Python: round(0.5)=0, round(1.5)=2, round(2.5)=2, round(19.5)=20, round(-0.5)=0, round(-1.5)=-2
    expect([0.5, 1.5, 2.5, 19.5, 20.5, -0.5, -1.5].map(roundHalfEven)).toEqual([0, 2, 2, 20, 20, 0, -2]);
  });
  it('rounds non-halves to the nearest integer', () => {
    expect([0.49, 0.51, 2.9999, -2.6, 7].map(roundHalfEven)).toEqual([0, 1, 3, -3, 7]);
  });
  it('rejects NaN', () => {
    expect(() => roundHalfEven(Number.NaN)).toThrow(/finite/);
  });
});

describe('linspace (NumPy semantics)', () => {
  it('hits both ends and the midpoints', () => {
    // np.linspace(20, 27, 5) = [20, 21.75, 23.5, 25.25, 27]
    expect(linspace(20, 27, 5)).toEqual([20, 21.75, 23.5, 25.25, 27]);
  });
  it('makes the last element exactly stop even when i·step would not', () => {
    // step = 0.3/3 = 0.09999999999999999 in float64 and 3·step = 0.29999999999999993;
    // NumPy gives [0, 0.09999999999999999, 0.19999999999999998, 0.3] (endpoint overwritten).
    const v = linspace(0, 0.3, 4);
    expect(v[3]).toBe(0.3);
    expect(v[1]).toBe(0.09999999999999999);
    expect(v[2]).toBe(0.19999999999999998);
  });
  it('num = 1 gives [start], num = 0 gives []', () => {
    expect(linspace(3, 9, 1)).toEqual([3]);
    expect(linspace(3, 9, 0)).toEqual([]);
  });
  it('endpoint=false divides by num', () => {
    // np.linspace(0, 1, 4, endpoint=False) = [0, .25, .5, .75]
    expect(linspace(0, 1, 4, false)).toEqual([0, 0.25, 0.5, 0.75]);
  });
  it('runs downward when stop < start', () => {
    expect(linspace(1, 0, 3)).toEqual([1, 0.5, 0]);
  });
  it('rejects a fractional count', () => {
    expect(() => linspace(0, 1, 2.5)).toThrow(/num must be an integer/);
  });
});

describe('logspace', () => {
  it('is 10 ** linspace', () => {
    // np.logspace(0, 2, 3) = [1, 10, 100]
    const v = logspace(0, 2, 3);
    expect(v[0]).toBe(1);
    expect(v[1]).toBeCloseTo(10, 12);
    expect(v[2]).toBeCloseTo(100, 12);
  });
  it('between log10(2) and log10(12) is 2·6^(j/5)', () => {
    const v = logspace(Math.log10(2), Math.log10(12), 6);
    for (let j = 0; j < 6; j++) expect(v[j]).toBeCloseTo(2 * 6 ** (j / 5), 10);
  });
});

describe('truncToInt (astype(int))', () => {
  it('truncates toward zero', () => {
    expect([21.75, 23.5, 0.999, -1.5, -0.2].map(truncToInt)).toEqual([21, 23, 0, -1, 0]);
  });
});
