/**
 * What every perceptual metric is (the built-in one in perceptual.ts, LPIPS in lpips-onnx.ts)
 * and the downscale both apply before comparing.
 */
import type { RgbImage } from '../image';
import { badArgument } from './errors';

export interface PerceptualMetric {
  readonly name: string;
  distance(a: RgbImage, b: RgbImage): Promise<number>;
}

/** Box-filter resize: every output pixel is the mean of the source pixels whose centres fall in it. */
export function areaResize(image: RgbImage, width: number, height: number): Float32Array {
  const { width: W, height: H, data } = image;
  if (data.length !== W * H * 3) throw badArgument('areaResize', `image data has ${data.length} bytes for ${W}×${H} RGB`);
  const sum = new Float64Array(width * height * 3);
  const count = new Float64Array(width * height);
  for (let y = 0; y < H; y++) {
    const ty = Math.min(height - 1, Math.floor(((y + 0.5) * height) / H));
    for (let x = 0; x < W; x++) {
      const tx = Math.min(width - 1, Math.floor(((x + 0.5) * width) / W));
      const t = ty * width + tx;
      count[t]++;
      for (let c = 0; c < 3; c++) sum[t * 3 + c] += data[(y * W + x) * 3 + c];
    }
  }
  const out = new Float32Array(width * height * 3);
  for (let t = 0; t < width * height; t++) {
    if (count[t] === 0) {
      // Upscaling: no source centre landed here; take the nearest source pixel.
      const sx = Math.min(W - 1, Math.floor((((t % width) + 0.5) * W) / width));
      const sy = Math.min(H - 1, Math.floor(((Math.floor(t / width) + 0.5) * H) / height));
      for (let c = 0; c < 3; c++) out[t * 3 + c] = data[(sy * W + sx) * 3 + c];
    } else {
      for (let c = 0; c < 3; c++) out[t * 3 + c] = sum[t * 3 + c] / count[t];
    }
  }
  return out;
}
