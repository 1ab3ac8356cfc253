/**
 * Fitting a picture to the render size, the three ways a creator can choose (an image keyframe's
 * `imageFit`). Pure; resampling is a separable triangle filter whose support widens when
 * shrinking, so a large photo is averaged (no aliasing) and a small one is interpolated.
 */
import type { GrayImage, RgbImage } from './image';

export const IMAGE_FITS = ['fit', 'fill', 'crop'] as const;
export type ImageFit = (typeof IMAGE_FITS)[number];

/**
 * fit: the whole picture, aspect kept, centred on black bars;
 * fill: the whole picture stretched to the size (aspect changes);
 * crop: aspect kept, scaled to cover the size, the overflow cut off around the centre.
 */
export function fitImage(src: RgbImage, width: number, height: number, fit: ImageFit): RgbImage {
  if (src.width === width && src.height === height) return src;
  if (fit === 'fill') return resample(src, { x: 0, y: 0, w: src.width, h: src.height }, width, height);
  const scale = fit === 'fit' ? Math.min(width / src.width, height / src.height) : Math.max(width / src.width, height / src.height);
  if (fit === 'crop') {
    // The source window that covers the output exactly, centred.
    const w = width / scale;
    const h = height / scale;
    return resample(src, { x: (src.width - w) / 2, y: (src.height - h) / 2, w, h }, width, height);
  }
  const w = Math.max(1, Math.min(width, Math.round(src.width * scale)));
  const h = Math.max(1, Math.min(height, Math.round(src.height * scale)));
  const inner = resample(src, { x: 0, y: 0, w: src.width, h: src.height }, w, h);
  const out = new Uint8Array(width * height * 3);
  const left = Math.floor((width - w) / 2);
  const top = Math.floor((height - h) / 2);
  for (let y = 0; y < h; y++) out.set(inner.data.subarray(y * w * 3, (y + 1) * w * 3), ((top + y) * width + left) * 3);
  return { width, height, data: out };
}

/**
 * A mask fitted exactly like its keyframe's picture, so the painted region stays on the same
 * pixels of the picture (bars of `fit` are 0: kept, like the picture's black bars).
 */
export function fitGrayImage(src: GrayImage, width: number, height: number, fit: ImageFit): GrayImage {
  if (src.width === width && src.height === height) return src;
  const rgb = new Uint8Array(src.width * src.height * 3);
  for (let i = 0; i < src.data.length; i++) rgb.fill(Math.round(Math.min(1, Math.max(0, src.data[i])) * 255), i * 3, i * 3 + 3);
  const out = fitImage({ width: src.width, height: src.height, data: rgb }, width, height, fit);
  const data = new Float32Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = out.data[i * 3] / 255;
  return { width, height, data };
}

interface Window {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** Resample the source window (fractional, in source pixels) to outW × outH. */
function resample(src: RgbImage, win: Window, outW: number, outH: number): RgbImage {
  const xs = weights(win.x, win.w, outW, src.width);
  const ys = weights(win.y, win.h, outH, src.height);
  // Horizontal pass into float rows, then vertical pass.
  const rows = new Float32Array(src.height * outW * 3);
  for (let sy = 0; sy < src.height; sy++) {
    for (let x = 0; x < outW; x++) {
      const { first, w } = xs[x];
      let r = 0, g = 0, b = 0;
      for (let i = 0; i < w.length; i++) {
        const p = (sy * src.width + first + i) * 3;
        r += src.data[p] * w[i];
        g += src.data[p + 1] * w[i];
        b += src.data[p + 2] * w[i];
      }
      const o = (sy * outW + x) * 3;
      rows[o] = r;
      rows[o + 1] = g;
      rows[o + 2] = b;
    }
  }
  const out = new Uint8Array(outW * outH * 3);
  for (let y = 0; y < outH; y++) {
    const { first, w } = ys[y];
    for (let x = 0; x < outW; x++) {
      for (let c = 0; c < 3; c++) {
        let v = 0;
        for (let i = 0; i < w.length; i++) v += rows[((first + i) * outW + x) * 3 + c] * w[i];
        out[(y * outW + x) * 3 + c] = Math.min(255, Math.max(0, Math.round(v)));
      }
    }
  }
  return { width: outW, height: outH, data: out };
}

/** Normalised triangle-filter taps of each output pixel along one axis. */
function weights(start: number, span: number, n: number, size: number): { first: number; w: Float64Array }[] {
  const scale = span / n; // source pixels per output pixel
  const support = Math.max(1, scale);
  return Array.from({ length: n }, (_, i) => {
    const centre = start + (i + 0.5) * scale;
    const first = Math.max(0, Math.floor(centre - support));
    const last = Math.min(size - 1, Math.ceil(centre + support));
    const w = new Float64Array(last - first + 1);
    let sum = 0;
    for (let s = first; s <= last; s++) {
      const v = Math.max(0, 1 - Math.abs(s + 0.5 - centre) / support);
      w[s - first] = v;
      sum += v;
    }
    if (sum === 0) {
      // A window narrower than a pixel at the border: take the nearest pixel.
      const nearest = Math.min(size - 1, Math.max(0, Math.floor(centre)));
      return { first: nearest, w: Float64Array.of(1) };
    }
    for (let k = 0; k < w.length; k++) w[k] /= sum;
    return { first, w };
  });
}
