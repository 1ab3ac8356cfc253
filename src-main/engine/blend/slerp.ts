import type { Tensor } from '../tensor';
import { badArgument, requireRange } from './errors';

/** Keeps acos away from 0 and π so sin θ never vanishes (spec §2). */
const DOT_LIMIT = 1 - 1e-7;

/**
 * Spherical interpolation of two whole latents (spec §2). Norms and the dot product are
 * accumulated in float64 because a 64×64×4 latent summed in float32 loses ~3 digits, enough to
 * move θ noticeably for near-parallel latents. t = 0 / t = 1 return exact copies of the
 * endpoints, so a keyframe never drifts by the float32 round trip of the formula.
 */
export function slerp(p0: Float32Array, p1: Float32Array, t: number): Float32Array {
  if (p0.length !== p1.length) {
    throw badArgument('slerp', `latents differ in size (${p0.length} vs ${p1.length} elements)`);
  }
  requireRange('slerp', 't', t, 0, 1);
  if (t === 0) return p0.slice();
  if (t === 1) return p1.slice();
  let dot = 0;
  let n0 = 0;
  let n1 = 0;
  for (let i = 0; i < p0.length; i++) {
    const a = p0[i];
    const b = p1[i];
    dot += a * b;
    n0 += a * a;
    n1 += b * b;
  }
  const out = new Float32Array(p0.length);
  if (n0 === 0 || n1 === 0) {
    // The angle to a zero vector is undefined; a straight line is the only sensible path.
    for (let i = 0; i < p0.length; i++) out[i] = p0[i] * (1 - t) + p1[i] * t;
    return out;
  }
  const cos = Math.min(DOT_LIMIT, Math.max(-DOT_LIMIT, dot / (Math.sqrt(n0) * Math.sqrt(n1))));
  const theta = Math.acos(cos);
  const sinTheta = Math.sin(theta);
  const w0 = Math.sin((1 - t) * theta) / sinTheta;
  const w1 = Math.sin(t * theta) / sinTheta;
  for (let i = 0; i < p0.length; i++) out[i] = p0[i] * w0 + p1[i] * w1;
  return out;
}

/** slerp on tensors of identical shape. */
export function slerpTensor(a: Tensor, b: Tensor, t: number): Tensor {
  if (a.dims.join() !== b.dims.join()) {
    throw badArgument('slerp', `latent shapes differ ([${a.dims.join(', ')}] vs [${b.dims.join(', ')}])`);
  }
  return { data: slerp(a.data, b.data, t), dims: [...a.dims] };
}

/** Text conditioning at position f: lerp(embA, embB, f) (spec §2), exact at f = 0 and 1. */
export function lerpEmbedding(a: Tensor, b: Tensor, f: number): Tensor {
  if (a.dims.join() !== b.dims.join()) {
    throw badArgument('lerpEmbedding', `embedding shapes differ ([${a.dims.join(', ')}] vs [${b.dims.join(', ')}])`,
      'both keyframes must be encoded by the same text encoder');
  }
  requireRange('lerpEmbedding', 'f', f, 0, 1);
  if (f === 0) return { data: a.data.slice(), dims: [...a.dims] };
  if (f === 1) return { data: b.data.slice(), dims: [...b.dims] };
  const out = new Float32Array(a.data.length);
  for (let i = 0; i < out.length; i++) out[i] = a.data[i] * (1 - f) + b.data[i] * f;
  return { data: out, dims: [...a.dims] };
}
