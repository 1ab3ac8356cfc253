/**
 * A deterministic stand-in for the Stable Diffusion pipeline, for testing the blending logic
 * (which trajectories run, batched how, from which latents) without ONNX models. Its "UNet"
 * pulls the latent a fixed fraction toward a smooth pattern derived from the conditioning,
 * so the final image depends continuously on the start latent, the prompt mix and guidance.
 * It follows the real pipeline's contract: hooks before each step's UNet call in request
 * order, chunks of maxBatch per UNet call, trajectories that stop early drop out of the batch,
 * latents recorded after every step, cancel per chunk.
 */
import type { GrayImage, RgbImage } from '../../image';
import { cancelledError } from '../../errors';
import type { Tensor } from '../../tensor';
import type { InpaintCondition, ModelInfo, PromptEmbedding, ProviderStatus, RunOptions, Schedule, StableDiffusion, TrajectoryRequest, TrajectoryResult } from '../../sd/types';
import type { SchedulerKind } from '../../scheduler/config';

export interface FakeUnetCall {
  readonly step: number;
  readonly startStep: number;
  readonly batch: number;
  readonly guidances: readonly number[];
}

export interface FakeRunCall {
  readonly startStep: number;
  readonly requests: number;
  /** Each request's stop step (numSteps unless it stops early). */
  readonly stopSteps: readonly number[];
  /** Copies of each request's start latent and guidance, to check injections. */
  readonly startLatents: readonly Float32Array[];
  readonly guidances: readonly number[];
}

const TEXT_LENGTH = 2;
const HIDDEN = 4;
/** Fraction of the way to the conditioning's pattern the fake sampler moves per step. */
const PULL = 0.3;

export class FakeDiffusion implements StableDiffusion {
  readonly info: ModelInfo;
  readonly provider: ProviderStatus = { requested: 'cpu', active: 'cpu' };
  readonly stats = { unetCalls: 0, unetImages: 0, sessionRunMs: 0, textCacheHits: 0, textEncodes: 0 };
  readonly unetLog: FakeUnetCall[] = [];
  readonly runLog: FakeRunCall[] = [];
  readonly decodeCount = { images: 0 };

  constructor(options: { inpainting?: boolean; unetMaxBatch?: number } = {}) {
    this.info = {
      name: 'Fake diffusion (tests)',
      dir: '/fake',
      isDemo: true,
      unetInChannels: options.inpainting ? 9 : 4,
      latentChannels: 4,
      sizeRule: { kind: 'multiple', multiple: 8, halvings: 0, from: 'graph' },
      textHiddenSize: HIDDEN,
      textLength: TEXT_LENGTH,
      hasVaeEncoder: true,
      unetMaxBatch: options.unetMaxBatch ?? 8,
      predictionType: 'epsilon',
      scheduler: { kind: 'ddim', className: 'DDIMScheduler' },
    };
  }

