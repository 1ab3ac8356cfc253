import type { RgbImage } from '../../engine/image';

/**
 * Frames like a demo-model movie, for GIF size tests and the export bench: soft colour fields
 * that drift and blend, a moving blob, and a fine grain texture that slides with them, so every
 * frame differs from the last everywhere (a GIF cannot simply repeat pixels) yet stays smooth.
 */
export function demoLikeFrame(size: number, index: number, total: number): RgbImage {
  const data = new Uint8Array(size * size * 3);
  const t = index / total;
  const cx = size * (0.5 + 0.3 * Math.sin(t * 2 * Math.PI));
  const cy = size * (0.5 + 0.3 * Math.cos(t * 2 * Math.PI));
  const radius = size / 5;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 3;
      const grain = hashNoise(x + index, y + (index >> 1)) * 4 - 2;
      const blob = Math.max(0, 1 - Math.hypot(x - cx, y - cy) / radius);
      const r = 128 + 90 * Math.sin(x / 47 + t * 6) + 60 * blob + grain;
      const g = (y / size) * 200 * (1 - t) + 100 * t + 40 * blob + grain;
      const b = 128 + 90 * Math.cos((x + y) / 71 - t * 4) - 50 * blob + grain;
      data[i] = clamp(r);
      data[i + 1] = clamp(g);
      data[i + 2] = clamp(b);
    }
  }
  return { width: size, height: size, data };
}

export function demoLikeFrames(size: number, count: number): RgbImage[] {
  return Array.from({ length: count }, (_, i) => demoLikeFrame(size, i, count));
}

/** A fixed pseudo-random value in [0, 1) per pixel position (integer hash, no state). */
function hashNoise(x: number, y: number): number {
  let h = Math.imul(x, 374761393) + Math.imul(y, 668265263);
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}
