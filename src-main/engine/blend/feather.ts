/**
 * Compositing the kept region of an inpainting transition (spec §5). The UNet regenerates the
 * whole latent and the VAE round trip changes every pixel a little, so without compositing the
 * "still" part of the picture would shimmer from frame to frame. We paste keyframe A's pixels
 * back wherever the mask says keep, and feather the seam *inside* the regenerated region: the
 * weight is 0 on every kept pixel (the kept region is bit-exact A) and ramps up to 1 over
 * `radius` pixels into the mask.
 */
import type { GrayImage, RgbImage } from '../image';
import { badArgument, requireInteger } from './errors';

/** Weight of the generated image per pixel, in [0, 1]; exactly 0 where mask < 0.5. */
export function featherWeights(mask: GrayImage, radiusPx: number): Float32Array {
  requireInteger('featherWeights', 'radiusPx', radiusPx, 0, 512);
  const { width, height } = mask;
  if (mask.data.length !== width * height) {
    throw badArgument('featherWeights', `mask has ${mask.data.length} values for ${width}×${height}`);
  }
  const binary = new Float32Array(width * height);
  for (let i = 0; i < binary.length; i++) binary[i] = mask.data[i] >= 0.5 ? 1 : 0;
  if (radiusPx === 0) return binary;
  const blurred = gaussianBlur(binary, width, height, radiusPx);
  // A straight edge blurs to 0.5 on the boundary; 2b − 1 moves the whole ramp inside the mask.
  const out = new Float32Array(width * height);
  for (let i = 0; i < out.length; i++) out[i] = binary[i] * Math.min(1, Math.max(0, 2 * blurred[i] - 1));
  return out;
}

/** Separable Gaussian (σ = radius/2, support ±radius), edges clamped so borders do not darken. */
export function gaussianBlur(src: Float32Array, width: number, height: number, radius: number): Float32Array {
  const sigma = Math.max(radius / 2, 1e-6);
  const kernel: number[] = [];
  let sum = 0;
  for (let d = -radius; d <= radius; d++) {
    const w = Math.exp(-(d * d) / (2 * sigma * sigma));
    kernel.push(w);
    sum += w;
  }
  for (let i = 0; i < kernel.length; i++) kernel[i] /= sum;
  const tmp = new Float32Array(src.length);
  const out = new Float32Array(src.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let d = -radius; d <= radius; d++) acc += kernel[d + radius] * src[y * width + Math.min(width - 1, Math.max(0, x + d))];
      tmp[y * width + x] = acc;
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let d = -radius; d <= radius; d++) acc += kernel[d + radius] * tmp[Math.min(height - 1, Math.max(0, y + d)) * width + x];
      out[y * width + x] = acc;
    }
  }
  return out;
}

/** out = original·(1 − w) + generated·w per pixel; w = 0 gives original's bytes unchanged. */
export function compositeKept(original: RgbImage, generated: RgbImage, weights: Float32Array): RgbImage {
  if (original.width !== generated.width || original.height !== generated.height || weights.length !== original.width * original.height) {
    throw badArgument('compositeKept', `image ${generated.width}×${generated.height}, original ${original.width}×${original.height} and mask (${weights.length} px) must match`);
  }
  const data = new Uint8Array(original.data.length);
  for (let p = 0; p < weights.length; p++) {
    const w = weights[p];
    for (let c = 0; c < 3; c++) {
      const i = p * 3 + c;
      data[i] = w === 0 ? original.data[i] : Math.round(original.data[i] * (1 - w) + generated.data[i] * w);
    }
  }
  return { width: original.width, height: original.height, data };
}
