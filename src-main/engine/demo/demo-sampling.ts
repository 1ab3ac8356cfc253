import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { RgbImage } from '../image';
import { demoPromptIds } from './prompt-ids';
import { VAE_SCALE, sd2AlphasCumprod } from './prior';
import { normalArray } from './random';

/**
 * A minimal text-to-image loop over the demo model (DDIM, η = 0, classifier-free guidance) for
 * the demo's tests and check scripts. The app's pipeline lives in engine/sd.
 */

export interface DemoSessions {
  readonly textEncoder: ort.InferenceSession;
  readonly unet: ort.InferenceSession;
  readonly vaeDecoder: ort.InferenceSession;
  readonly vaeEncoder: ort.InferenceSession;
}

export async function loadDemoSessions(dir: string, threads = 1): Promise<DemoSessions> {
  const options: ort.InferenceSession.SessionOptions = { intraOpNumThreads: threads, interOpNumThreads: 1 };
  const load = (name: string) => ort.InferenceSession.create(join(dir, name, 'model.onnx'), options);
  return {
    textEncoder: await load('text_encoder'),
    unet: await load('unet'),
    vaeDecoder: await load('vae_decoder'),
    vaeEncoder: await load('vae_encoder'),
  };
}

/** last_hidden_state of a prompt: [1, 77, D] as a flat array. */
export async function embedPrompt(sessions: DemoSessions, prompt: string): Promise<Float32Array> {
  const ids = demoPromptIds(prompt);
  const out = await sessions.textEncoder.run({ input_ids: new ort.Tensor('int32', ids, [1, ids.length]) });
  return out.last_hidden_state.data as Float32Array;
}

/** DDIM "leading" timesteps with steps_offset 1, as SD 2's scheduler_config asks. */
export function ddimTimesteps(steps: number): number[] {
  const stride = Math.floor(1000 / steps);
  return Array.from({ length: steps }, (_, i) => (steps - 1 - i) * stride + 1);
}

export interface SampleOptions {
  readonly cond: Float32Array;
  readonly uncond: Float32Array;
  readonly seed: number;
  readonly steps: number;
  readonly guidance: number;
  readonly latentHeight: number;
  readonly latentWidth: number;
  /** Inpainting: mask [h·w] (1 = regenerate) and masked image latent [4·h·w]. */
  readonly inpaint?: { readonly mask: Float32Array; readonly maskedLatent: Float32Array };
}

/** Runs the whole DDIM loop (two images per UNet call: uncond, cond) and returns the final latent. */
export async function sampleLatent(unet: ort.InferenceSession, o: SampleOptions): Promise<Float32Array> {
  const alphas = sd2AlphasCumprod();
  const n = 4 * o.latentHeight * o.latentWidth;
  const D = o.cond.length / 77;
  let x: Float32Array = normalArray(o.seed, n);
  const timesteps = ddimTimesteps(o.steps);
  const stride = Math.floor(1000 / o.steps);
  const context = new Float32Array(2 * o.cond.length);
  context.set(o.uncond, 0);
  context.set(o.cond, o.cond.length);
  const channels = o.inpaint ? 9 : 4;
  const plane = o.latentHeight * o.latentWidth;
  for (const t of timesteps) {
    const input = new Float32Array(2 * channels * plane);
    for (let b = 0; b < 2; b++) {
      input.set(x, b * channels * plane);
      if (o.inpaint) {
        input.set(o.inpaint.mask, (b * channels + 4) * plane);
        input.set(o.inpaint.maskedLatent, (b * channels + 5) * plane);
      }
    }
    const out = await unet.run({
      sample: new ort.Tensor('float32', input, [2, channels, o.latentHeight, o.latentWidth]),
      timestep: new ort.Tensor('int64', BigInt64Array.from([BigInt(t), BigInt(t)]), [2]),
      encoder_hidden_states: new ort.Tensor('float32', context, [2, 77, D]),
    });
    const eps = out.out_sample.data as Float32Array;
    const guided = new Float32Array(n);
    for (let i = 0; i < n; i++) guided[i] = eps[i] + o.guidance * (eps[n + i] - eps[i]);
    const prev = t - stride;
    x = ddimStep(x, guided, alphas[t], prev >= 0 ? alphas[prev] : alphas[0]);
  }
  return x;
}

/** One deterministic DDIM step for an ε-prediction model. */
export function ddimStep(x: Float32Array, eps: Float32Array, alphaBar: number, alphaBarPrev: number): Float32Array {
  const out = new Float32Array(x.length);
  const a = Math.sqrt(alphaBar);
  const s = Math.sqrt(1 - alphaBar);
  const ap = Math.sqrt(alphaBarPrev);
  const sp = Math.sqrt(1 - alphaBarPrev);
  for (let i = 0; i < x.length; i++) {
    const x0 = (x[i] - s * eps[i]) / a;
    out[i] = ap * x0 + sp * eps[i];
  }
  return out;
}

/** Decodes a scheduler-space latent [1,4,h,w] to RGB exactly as the pipeline does. */
export async function decodeLatent(vaeDecoder: ort.InferenceSession, latent: Float32Array, h: number, w: number): Promise<RgbImage> {
  const scaled = latent.map((v) => v / VAE_SCALE);
  const out = await vaeDecoder.run({ latent_sample: new ort.Tensor('float32', scaled, [1, 4, h, w]) });
  return toRgb(out.sample.data as Float32Array, 8 * w, 8 * h);
}

/** NCHW [-1, 1] → interleaved RGB bytes with clip(x/2 + 0.5, 0, 1). */
export function toRgb(planar: Float32Array, width: number, height: number): RgbImage {
  const plane = width * height;
  const data = new Uint8Array(plane * 3);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) {
      const v = Math.min(1, Math.max(0, planar[c * plane + i] / 2 + 0.5));
      data[i * 3 + c] = Math.round(v * 255);
    }
  }
  return { width, height, data };
}

/** Interleaved RGB bytes → NCHW [-1, 1] as the pipeline feeds the VAE encoder. */
export function fromRgb(image: RgbImage): Float32Array {
  const plane = image.width * image.height;
  const out = new Float32Array(plane * 3);
  for (let i = 0; i < plane; i++) for (let c = 0; c < 3; c++) out[c * plane + i] = image.data[i * 3 + c] / 127.5 - 1;
  return out;
}
