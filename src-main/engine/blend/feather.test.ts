import { describe, expect, it } from 'vitest';
import { compositeKept, featherWeights, gaussianBlur } from './feather';

/** 32×4 mask: columns ≥ 16 regenerate. */
function halfMask() {
  const width = 32;
  const height = 4;
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 16; x < width; x++) data[y * width + x] = 1;
  return { width, height, data };
}

describe('featherWeights', () => {
  it('is exactly 0 on kept pixels and ramps to 1 inside the mask', () => {
    const w = featherWeights(halfMask(), 4);
    const row = Array.from(w.slice(0, 32));
    expect(row.slice(0, 16)).toEqual(new Array(16).fill(0));
    // inside: rising until radius, then 1
    for (let x = 16; x < 20; x++) expect(row[x + 1]).toBeGreaterThanOrEqual(row[x]);
    expect(row[16]).toBeGreaterThan(0);
    expect(row[16]).toBeLessThan(0.5);
    for (let x = 20; x < 32; x++) expect(row[x]).toBeCloseTo(1, 6);
  });

  it('is the thresholded mask with radius 0', () => {
    const m = { width: 3, height: 1, data: Float32Array.from([0.2, 0.5, 0.9]) };
    expect(Array.from(featherWeights(m, 0))).toEqual([0, 1, 1]);
  });

  it('rejects a fractional radius', () => {
    expect(() => featherWeights(halfMask(), 2.5)).toThrow(/radiusPx must be an integer/);
  });
});

describe('gaussianBlur', () => {
  it('keeps a constant image constant (normalised kernel, clamped edges)', () => {
    const out = gaussianBlur(new Float32Array(20).fill(0.7), 5, 4, 3);
    for (const v of out) expect(v).toBeCloseTo(0.7, 6);
  });
});

describe('compositeKept', () => {
  it('keeps the original bytes where the weight is 0 and takes the generated ones where it is 1', () => {
    const original = { width: 2, height: 1, data: Uint8Array.from([10, 20, 30, 40, 50, 60]) };
    const generated = { width: 2, height: 1, data: Uint8Array.from([200, 200, 200, 100, 100, 100]) };
    const out = compositeKept(original, generated, Float32Array.from([0, 1]));
    expect(Array.from(out.data)).toEqual([10, 20, 30, 100, 100, 100]);
    // half weight: (40 + 100)/2 = 70, (50+100)/2 = 75, (60+100)/2 = 80
    expect(Array.from(compositeKept(original, generated, Float32Array.from([0, 0.5])).data.slice(3))).toEqual([70, 75, 80]);
  });
});
