import { describe, expect, it } from 'vitest';
import { spacing } from './spacing';

const close = (a: number[], b: number[]) => {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 12));
};

describe('spacing', () => {
  it('is linspace below s = 1.7', () => {
    close(spacing(5, 1.2), [0, 0.25, 0.5, 0.75, 1]);
    close(spacing(4, 1.69), [0, 1 / 3, 2 / 3, 1]);
  });
  it('n=5, s=2 gives the spec example', () => {
    close(spacing(5, 2), [0, 0.375, 0.5, 0.625, 1]);
  });
  it('n=6, s=2 (even: drop the centre, mirror)', () => {
    // per = 4, x = [1, 2/3, 1/3, 0], |x²/2 − .5| = (1 − x²)/2 = [0, 5/18, 4/9, 1/2];
    // left[:-1] = [0, 5/18, 4/9]; right = 1 − reverse = [5/9, 13/18, 1]
    close(spacing(6, 2), [0, 5 / 18, 4 / 9, 5 / 9, 13 / 18, 1]);
  });
  it('n=4, s=3', () => {
    // per = 3, x = [1, .5, 0], (1 − x³)/2 = [0, .4375, .5]; left = [0, .4375]; right = [.5625, 1]
    close(spacing(4, 3), [0, 0.4375, 0.5625, 1]);
  });
  it('n=3 and n=2 keep the ends', () => {
    close(spacing(3, 2), [0, 0.5, 1]);
    close(spacing(2, 2.5), [0, 1]);
  });
  it('rejects n < 2', () => {
    expect(() => spacing(1, 2)).toThrow(/n must be an integer/);
  });
});
