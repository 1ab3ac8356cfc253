import { COLOUR_WORDS, STOP_WORDS } from './words';
import { hashString, normalArray } from './random';

/**
 * The demo model's data distribution. For a prompt c the clean latent (VAE-scaled, as the
 * scheduler sees it) is Gaussian: x0 ~ N(T(c), Σ), where both T and Σ live in the span of the
 * first K×K two-dimensional DCT-II cosines of each channel. The UNet returns the exact
 * posterior mean of that model, so samplers behave as they do with a trained diffusion model.
 *
 * Coefficients are written two ways:
 *  - τ ("per-pixel" units): T = Σ τ[c,ky,kx]·b_ky(y)·b_kx(x) with b_0 = 1, b_k = √2·cos(π(n+½)k/N),
 *    so τ means the same picture at every resolution;
 *  - orthonormal units: the coefficients of the orthonormal DCT (b/√N), τ·√(h·w).
 * Σ = diag(σ²) in orthonormal units (per channel and frequency: the spec's σ_d²·P, shaped).
 */

export const DEMO_HIDDEN_SIZE = 64;
/** K: cosines per axis that carry the picture. */
export const DEMO_BASIS_SIZE = 10;
export const LATENT_CHANNELS = 4;
/** The prompt moves the target by this fraction of its full effect (×7.5 under classifier-free guidance). */
export const PROMPT_SCALE = 0.15;
/** Embedding dimensions 0…2 push the decoded colour (RGB logits); the rest are random features. */
export const COLOUR_DIMS = 3;
export const VAE_SCALE = 0.18215;
const STOP_WORD_WEIGHT = 0.3;

/**
 * Decoder colour: rgb logit = M·(lum, warm, green, height) + bias; a sigmoid maps it to [0, 1].
 * Latent channel 3 is a height field that the decoder turns into relief and contour lines.
 */
export const COLOUR_MATRIX: readonly (readonly number[])[] = [
  [1.2, 1.1, -0.5, 0.6],
  [1.2, -0.1, 0.9, 0.45],
  [1.2, -1.1, -0.4, 0.3],
];
export const COLOUR_BIAS: readonly number[] = [0.05, 0.0, 0.05];

/** How strongly the colour dimensions of the pooled embedding move the picture's mean colour. */
const COLOUR_GAIN = 1.3;
/** Standard deviation (per pixel) of the prompt's random features, and their spectral falloff, per latent channel. */
const FEATURE_AMPLITUDE = [0.5, 0.5, 0.45, 1.0];
const FEATURE_FALLOFF = [2.2, 2.2, 2.2, 1.2];
/**
 * Prior std of the orthonormal coefficients, i.e. how far seeds wander from the target. Mostly
 * at middle frequencies: at 64×64 the lowest ones are so far above the starting noise that a
 * large prior there would let the (prompt-free) noise dominate the overall layout and colour.
 */
const SEED_SPREAD = 4;
const SEED_SPREAD_PER_CHANNEL = [0.35, 0.35, 0.35, 1];

export interface DemoPrior {
  readonly basisSize: number;
  /** τ0 [4, K, K]: the unconditional (empty prompt) target, a soft neutral sky-over-ground. */
  readonly neutralTarget: Float32Array;
  /** [D, 4·K·K]: pooled embedding → τ offset, PROMPT_SCALE included. */
  readonly promptMatrix: Float32Array;
  /** σ² [4, K, K] in orthonormal units. */
  readonly variance: Float32Array;
}

/** Horizontal detail counts double, so layouts come out as wide, layered, landscape-like bands. */
function frequency(ky: number, kx: number): number {
  return Math.sqrt(ky * ky + 4 * kx * kx);
}

/**
 * 1/f-like falloff, normalised to unit energy, so prompts make natural-looking smooth layouts;
 * colour falls off faster than the height field, which carries the finer structure.
 */
function featureSpectrum(K: number, exponent: number): Float32Array {
  const s = new Float32Array(K * K);
  let energy = 0;
  for (let ky = 0; ky < K; ky++) {
    for (let kx = 0; kx < K; kx++) {
      const v = 1 / (1 + 0.7 * frequency(ky, kx)) ** exponent;
      s[ky * K + kx] = v;
      energy += v * v;
    }
  }
  return s.map((v) => v / Math.sqrt(energy));
}

