import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoModel } from './demo-model';
import { type DemoSessions, ddimTimesteps, embedPrompt, loadDemoSessions, sampleLatent } from './demo-sampling';
import { DEMO_BASIS_SIZE, DEMO_HIDDEN_SIZE, demoPrior, sd2AlphasCumprod } from './prior';
import { normalArray } from './random';

/**
 * The demo UNet must be the exact posterior-mean denoiser of its Gaussian prior. These tests
 * recompute that posterior with plain loops (their own DCT basis) from the prior's parameters
 * and compare with what ONNX Runtime returns.
 */

const K = DEMO_BASIS_SIZE;
const D = DEMO_HIDDEN_SIZE;
let root: string;
let s: DemoSessions;
let inpaint: DemoSessions;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lbs-denoise-'));
  await writeDemoModel(join(root, 't2i'), 'text2img');
  await writeDemoModel(join(root, 'inp'), 'inpainting');
  s = await loadDemoSessions(join(root, 't2i'));
  inpaint = await loadDemoSessions(join(root, 'inp'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Orthonormal DCT-II vectors: basis[n][k]. */
function dctBasis(N: number): number[][] {
  return Array.from({ length: N }, (_, n) =>
    Array.from({ length: K }, (_, k) => Math.sqrt((k === 0 ? 1 : 2) / N) * Math.cos((Math.PI * (n + 0.5) * k) / N)),
  );
}

/** A = Uyᵀ·X·Ux for one h×w plane. */
function analyse(plane: ArrayLike<number>, h: number, w: number, uy: number[][], ux: number[][]): number[] {
  const a = new Array<number>(K * K).fill(0);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = plane[y * w + x];
      for (let ky = 0; ky < K; ky++) for (let kx = 0; kx < K; kx++) a[ky * K + kx] += uy[y][ky] * v * ux[x][kx];
    }
  }
  return a;
}

function synthesise(a: readonly number[], h: number, w: number, uy: number[][], ux: number[][]): Float64Array {
  const out = new Float64Array(h * w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let v = 0;
      for (let ky = 0; ky < K; ky++) for (let kx = 0; kx < K; kx++) v += uy[y][ky] * a[ky * K + kx] * ux[x][kx];
      out[y * w + x] = v;
    }
  }
  return out;
}

/** Target coefficients (orthonormal units) of channel c for a [77, D] embedding. */
function targetCoefficients(embedding: Float32Array, c: number, h: number, w: number): number[] {
  const { neutralTarget, promptMatrix } = demoPrior();
  const pooled = new Float64Array(D);
  for (let p = 0; p < 77; p++) for (let j = 0; j < D; j++) pooled[j] += embedding[p * D + j] / 77;
  return Array.from({ length: K * K }, (_, k) => {
    let tau = neutralTarget[c * K * K + k];
    for (let j = 0; j < D; j++) tau += pooled[j] * promptMatrix[j * 4 * K * K + c * K * K + k];
    return tau * Math.sqrt(h * w);
  });
}

async function unet(session: ort.InferenceSession, sample: Float32Array, dims: number[], timesteps: number[], context: Float32Array) {
  const out = await session.run({
    sample: new ort.Tensor('float32', sample, dims),
    timestep: new ort.Tensor('int64', BigInt64Array.from(timesteps.map(BigInt)), [timesteps.length]),
    encoder_hidden_states: new ort.Tensor('float32', context, [context.length / (77 * D), 77, D]),
  });
  return out.out_sample.data as Float32Array;
}

describe('demo text encoder', () => {
  it('embeds the empty prompt as zero and a prompt as the same vector at every position', async () => {
    expect((await embedPrompt(s, '')).every((v) => v === 0)).toBe(true);
    const e = await embedPrompt(s, 'a red sunset over the ocean');
    expect(e.some((v) => v !== 0)).toBe(true);
    for (let p = 1; p < 77; p++) expect(Array.from(e.subarray(p * D, (p + 1) * D))).toEqual(Array.from(e.subarray(0, D)));
  });

  it('relates prompts that share words more than prompts that do not', async () => {
    const cos = (a: Float32Array, b: Float32Array) => {
      let ab = 0;
      let aa = 0;
      let bb = 0;
      for (let i = 0; i < D; i++) {
        ab += a[i] * b[i];
        aa += a[i] * a[i];
        bb += b[i] * b[i];
      }
      return ab / Math.sqrt(aa * bb);
    };
    const castle = await embedPrompt(s, 'a castle on a hill');
    // Expected ≈ 0.8: two of three content words shared (stop words weigh 0.3).
    const castleNight = await embedPrompt(s, 'a castle on a hill with trees');
    const whale = await embedPrompt(s, 'a whale in the sea');
    expect(cos(castle, castleNight)).toBeGreaterThan(0.6);
    expect(Math.abs(cos(castle, whale))).toBeLessThan(0.4);
  });
});

