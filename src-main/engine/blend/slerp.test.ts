import { describe, expect, it } from 'vitest';
import { lerpEmbedding, slerp, slerpTensor } from './slerp';

const f32 = (...v: number[]) => Float32Array.from(v);

describe('slerp', () => {
  it('walks the quarter circle between orthogonal unit vectors', () => {
    // θ = π/2, sin θ = 1: out = (cos(tπ/2), sin(tπ/2)).
    const h = slerp(f32(1, 0), f32(0, 1), 0.5);
    expect(h[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(h[1]).toBeCloseTo(Math.SQRT1_2, 6);
    const third = slerp(f32(1, 0), f32(0, 1), 1 / 3);
    expect(third[0]).toBeCloseTo(Math.cos(Math.PI / 6), 6);
    expect(third[1]).toBeCloseTo(Math.sin(Math.PI / 6), 6);
  });

  it('returns exact copies at t = 0 and t = 1 (not aliases)', () => {
    const a = f32(0.1, -2.5, 3.3);
    const b = f32(4.4, 0.7, -1.25);
    const at0 = slerp(a, b, 0);
    const at1 = slerp(a, b, 1);
    expect(Array.from(at0)).toEqual(Array.from(a));
    expect(Array.from(at1)).toEqual(Array.from(b));
    at0[0] = 99;
    expect(a[0]).toBeCloseTo(0.1, 6);
  });

  it('stays finite and equal to the input for identical (parallel) vectors', () => {
    // The clamp to 1−1e−7 gives θ ≈ 4.5e−4; weights sum to 1/cos(θ/2) ≈ 1 + 2.5e−8.
    const a = f32(1, 2, 3, -4);
    const out = slerp(a, a, 0.5);
    for (let i = 0; i < a.length; i++) expect(out[i]).toBeCloseTo(a[i], 5);
  });

  it('stays finite for antiparallel vectors', () => {
    const a = f32(1, 2, 3);
    const b = f32(-1, -2, -3);
    const out = slerp(a, b, 0.25);
    for (const v of out) expect(Number.isFinite(v)).toBe(true);
    // θ ≈ π: out = a·(w0 − w1) with w0 = sin(.75θ)/sinθ > w1 = sin(.25θ)/sinθ, so it keeps a's direction.
    expect(out[0] / a[0]).toBeGreaterThan(0);
  });

  it('falls back to a straight line when one end is zero', () => {
    expect(Array.from(slerp(f32(0, 0), f32(2, 4), 0.25))).toEqual([0.5, 1]);
  });

  it('accumulates in float64: matches a float64 reference on a realistic latent', () => {
    const n = 4 * 64 * 64;
    const a = new Float32Array(n);
    const b = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      a[i] = Math.sin(i * 0.37) * 1.3 + 0.2;
      b[i] = a[i] + 0.05 * Math.cos(i * 1.91);
    }
    const t = 0.3;
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (let i = 0; i < n; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    const theta = Math.acos(dot / Math.sqrt(na * nb));
    const w0 = Math.sin((1 - t) * theta) / Math.sin(theta);
    const w1 = Math.sin(t * theta) / Math.sin(theta);
    const out = slerp(a, b, t);
    let maxErr = 0;
    for (let i = 0; i < n; i++) maxErr = Math.max(maxErr, Math.abs(out[i] - (a[i] * w0 + b[i] * w1)));
    expect(maxErr).toBeLessThan(1e-6);
  });

  it('rejects mismatched sizes and t outside [0, 1]', () => {
    expect(() => slerp(f32(1, 2), f32(1), 0.5)).toThrow(/differ in size/);
    expect(() => slerp(f32(1), f32(1), 1.5)).toThrow(/t must be in \[0, 1\]/);
    expect(() => slerpTensor({ data: f32(1, 2), dims: [1, 2] }, { data: f32(1, 2), dims: [2, 1] }, 0.5)).toThrow(/shapes differ/);
  });
});

describe('lerpEmbedding', () => {
  it('mixes linearly and is exact at the ends', () => {
    const a = { data: f32(0, 10, -4), dims: [1, 1, 3] };
    const b = { data: f32(4, 20, 4), dims: [1, 1, 3] };
    expect(Array.from(lerpEmbedding(a, b, 0.25).data)).toEqual([1, 12.5, -2]);
    expect(Array.from(lerpEmbedding(a, b, 0).data)).toEqual([0, 10, -4]);
    expect(Array.from(lerpEmbedding(a, b, 1).data)).toEqual([4, 20, 4]);
    expect(lerpEmbedding(a, b, 0.5).dims).toEqual([1, 1, 3]);
  });
  it('rejects different encoders', () => {
    expect(() => lerpEmbedding({ data: f32(1, 2), dims: [1, 2] }, { data: f32(1, 2, 3), dims: [1, 3] }, 0.5)).toThrow(/same text encoder|shapes differ/);
  });
});
