/**
 * Perceptual distance between two frames, used to decide where the adaptive tree inserts the
 * next image (spec §3b) and, optionally, to spread frames at an even perceived speed (§4).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RgbImage } from '../image';
import { areaResize, type PerceptualMetric } from './perceptual-metric';

/** Side of the square both images are reduced to before comparing. */
export const BUILTIN_METRIC_SIZE = 64;

/**
 * Built-in metric for when no LPIPS model is installed: on 64×64 area-averaged copies,
 *   mean CIE76 ΔE (Lab) / 100  +  mean |Δ∇L| / 100.
 * Why this shape:
 * - 64×64 averaging drops pixel-level texture and sampler noise, which changes between any two
 *   diffusion images but is not what a viewer perceives as a jump; layout and large shapes
 *   survive. It also makes the metric cost nothing next to a UNet step.
 * - Lab is close to perceptually uniform: a ΔE of 1 is about one just-noticeable difference
 *   whether the change is in a dark blue sky or a bright skin tone, unlike RGB differences.
 * - The gradient term compares luminance edges. A shape that moves or appears changes edges in
 *   many places even when average colour barely moves; LPIPS is mostly sensitive to exactly
 *   that, colour-only metrics are not.
 */
export class BuiltinPerceptualMetric implements PerceptualMetric {
  readonly name = 'builtin-lab-gradient-64';

  async distance(a: RgbImage, b: RgbImage): Promise<number> {
    return builtinDistance(a, b);
  }
}

export function builtinDistance(a: RgbImage, b: RgbImage): number {
  const la = toLab(areaResize(a, BUILTIN_METRIC_SIZE, BUILTIN_METRIC_SIZE));
  const lb = toLab(areaResize(b, BUILTIN_METRIC_SIZE, BUILTIN_METRIC_SIZE));
  const S = BUILTIN_METRIC_SIZE;
  let colour = 0;
  for (let p = 0; p < S * S; p++) {
    const dl = la[p * 3] - lb[p * 3];
    const da = la[p * 3 + 1] - lb[p * 3 + 1];
    const db = la[p * 3 + 2] - lb[p * 3 + 2];
    colour += Math.sqrt(dl * dl + da * da + db * db);
  }
  let edges = 0;
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      const p = y * S + x;
      if (x + 1 < S) edges += Math.abs(la[(p + 1) * 3] - la[p * 3] - (lb[(p + 1) * 3] - lb[p * 3]));
      if (y + 1 < S) edges += Math.abs(la[(p + S) * 3] - la[p * 3] - (lb[(p + S) * 3] - lb[p * 3]));
    }
  }
  return colour / (S * S) / 100 + edges / (2 * S * (S - 1)) / 100;
}

/** sRGB bytes (as floats 0…255) → CIELAB, D65 white. */
export function toLab(rgb: Float32Array): Float32Array {
  const out = new Float32Array(rgb.length);
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (t * 24389) / 27 / 116 + 16 / 116);
  for (let p = 0; p < rgb.length; p += 3) {
    const r = lin(rgb[p]);
    const g = lin(rgb[p + 1]);
    const b = lin(rgb[p + 2]);
    const X = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
    const Y = 0.2126729 * r + 0.7151522 * g + 0.072175 * b;
    const Z = (0.0193339 * r + 0.119192 * g + 0.9503041 * b) / 1.08883;
    const fx = f(X);
    const fy = f(Y);
    const fz = f(Z);
    out[p] = 116 * fy - 16;
    out[p + 1] = 500 * (fx - fy);
    out[p + 2] = 200 * (fy - fz);
  }
  return out;
}

/** Where an LPIPS export lives inside a model folder. */
export const LPIPS_MODEL_FILE = join('lpips', 'model.onnx');

export function lpipsModelPath(modelDir: string): string | undefined {
  const path = join(modelDir, LPIPS_MODEL_FILE);
  return existsSync(path) ? path : undefined;
}

/** LPIPS when the model folder has `lpips/model.onnx`, else the built-in metric. */
export async function createPerceptualMetric(modelDir?: string): Promise<PerceptualMetric> {
  const path = modelDir === undefined ? undefined : lpipsModelPath(modelDir);
  if (path === undefined) return new BuiltinPerceptualMetric();
  const { OnnxLpipsMetric } = await import('./lpips-onnx');
  return OnnxLpipsMetric.load(path);
}
