import type { RgbImage } from '../../engine/image';

/** An RGB image of seeded LCG noise: incompressible, so every PNG filter and deflate path runs. */
export function noiseImage(width: number, height: number, seed: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    data[i] = s >>> 24;
  }
  return { width, height, data };
}