/** Inverse of the colour matrix's first three columns: RGB logit direction → (lum, warm, green). */
export function inverseColour(): number[][] {
  const m = COLOUR_MATRIX.map((row) => row.slice(0, 3));
  const [a, b, c] = m[0];
  const [d, e, f] = m[1];
  const [g, h, i] = m[2];
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  return [
    [(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det],
    [(f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det],
    [(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det],
  ];
}

let cachedPrior: DemoPrior | undefined;

export function demoPrior(): DemoPrior {
  if (cachedPrior) return cachedPrior;
  const K = DEMO_BASIS_SIZE;
  const KK = K * K;
  const D = DEMO_HIDDEN_SIZE;
  const spectra = FEATURE_FALLOFF.map((exponent) => featureSpectrum(K, exponent));

  const neutralTarget = new Float32Array(LATENT_CHANNELS * KK);
  neutralTarget[0 * KK + 0] = 0.1; // slightly light overall
  neutralTarget[0 * KK + 1 * K] = 0.3; // brighter towards the top (b_1 > 0 at the top row)
  neutralTarget[1 * KK + 0] = 0.04;
  neutralTarget[3 * KK + 1 * K] = -0.25; // ground rises towards the bottom

  const promptMatrix = new Float32Array(D * LATENT_CHANNELS * KK);
  const inverse = inverseColour();
  for (let j = 0; j < COLOUR_DIMS; j++) {
    for (let c = 0; c < 3; c++) promptMatrix[j * LATENT_CHANNELS * KK + c * KK] = PROMPT_SCALE * COLOUR_GAIN * inverse[c][j];
  }
  const features = D - COLOUR_DIMS;
  const random = normalArray(0x5eed_0001, features * LATENT_CHANNELS * KK);
  for (let j = 0; j < features; j++) {
    for (let c = 0; c < LATENT_CHANNELS; c++) {
      for (let k = 0; k < KK; k++) {
        const index = ((j + COLOUR_DIMS) * LATENT_CHANNELS + c) * KK + k;
        // Token embeddings have unit-norm feature parts, so unit-variance weights give τ the
        // per-pixel std FEATURE_AMPLITUDE[c] (before PROMPT_SCALE).
        promptMatrix[index] = PROMPT_SCALE * FEATURE_AMPLITUDE[c] * spectra[c][k] * random[(j * LATENT_CHANNELS + c) * KK + k];
      }
    }
  }

  const variance = new Float32Array(LATENT_CHANNELS * KK);
  for (let c = 0; c < LATENT_CHANNELS; c++) {
    for (let ky = 0; ky < K; ky++) {
      for (let kx = 0; kx < K; kx++) {
        const f = frequency(ky, kx);
        const spread = SEED_SPREAD * SEED_SPREAD_PER_CHANNEL[c] * (f === 0 ? 0.4 : f <= 6 ? 1 : (6 / f) ** 2);
        variance[c * KK + ky * K + kx] = spread ** 2;
      }
    }
  }
  cachedPrior = { basisSize: K, neutralTarget, promptMatrix, variance };
  return cachedPrior;
}

/** The text encoder's embedding of one vocabulary token (zero for special tokens and the pad "!"). */
export function tokenEmbedding(token: string, special: boolean): Float32Array {
  const D = DEMO_HIDDEN_SIZE;
  const e = new Float32Array(D);
  if (special || token === '!') return e;
  const word = token.endsWith('</w>') ? token.slice(0, -4) : undefined;
  const random = normalArray(hashString(token), D);
  const colour = word !== undefined ? COLOUR_WORDS[word] : undefined;
  for (let j = 0; j < COLOUR_DIMS; j++) e[j] = colour ? colour[j] : 0.15 * random[j];
  const scale = 1 / Math.sqrt(D - COLOUR_DIMS);
  for (let j = COLOUR_DIMS; j < D; j++) e[j] = random[j] * scale;
  const weight = word !== undefined && STOP_WORDS.has(word) ? STOP_WORD_WEIGHT : 1;
  return e.map((v) => v * weight);
}

export function tokenWeight(token: string, special: boolean): number {
  if (special || token === '!') return 0;
  const word = token.endsWith('</w>') ? token.slice(0, -4) : undefined;
  return word !== undefined && STOP_WORDS.has(word) ? STOP_WORD_WEIGHT : 1;
}

/** The alphas_cumprod table of SD 2 (scaled_linear betas 0.00085…0.012, 1000 steps), in float32. */
export function sd2AlphasCumprod(): Float32Array {
  const n = 1000;
  const start = Math.sqrt(0.00085);
  const end = Math.sqrt(0.012);
  const out = new Float32Array(n);
  let product = 1;
  for (let i = 0; i < n; i++) {
    const beta = Math.fround(Math.fround(start + ((end - start) * i) / (n - 1)) ** 2);
    product = Math.fround(product * Math.fround(1 - beta));
    out[i] = product;
  }
  return out;
}
