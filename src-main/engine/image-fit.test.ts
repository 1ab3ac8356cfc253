import { describe, expect, it } from 'vitest';
import type { RgbImage } from './image';
import { fitGrayImage, fitImage } from './image-fit';

/** A picture whose left half is red and right half is blue. */
function halves(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(x < width / 2 ? [255, 0, 0] : [0, 0, 255], (y * width + x) * 3);
  return { width, height, data };
}

function pixel(img: RgbImage, x: number, y: number): number[] {
  const p = (y * img.width + x) * 3;
  return [...img.data.subarray(p, p + 3)];
}

describe('fitImage', () => {
  it('returns a picture of the project size unchanged', () => {
    const src = halves(16, 8);
    expect(fitImage(src, 16, 8, 'crop')).toBe(src);
  });

  it('fit keeps the whole picture on black bars', () => {
    const out = fitImage(halves(32, 16), 16, 16, 'fit');
    expect([out.width, out.height]).toEqual([16, 16]);
    expect(pixel(out, 8, 0)).toEqual([0, 0, 0]); // bar above
    expect(pixel(out, 8, 15)).toEqual([0, 0, 0]); // bar below
    expect(pixel(out, 1, 8)).toEqual([255, 0, 0]);
    expect(pixel(out, 14, 8)).toEqual([0, 0, 255]);
  });

  it('fill stretches the whole picture: both halves stay halves, no bars', () => {
    const out = fitImage(halves(32, 16), 16, 16, 'fill');
    expect(pixel(out, 0, 0)).toEqual([255, 0, 0]);
    expect(pixel(out, 6, 15)).toEqual([255, 0, 0]);
    expect(pixel(out, 9, 0)).toEqual([0, 0, 255]);
    expect(pixel(out, 15, 15)).toEqual([0, 0, 255]);
  });

  it('crop cuts the overflow around the centre', () => {
    // 64×16 red|blue cropped to 16×16 keeps the middle quarter: left 8 px red, right 8 px blue.
    const out = fitImage(halves(64, 16), 16, 16, 'crop');
    expect(pixel(out, 0, 0)).toEqual([255, 0, 0]);
    expect(pixel(out, 6, 8)).toEqual([255, 0, 0]);
    expect(pixel(out, 9, 8)).toEqual([0, 0, 255]);
    // A fit of the same picture would show only a quarter-height strip.
    expect(pixel(fitImage(halves(64, 16), 16, 16, 'fit'), 0, 0)).toEqual([0, 0, 0]);
  });

  it('averages when shrinking and interpolates when enlarging', () => {
    // Alternating black/white columns shrink to mid grey instead of aliasing.
    const stripes = { width: 64, height: 4, data: new Uint8Array(64 * 4 * 3) };
    for (let y = 0; y < 4; y++) for (let x = 0; x < 64; x += 2) stripes.data.fill(255, (y * 64 + x) * 3, (y * 64 + x) * 3 + 3);
    const small = fitImage(stripes, 8, 4, 'fill');
    for (let x = 1; x < 7; x++) expect(Math.abs(pixel(small, x, 2)[0] - 128)).toBeLessThan(20);
    const big = fitImage(halves(4, 4), 64, 64, 'fill');
    const row = Array.from({ length: 64 }, (_, x) => pixel(big, x, 32)[0]);
    expect(row[0]).toBe(255);
    expect(row[63]).toBe(0);
    for (let x = 1; x < 64; x++) expect(row[x]).toBeLessThanOrEqual(row[x - 1]);
    expect(row.some((v) => v > 0 && v < 255)).toBe(true);
  });
});

describe('fitGrayImage', () => {
  it('moves a mask exactly as its picture: the masked half stays on the same picture half', () => {
    const mask = { width: 64, height: 16, data: new Float32Array(64 * 16) };
    for (let y = 0; y < 16; y++) for (let x = 0; x < 32; x++) mask.data[y * 64 + x] = 1; // left half: regenerate
    const picture = fitImage(halves(64, 16), 16, 16, 'crop');
    const fitted = fitGrayImage(mask, 16, 16, 'crop');
    for (let y = 0; y < 16; y++) {
      for (const x of [0, 6, 9, 15]) expect(fitted.data[y * 16 + x] > 0.5).toBe(pixel(picture, x, y)[0] > 128);
    }
    // The bars of "fit" are kept (0), like the picture's black bars.
    expect(fitGrayImage(mask, 16, 16, 'fit').data[0]).toBe(0);
  });
});
