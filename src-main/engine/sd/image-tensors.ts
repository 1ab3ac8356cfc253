import type { GrayImage, RgbImage } from '../image';

/** VAE output [B,3,H,W] in [-1,1] → RGB bytes: clip(x/2 + 0.5, 0, 1)·255, rounded. */
export function nchwToRgbImages(data: Float32Array, batch: number, height: number, width: number): RgbImage[] {
  const plane = height * width;
  const images: RgbImage[] = [];
  for (let b = 0; b < batch; b++) {
    // A clamped array does the clip and the rounding in its store, with no branch per value.
    const rgb = new Uint8ClampedArray(plane * 3);
    const base = b * 3 * plane;
    for (let c = 0; c < 3; c++) {
      const src = base + c * plane;
      for (let i = 0, o = c; i < plane; i++, o += 3) rgb[o] = data[src + i] * 127.5 + 127.5;
    }
    images.push({ width, height, data: new Uint8Array(rgb.buffer) });
  }
  return images;
}

/** RGB bytes → [1,3,H,W] in [-1,1] (pixel/127.5 − 1), optionally zeroing where keep(i) is false. */
export function rgbImageToNchw(image: RgbImage, keep?: (pixel: number) => boolean): Float32Array {
  const plane = image.width * image.height;
  const out = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    if (keep && !keep(i)) continue; // masked pixels are 0 = mid grey in [-1,1], as diffusers does
    for (let c = 0; c < 3; c++) out[c * plane + i] = image.data[i * 3 + c] / 127.5 - 1;
  }
  return out;
}

/** Nearest-neighbour resize of a single-channel map (masks), matching PIL/torch "nearest". */
export function resizeNearest(
  src: GrayImage,
  width: number,
  height: number,
): Float32Array {
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(src.height - 1, Math.floor((y * src.height) / height));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(src.width - 1, Math.floor((x * src.width) / width));
      out[y * width + x] = src.data[sy * src.width + sx];
    }
  }
  return out;
}