  async encodePrompt(prompt: string): Promise<PromptEmbedding> {
    this.stats.textEncodes++;
    const data = new Float32Array(TEXT_LENGTH * HIDDEN);
    let h = 2166136261;
    for (let i = 0; i < data.length; i++) {
      for (const ch of `${prompt}#${i}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
      data[i] = ((h % 2001) - 1000) / 1000;
    }
    return { prompt, embedding: { data, dims: [1, TEXT_LENGTH, HIDDEN] }, tokenCount: prompt.split(/\s+/).length, droppedWords: [] };
  }

  makeSchedule(kind: SchedulerKind, steps: number): Schedule {
    const timesteps = Array.from({ length: steps }, (_, i) => Math.round(999 - (i * 999) / Math.max(1, steps - 1)));
    return { kind, numSteps: steps, timesteps, initNoiseSigma: 1 };
  }

  /** Linear signal ramp ending clean: enough structure for the executor's tests. */
  forwardTrajectory(clean: Tensor, noise: Tensor, schedule: Schedule): Float32Array[] {
    return Array.from({ length: schedule.numSteps }, (_, i) => {
      const signal = (i + 1) / schedule.numSteps;
      const sigma = Math.sqrt(1 - signal * signal);
      return Float32Array.from(clean.data, (v, j) => signal * v + sigma * noise.data[j]);
    });
  }

  initialNoise(seed: number, width: number, height: number): Tensor {
    const dims = [1, 4, height / 8, width / 8];
    const n = dims.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    for (let i = 0; i < n; i++) data[i] = Math.sqrt(-2 * Math.log(next() + 1e-12)) * Math.cos(2 * Math.PI * next());
    return { data, dims };
  }

  async runTrajectories(requests: readonly TrajectoryRequest[], schedule: Schedule, options: RunOptions & { maxBatch?: number } = {}): Promise<TrajectoryResult[]> {
    if (requests.length === 0) return [];
    const start = requests[0].startStep;
    if (requests.some((r) => r.startStep !== start)) throw new Error('FakeDiffusion: mixed start steps in one call');
    if (requests.some((r) => (this.info.unetInChannels === 9) !== (r.inpaint !== undefined))) {
      throw new Error('FakeDiffusion: inpaint condition does not match the UNet kind');
    }
    const stops = requests.map((r) => r.stopStep ?? schedule.numSteps);
    if (stops.some((stop) => !Number.isInteger(stop) || stop <= start || stop > schedule.numSteps)) throw new Error('FakeDiffusion: a stop step outside (start, numSteps]');
    this.runLog.push({
      startStep: start, requests: requests.length, stopSteps: stops,
      startLatents: requests.map((r) => r.startLatent.data.slice()), guidances: requests.map((r) => r.guidance),
    });
    const maxBatch = Math.max(1, Math.min(options.maxBatch ?? this.info.unetMaxBatch, this.info.unetMaxBatch));
    const latents = requests.map((r) => r.startLatent);
    const recorded: (Tensor | undefined)[][] = requests.map(() => new Array(schedule.numSteps).fill(undefined));
    for (let step = start; step < Math.max(...stops); step++) {
      const running = requests.map((_, i) => i).filter((i) => step < stops[i]);
      running.forEach((i) => {
        const replaced = requests[i].hook?.({ step, index: i, latent: latents[i] });
        if (replaced) latents[i] = replaced;
      });
      for (let from = 0; from < running.length; from += maxBatch) {
        if (options.signal?.aborted) throw cancelledError();
        const chunk = running.slice(from, from + maxBatch);
        this.stats.unetCalls++;
        this.stats.unetImages += chunk.length;
        this.unetLog.push({ step, startStep: start, batch: chunk.length, guidances: chunk.map((i) => requests[i].guidance) });
        chunk.forEach((i) => {
          latents[i] = { data: this.denoise(latents[i], requests[i]), dims: latents[i].dims };
          recorded[i][step] = latents[i];
        });
        options.onUnetCall?.({ step, batch: chunk.length });
        await Promise.resolve();
      }
    }
    return requests.map((_, i) => ({ latents: recorded[i], final: latents[i] }));
  }

  private denoise(latent: Tensor, r: TrajectoryRequest): Float32Array {
    const [, C, h, w] = latent.dims;
    const out = new Float32Array(latent.data.length);
    const e = r.cond.data;
    const u = r.uncond.data;
    for (let c = 0; c < C; c++) {
      const a = e[c] + 0.1 * r.guidance * (e[c] - u[c]);
      const freq = 1 + Math.abs(e[(c + 4) % e.length]) * 2;
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const i = (c * h + y) * w + x;
          const target = a + 0.5 * Math.sin((x * freq) / w + y / h + c);
          out[i] = latent.data[i] * (1 - PULL) + target * PULL;
        }
      }
    }
    return out;
  }

  async decode(latents: Tensor): Promise<RgbImage[]> {
    const [B, C, h, w] = latents.dims;
    const out: RgbImage[] = [];
    for (let b = 0; b < B; b++) {
      this.decodeCount.images++;
      const W = w * 8;
      const H = h * 8;
      const data = new Uint8Array(W * H * 3);
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          for (let c = 0; c < 3; c++) {
            const v = latents.data[((b * C + c) * h + (y >> 3)) * w + (x >> 3)];
            data[(y * W + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(128 + 60 * v)));
          }
        }
      }
      out.push({ width: W, height: H, data });
    }
    return out;
  }

  async encodeImage(image: RgbImage): Promise<Tensor> {
    const h = image.height / 8;
    const w = image.width / 8;
    const data = new Float32Array(4 * h * w);
    for (let c = 0; c < 3; c++) {
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          let sum = 0;
          for (let dy = 0; dy < 8; dy++) for (let dx = 0; dx < 8; dx++) sum += image.data[((y * 8 + dy) * image.width + x * 8 + dx) * 3 + c];
          data[(c * h + y) * w + x] = (sum / 64 - 128) / 60;
        }
      }
    }
    return { data, dims: [1, 4, h, w] };
  }

  async inpaintCondition(image: RgbImage, mask: GrayImage): Promise<InpaintCondition> {
    const h = image.height / 8;
    const w = image.width / 8;
    const small = new Float32Array(h * w);
    const masked = { ...image, data: image.data.slice() };
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let sum = 0;
        for (let dy = 0; dy < 8; dy++) for (let dx = 0; dx < 8; dx++) sum += mask.data[(y * 8 + dy) * mask.width + x * 8 + dx];
        small[y * w + x] = sum / 64 >= 0.5 ? 1 : 0;
      }
    }
    for (let p = 0; p < mask.data.length; p++) if (mask.data[p] >= 0.5) masked.data.fill(0, p * 3, p * 3 + 3);
    return { mask: { data: small, dims: [1, 1, h, w] }, maskedImageLatent: await this.encodeImage(masked) };
  }

  async dispose(): Promise<void> {}
}
