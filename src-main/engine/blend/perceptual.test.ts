import { describe, expect, it } from 'vitest';
import { areaResize } from './perceptual-metric';
import { builtinDistance, createPerceptualMetric, toLab } from './perceptual';

function solid(width: number, height: number, rgb: [number, number, number]) {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set(rgb, i * 3);
  return { width, height, data };
}

/** A white square of side `side` at column `x0` on black. */
function square(x0: number, side = 32) {
  const img = solid(128, 128, [0, 0, 0]);
  for (let y = 48; y < 48 + side; y++) for (let x = x0; x < x0 + side; x++) img.data.set([255, 255, 255], (y * 128 + x) * 3);
  return img;
}

describe('toLab', () => {
  it('matches published sRGB → Lab values', () => {
    // White (255,255,255) → L 100, a 0, b 0; sRGB red → L 53.24, a 80.09, b 67.20 (D65)
    const lab = toLab(Float32Array.from([255, 255, 255, 255, 0, 0]));
    expect(lab[0]).toBeCloseTo(100, 2);
    expect(lab[1]).toBeCloseTo(0, 2);
    expect(lab[3]).toBeCloseTo(53.24, 1);
    expect(lab[4]).toBeCloseTo(80.09, 1);
    expect(lab[5]).toBeCloseTo(67.2, 1);
  });
});

describe('areaResize', () => {
  it('averages 2×2 blocks when halving', () => {
    const img = { width: 2, height: 2, data: Uint8Array.from([0, 0, 0, 100, 100, 100, 200, 200, 200, 100, 100, 100]) };
    expect(Array.from(areaResize(img, 1, 1))).toEqual([100, 100, 100]);
  });
});

describe('builtin metric', () => {
  it('is 0 for identical images and symmetric', () => {
    const a = square(10);
    const b = square(40);
    expect(builtinDistance(a, a)).toBe(0);
    expect(builtinDistance(a, b)).toBeCloseTo(builtinDistance(b, a), 12);
  });

  it('grows with how far a shape moved', () => {
    const base = square(10);
    const near = builtinDistance(base, square(18));
    const far = builtinDistance(base, square(60));
    expect(near).toBeGreaterThan(0);
    expect(far).toBeGreaterThan(near);
  });

  it('ranks a large colour change above a small one', () => {
    const grey = solid(64, 64, [128, 128, 128]);
    expect(builtinDistance(grey, solid(64, 64, [140, 128, 128]))).toBeLessThan(builtinDistance(grey, solid(64, 64, [200, 60, 60])));
  });

  it('is what createPerceptualMetric returns without an LPIPS model', async () => {
    const metric = await createPerceptualMetric('/nonexistent-model-dir');
    expect(metric.name).toMatch(/builtin/);
    expect(await metric.distance(square(10), square(10))).toBe(0);
  });
});