describe('demo UNet', () => {
  it('returns ε̂ = (x − √ᾱ·x̂0)/√(1−ᾱ) with x̂0 the exact Gaussian posterior mean', async () => {
    const h = 16;
    const w = 24; // not square: the basis must follow each axis
    const cond = await embedPrompt(s, 'snowy mountains under a blue sky');
    const uncond = await embedPrompt(s, '');
    const context = new Float32Array(2 * cond.length);
    context.set(cond, 0);
    context.set(uncond, cond.length);
    const x = normalArray(7, 2 * 4 * h * w);
    // ᾱ from the public reference table, independent of the model's own.
    const cases = [
      { t: 500, alphaBar: 0.276332, embedding: cond },
      { t: 958, alphaBar: 0.0075348, embedding: uncond },
    ];
    const eps = await unet(s.unet, x, [2, 4, h, w], cases.map((c) => c.t), context);
    const uy = dctBasis(h);
    const ux = dctBasis(w);
    const { variance } = demoPrior();
    let worst = 0;
    cases.forEach(({ alphaBar, embedding }, b) => {
      const sa = Math.sqrt(alphaBar);
      for (let c = 0; c < 4; c++) {
        const offset = (b * 4 + c) * h * w;
        const plane = x.subarray(offset, offset + h * w);
        const a = analyse(plane, h, w, uy, ux);
        const target = targetCoefficients(embedding, c, h, w);
        const posterior = a.map((ak, k) => {
          const v = variance[c * K * K + k];
          const gain = (v * sa) / (alphaBar * v + 1 - alphaBar);
          return target[k] + gain * (ak - sa * target[k]);
        });
        const clean = synthesise(posterior, h, w, uy, ux);
        for (let i = 0; i < h * w; i++) {
          const expected = (plane[i] - sa * clean[i]) / Math.sqrt(1 - alphaBar);
          worst = Math.max(worst, Math.abs(eps[offset + i] - expected));
        }
      }
    });
    expect(worst).toBeLessThan(2e-4);
  });

  it('DDIM from noise lands where the probability-flow map of the Gaussian prior sends the noise', async () => {
    const h = 32;
    const w = 32;
    const steps = 50;
    const seed = 11;
    const cond = await embedPrompt(s, 'a dark green forest at night');
    const result = await sampleLatent(s.unet, { cond, uncond: cond, seed, steps, guidance: 1, latentHeight: h, latentWidth: w });
    const noise = normalArray(seed, 4 * h * w); // the loop's starting latent
    // For a Gaussian prior the flow keeps (x − √ᾱ·T)/√(ᾱσ² + 1 − ᾱ) per coefficient, so from
    // x_T it reaches T + σ·(x_T − √ᾱ_T·T)/√(ᾱ_Tσ² + 1 − ᾱ_T); outside the subspace DDIM scales
    // the noise to √(1 − ᾱ_final)/√(1 − ᾱ_T) of itself (ᾱ_final = ᾱ[0], set_alpha_to_one false).
    const alphas = sd2AlphasCumprod();
    const aT = alphas[ddimTimesteps(steps)[0]];
    expect(ddimTimesteps(steps).slice(0, 2)).toEqual([981, 961]);
    const uy = dctBasis(h);
    const ux = dctBasis(w);
    const { variance } = demoPrior();
    let error = 0;
    let signal = 0;
    for (let c = 0; c < 4; c++) {
      const plane = noise.subarray(c * h * w, (c + 1) * h * w);
      const a = analyse(plane, h, w, uy, ux);
      const target = targetCoefficients(cond, c, h, w);
      const flowed = a.map((ak, k) => {
        const v = variance[c * K * K + k];
        return target[k] + (Math.sqrt(v) * (ak - Math.sqrt(aT) * target[k])) / Math.sqrt(aT * v + 1 - aT);
      });
      const inSubspace = synthesise(flowed, h, w, uy, ux);
      const noiseInSubspace = synthesise(a, h, w, uy, ux);
      const residualScale = Math.sqrt(1 - alphas[0]) / Math.sqrt(1 - aT);
      for (let i = 0; i < h * w; i++) {
        const expected = inSubspace[i] + residualScale * (plane[i] - noiseInSubspace[i]);
        error += (result[c * h * w + i] - expected) ** 2;
        signal += inSubspace[i] ** 2;
      }
    }
    // 50 first-order steps follow the exact flow to within a few percent.
    expect(Math.sqrt(error / signal)).toBeLessThan(0.03);
  });

  it('inpainting keeps the masked image latent where the mask is 0 and regenerates the rest', async () => {
    const h = 16;
    const w = 16;
    const plane = h * w;
    const mask = new Float32Array(plane);
    for (let y = 0; y < h; y++) for (let x = w / 2; x < w; x++) mask[y * w + x] = 1;
    const maskedLatent = new Float32Array(4 * plane);
    for (let c = 0; c < 4; c++) for (let i = 0; i < plane; i++) maskedLatent[c * plane + i] = mask[i] ? 0 : [0.8, -0.5, 0.3, -0.2][c];
    const cond = await embedPrompt(inpaint, 'a red sunset over the ocean');
    const uncond = await embedPrompt(inpaint, '');
    const result = await sampleLatent(inpaint.unet, {
      cond,
      uncond,
      seed: 3,
      steps: 20,
      guidance: 7.5,
      latentHeight: h,
      latentWidth: w,
      inpaint: { mask, maskedLatent },
    });
    let kept = 0;
    let regenerated = 0;
    for (let c = 0; c < 4; c++) {
      for (let i = 0; i < plane; i++) {
        const d = Math.abs(result[c * plane + i] - maskedLatent[c * plane + i]);
        if (mask[i]) regenerated += d;
        else kept += d;
      }
    }
    // What is left in the kept half is the final step's noise, √(1 − ᾱ[0]) ≈ 0.03 per element.
    expect(kept / (2 * plane)).toBeLessThan(0.05);
    expect(regenerated / (2 * plane)).toBeGreaterThan(0.2);
  });
});
