import type * as ort from 'onnxruntime-node';
import type { GrayImage, RgbImage } from '../image';
import { EngineError, cancelledError } from '../errors';
import { torchRandn } from '../noise/torch-generator';
import { makeSchedule as makeSchedulerSchedule, modelInput, needsStepNoise, noiseLevelAfterStep, schedulerStep } from '../scheduler/schedule';
import { modelScheduler, parseSchedulerConfig, type ModelScheduler, type SchedulerConfig } from '../scheduler/config';
import type { Schedule as SolverSchedule, StepHistory } from '../scheduler/types';
import { type Tensor } from '../tensor';
import { ClipTokenizer } from '../tokenizer/clip-tokenizer';
import {
  describeTextEncoder,
  describeUnet,
  describeVaeDecoder,
  describeVaeEncoder,
  loadComponent,
  type FloatType,
  type LoadedComponent,
  type TextEncoderIO,
  type UnetIO,
  type VaeDecoderIO,
  type VaeEncoderIO,
} from './components';
import { detectFewStep, type FewStepDefaults } from './few-step';
import { classifierFreeGuidanceOn } from './guidance-rule';
import { nchwToRgbImages, resizeNearest, rgbImageToNchw } from './image-tensors';
import { componentBytes, readModelFolder, readSchedulerConfigJson, type ComponentName, type ModelFolderLayout } from './model-folder';
import { availableMemory, checkMemoryFor } from './memory';
import { ProviderSelector, fp16Refusal, type SessionSettings } from './providers';
import { checkFinite, explainRunFailure } from './run-checks';
import { checkSizeForModel, readUnetSizeRule } from './size-rule';
import { floatInput, floatOutput, timestepInput, tokenIdsInput } from './tensors';
import type { InpaintCondition, ModelInfo, PromptEmbedding, ProviderStatus, RunOptions, Schedule, StableDiffusion, TrajectoryRequest, TrajectoryResult, UnetItem } from './types';
import type { SchedulerKind } from '../scheduler/config';

/** SD 2's VAE has no scaling_factor key; 0.18215 is the value every SD 1/2 VAE uses. */
export const VAE_SCALE = 0.18215;

export interface LoadOptions extends Partial<SessionSettings> {
  /** Images per UNet call when the caller does not say (CFG doubles the rows). */
  defaultMaxBatch?: number;
  /** Progress of the load in bytes of model files (graph + external weights), per component. */
  onLoadProgress?: (progress: LoadProgress) => void;
  /** Bytes of memory free for the process now (tests pass their own). */
  availableMemory?: () => number;
}

export interface LoadProgress {
  readonly component: ComponentName;
  readonly doneBytes: number;
  readonly totalBytes: number;
}

/** Load an SD 2.x ONNX model folder (or the demo model) and return a ready pipeline. */
export async function loadStableDiffusion(dir: string, options: LoadOptions = {}): Promise<StableDiffusion> {
  const layout = readModelFolder(dir);
  const tokenizer = await ClipTokenizer.fromFolder(layout.tokenizerDir).catch((error: unknown) => {
    if (error instanceof EngineError) throw error;
    throw new EngineError('MODEL_BAD_CONFIG', `Tokenizer in ${layout.tokenizerDir} could not be read: ${(error as Error).message}`, {
      file: layout.tokenizerDir,
      cause: error,
    });
  });
  let schedulerConfig: SchedulerConfig;
  let ownScheduler: ModelScheduler;
  let fewStep: FewStepDefaults | undefined;
  try {
    const json = readSchedulerConfigJson(layout);
    schedulerConfig = parseSchedulerConfig(json, layout.schedulerConfigPath);
    ownScheduler = modelScheduler(json);
    fewStep = detectFewStep(json, layout.modelIndex);
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw new EngineError('MODEL_BAD_CONFIG', (error as Error).message, { file: layout.schedulerConfigPath, cause: error });
  }
  const selector = new ProviderSelector({ provider: options.provider ?? 'auto', ...options });
  // The UNet is the biggest and most demanding graph: let it decide the provider.
  const order: ComponentName[] = ['unet', 'text_encoder', 'vae_decoder'];
  const files = order.map((name) => layout.components[name]!);
  const totalBytes = files.reduce((sum, f) => sum + componentBytes(f), 0);
  let doneBytes = 0;
  const loaded: LoadedComponent[] = [];
  try {
    for (const file of files) {
      options.onLoadProgress?.({ component: file.component, doneBytes, totalBytes });
      checkMemoryFor(file, layout.displayName, options.availableMemory ?? availableMemory);
      let component = await loadComponent(file, selector);
      const refusal = file.component === 'unet' ? fp16Refusal(selector.status, component.inputs) : undefined;
      if (refusal) {
        // Known before any work: an fp16 graph on an adapter without shader-f16 fails at its first run.
        selector.fallBackToCpu(refusal);
        await component.session.release();
        component = await loadComponent(file, selector);
      }
      loaded.push(component);
      doneBytes += componentBytes(file);
    }
  } catch (error) {
    await Promise.all(loaded.map((c) => c.session.release()));
    throw error;
  }
  options.onLoadProgress?.({ component: 'vae_decoder', doneBytes, totalBytes });
  const [unet, textEncoder, vaeDecoder] = loaded;
  const pipeline = new OnnxStableDiffusion(layout, tokenizer, schedulerConfig, { scheduler: ownScheduler, fewStep }, selector, {
    unet,
    textEncoder,
    vaeDecoder,
    defaultMaxBatch: options.defaultMaxBatch ?? 4,
  });
  await pipeline.warmUp();
  return pipeline;
}

interface Parts {
  unet: LoadedComponent;
  textEncoder: LoadedComponent;
  vaeDecoder: LoadedComponent;
  defaultMaxBatch: number;
}

/** One UNet row: a latent with one of its two CFG embeddings. */
interface Row {
  latent: Float32Array;
  hidden: Float32Array;
  inpaint?: InpaintCondition;
}

class OnnxStableDiffusion implements StableDiffusion {
  readonly stats = { unetCalls: 0, unetImages: 0, sessionRunMs: 0, textCacheHits: 0, textEncodes: 0 };
  private readonly unetIO: UnetIO;
  private readonly textIO: TextEncoderIO;
  private readonly decoderIO: VaeDecoderIO;
  private encoder?: { component: LoadedComponent; io: VaeEncoderIO };
  private readonly promptCache = new Map<string, Promise<PromptEmbedding>>();
  private hiddenSize = 0;
  private _info!: ModelInfo;

  constructor(
    private readonly layout: ModelFolderLayout,
    private readonly tokenizer: ClipTokenizer,
    private readonly schedulerConfig: SchedulerConfig,
    private readonly folder: { scheduler: ModelScheduler; fewStep?: FewStepDefaults },
    private readonly selector: ProviderSelector,
    private readonly parts: Parts,
  ) {
    this.unetIO = describeUnet(parts.unet);
    this.textIO = describeTextEncoder(parts.textEncoder);
    this.decoderIO = describeVaeDecoder(parts.vaeDecoder);
  }

  get info(): ModelInfo {
    return this._info;
  }

  get provider(): ProviderStatus {
    return this.selector.status;
  }

  /** Encode the empty prompt once: it fixes the hidden size and is every image's uncond. */
  async warmUp(): Promise<void> {
    const empty = await this.encodePrompt('');
    this.hiddenSize = empty.embedding.dims[2];
    this._info = {
      name: this.layout.displayName,
      dir: this.layout.dir,
      isDemo: this.layout.isDemo,
      unetInChannels: this.unetIO.inChannels,
      latentChannels: 4,
      textHiddenSize: this.hiddenSize,
      textLength: this.textIO.length,
      hasVaeEncoder: Boolean(this.layout.components.vae_encoder),
      unetMaxBatch: this.unetIO.fixedBatch ?? Number.POSITIVE_INFINITY,
      predictionType: this.schedulerConfig.predictionType,
      sizeRule: readUnetSizeRule(this.parts.unet.file.path, this.parts.unet.inputs),
      scheduler: this.folder.scheduler,
      ...(this.folder.fewStep ? { fewStep: this.folder.fewStep } : {}),
    };
  }

  private async run(session: ort.InferenceSession, feeds: Record<string, ort.Tensor>): Promise<ort.InferenceSession.OnnxValueMapType> {
    // A task of a cancelled job may still be going when the engine shuts down: no run may start on a released session.
    if (this.disposing) throw cancelledError('The engine is shutting down; the model run');
    const start = performance.now();
    const running = session.run(feeds);
    this.inFlight.add(running);
    try {
      return await running;
    } catch (error) {
      throw explainRunFailure(error, this.selector.status);
    } finally {
      this.inFlight.delete(running);
      this.stats.sessionRunMs += performance.now() - start;
    }
  }

  /**
   * Runs not yet returned. A cancelled job can end while a sibling's run is still inside ONNX
   * Runtime; releasing the session (or ending the thread) under it aborts the process from
   * native code, so dispose waits for them first.
   */
  private readonly inFlight = new Set<Promise<unknown>>();
  private disposing = false;

  encodePrompt(prompt: string): Promise<PromptEmbedding> {
    const cached = this.promptCache.get(prompt);
    if (cached) {
      this.stats.textCacheHits++;
      return cached;
    }
    const pending = this.encodeUncached(prompt);
    this.promptCache.set(prompt, pending);
    pending.catch(() => this.promptCache.delete(prompt));
    return pending;
  }

  private async encodeUncached(prompt: string): Promise<PromptEmbedding> {
    const tokens = this.tokenizer.encode(prompt);
    const length = this.textIO.length;
    const ids = new Int32Array(length).fill(this.tokenizer.padId);
    ids.set(tokens.ids.subarray(0, length));
    const out = await this.run(this.parts.textEncoder.session, { [this.textIO.idsName]: tokenIdsInput(this.textIO.idsType, ids) });
    const hidden = out[this.textIO.hiddenName] as ort.Tensor;
    this.stats.textEncodes++;
    const embedding = Float32Array.from(floatOutput(hidden));
    checkFinite(embedding, { what: 'The text encoder', provider: this.selector.status });
    return {
      prompt,
      embedding: { data: embedding, dims: [...hidden.dims] },
      tokenCount: tokens.tokenCount,
      droppedWords: tokens.droppedWords,
    };
  }

  makeSchedule(kind: SchedulerKind, steps: number): Schedule {
    return makeSchedulerSchedule(this.schedulerConfig, kind, steps);
  }

  private solverSchedule(schedule: Schedule): SolverSchedule {
    return 'numSteps' in schedule && (schedule as SolverSchedule).timesteps === schedule.timesteps
      ? (schedule as SolverSchedule)
      : makeSchedulerSchedule(this.schedulerConfig, schedule.kind, schedule.numSteps);
  }

  initialNoise(seed: number, width: number, height: number): Tensor {
    checkSize(width, height);
    // Before any UNet call: a size the UNet cannot take would fail deep inside ONNX Runtime.
    checkSizeForModel(this._info.sizeRule, width, height, this._info.name);
    const dims = [1, 4, height / 8, width / 8];
    return { data: torchRandn(dims, seed), dims };
  }

  async runTrajectories(
    requests: readonly TrajectoryRequest[],
    scheduleIn: Schedule,
    options: RunOptions & { maxBatch?: number } = {},
  ): Promise<TrajectoryResult[]> {
    if (requests.length === 0) return [];
    const schedule = this.solverSchedule(scheduleIn);
    const start = requests[0].startStep;
    if (requests.some((r) => r.startStep !== start)) {
      throw new EngineError('BAD_ARGUMENT', 'runTrajectories: all trajectories of one call must start at the same step.');
    }
    if (!Number.isInteger(start) || start < 0 || start >= schedule.numSteps) {
      throw new EngineError('BAD_ARGUMENT', `runTrajectories: start step ${start} is outside 0…${schedule.numSteps - 1}.`);
    }
    for (const r of requests) this.checkRequest(r);
    if (needsStepNoise(schedule.kind) && requests.some((r) => !r.stepNoise)) {
      throw new EngineError('BAD_ARGUMENT', `runTrajectories: ${schedule.kind} adds fresh noise at every step; give every trajectory its stepNoise (seededStepNoise(seed, dims) for a keyframe).`);
    }
    const stops = requests.map((r) => r.stopStep ?? schedule.numSteps);
    stops.forEach((stop, i) => {
      if (!Number.isInteger(stop) || stop <= start || stop > schedule.numSteps) {
        throw new EngineError('BAD_ARGUMENT', `runTrajectories: trajectory ${i} stops before step ${stop}; it must be after its start step ${start} and at most ${schedule.numSteps}.`);
      }
    });
    const latents: Tensor[] = requests.map((r) => r.startLatent);
    const histories: (StepHistory | undefined)[] = requests.map(() => undefined);
    const recorded: (Tensor | undefined)[][] = requests.map(() => new Array(schedule.numSteps).fill(undefined));
    const maxBatch = Math.max(1, options.maxBatch ?? this.parts.defaultMaxBatch);
    const hiddenFeeds = new HiddenFeeds(this.unetIO.hiddenType, this.textIO.length, this.hiddenSize);
    const end = Math.max(...stops);

    for (let step = start; step < end; step++) {
      const running = requests.map((_, i) => i).filter((i) => step < stops[i]);
      for (const i of running) {
        const replaced = requests[i].hook?.({ step, index: i, latent: latents[i] });
        if (replaced) latents[i] = replaced;
      }
      const items: UnetItem[] = running.map((i) => ({
        latent: { data: modelInput(schedule, step, latents[i].data), dims: latents[i].dims },
        cond: requests[i].cond,
        uncond: requests[i].uncond,
        guidance: requests[i].guidance,
        keyframeGuidance: requests[i].keyframeGuidance,
        inpaint: requests[i].inpaint,
      }));
      const outputs: Float32Array[] = [];
      for (let from = 0; from < items.length; from += maxBatch) {
        if (options.signal?.aborted) throw cancelledError();
        const chunk = items.slice(from, from + maxBatch);
        outputs.push(...(await this.guidedModelOutput(chunk, schedule.timesteps[step], step, hiddenFeeds, options)));
      }
      running.forEach((i, j) => {
        const result = schedulerStep(schedule, step, latents[i].data, outputs[j], histories[i], requests[i].stepNoise?.(step));
        histories[i] = result.history;
        latents[i] = { data: result.prevSample, dims: latents[i].dims };
        recorded[i][step] = latents[i];
      });
    }
    return requests.map((_, i) => ({ latents: recorded[i], final: latents[i] }));
  }

  private checkRequest(r: TrajectoryRequest): void {
    const [b, c] = r.startLatent.dims;
    if (b !== 1 || c !== 4) {
      throw new EngineError('BAD_ARGUMENT', `A trajectory's latent must be [1, 4, h, w], got [${r.startLatent.dims.join(', ')}].`);
    }
    if (this.unetIO.inChannels === 9 && !r.inpaint) {
      throw new EngineError('BAD_ARGUMENT', `${this.layout.displayName} is an inpainting model (9-channel UNet): give an image and a mask.`, {
        hint: 'Use a text-to-image model for prompts without a mask, or add a mask to the keyframe.',
      });
    }
    if (this.unetIO.inChannels === 4 && r.inpaint) {
      throw new EngineError('BAD_ARGUMENT', `${this.layout.displayName} is a text-to-image model; inpainting needs an SD 2 inpainting model (9-channel UNet).`);
    }
    for (const e of [r.cond, r.uncond]) {
      if (e.dims[1] !== this.textIO.length || e.dims[2] !== this.hiddenSize) {
        throw new EngineError('BAD_ARGUMENT', `Text embedding shape [${e.dims.join(', ')}] does not match the model's [1, ${this.textIO.length}, ${this.hiddenSize}].`);
      }
    }
  }

  /** UNet for a chunk of images: cond rows, plus uncond rows where classifier-free guidance is on, in one call. */
  private async guidedModelOutput(
    items: readonly UnetItem[],
    timestep: number,
    step: number,
    hiddenFeeds: HiddenFeeds,
    options: RunOptions,
  ): Promise<Float32Array[]> {
    const rows: Row[] = [];
    const plan: { cond: number; uncond?: number; guidance: number }[] = [];
    for (const item of items) {
      const cond = rows.push({ latent: item.latent.data, hidden: item.cond.data, inpaint: item.inpaint }) - 1;
      // diffusers' rule (guidance-rule.ts): no unconditional row at g ≤ 1, except mid-transition
      // images of a guided transition, whose damped g keeps the formula to stay continuous.
      if (classifierFreeGuidanceOn(item.guidance, item.keyframeGuidance)) {
        const uncond = rows.push({ latent: item.latent.data, hidden: item.uncond.data, inpaint: item.inpaint }) - 1;
        plan.push({ cond, uncond, guidance: item.guidance });
      } else {
        plan.push({ cond, guidance: item.guidance });
      }
    }
    const out = await this.unetRows(rows, timestep, items[0].latent.dims, hiddenFeeds, options.signal);
    this.stats.unetImages += items.length;
    options.onUnetCall?.({ step, batch: items.length });
    return plan.map(({ cond, uncond, guidance }) => {
      const c = out[cond];
      if (uncond === undefined) return c;
      const u = out[uncond];
      const guided = new Float32Array(c.length);
      for (let i = 0; i < c.length; i++) guided[i] = u[i] + guidance * (c[i] - u[i]);
      return guided;
    });
  }

  /** Run the UNet over rows, in as few calls as the export's batch axis allows. */
  private async unetRows(
    rows: readonly Row[],
    timestep: number,
    latentDims: readonly number[],
    hiddenFeeds: HiddenFeeds,
    signal?: AbortSignal,
  ): Promise<Float32Array[]> {
    const io = this.unetIO;
    const [, , h, w] = latentDims;
    const plane = h * w;
    const perCall = io.fixedBatch ?? rows.length;
    const results: Float32Array[] = [];
    for (let from = 0; from < rows.length; from += perCall) {
      if (signal?.aborted) throw cancelledError();
      const chunk = rows.slice(from, from + perCall);
      // A fixed-batch export needs exactly its batch: pad with copies and drop their outputs.
      while (io.fixedBatch !== undefined && chunk.length < io.fixedBatch) chunk.push(chunk[chunk.length - 1]);
      const batch = chunk.length;
      const sample = new Float32Array(batch * io.inChannels * plane);
      chunk.forEach((row, b) => {
        const base = b * io.inChannels * plane;
        sample.set(row.latent, base);
        if (io.inChannels === 9) {
          sample.set(row.inpaint!.mask.data, base + 4 * plane);
          sample.set(row.inpaint!.maskedImageLatent.data, base + 5 * plane);
        }
      });
      const feeds = {
        [io.sampleName]: floatInput(io.sampleType, sample, [batch, io.inChannels, h, w]),
        [io.timestepName]: timestepInput(io.timestepType, timestep, batch, io.timestepLayout),
        [io.hiddenName]: hiddenFeeds.feed(chunk.map((row) => row.hidden)),
      };
      const out = await this.run(this.parts.unet.session, feeds);
      this.stats.unetCalls++;
      const data = floatOutput(out[io.outName] as ort.Tensor);
      checkFinite(data, { what: 'The UNet', at: `timestep ${timestep}`, provider: this.selector.status });
      const n = 4 * plane;
      for (let b = 0; b < Math.min(batch, rows.length - from); b++) results.push(data.slice(b * n, (b + 1) * n));
      // Let a cancel message reach a worker thread between UNet calls.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return results;
  }

  forwardTrajectory(clean: Tensor, noise: Tensor, scheduleIn: Schedule): Float32Array[] {
    if (clean.data.length !== noise.data.length) {
      throw new EngineError('BAD_ARGUMENT', `forwardTrajectory: latent [${clean.dims.join(', ')}] and noise [${noise.dims.join(', ')}] differ in size.`);
    }
    const schedule = this.solverSchedule(scheduleIn);
    return Array.from({ length: schedule.numSteps }, (_, i) => {
      const { signal, noise: sigma } = noiseLevelAfterStep(schedule, i);
      const out = new Float32Array(clean.data.length);
      for (let j = 0; j < out.length; j++) out[j] = signal * clean.data[j] + sigma * noise.data[j];
      return out;
    });
  }

  async decode(latents: Tensor): Promise<RgbImage[]> {
    const [batch, channels, h, w] = latents.dims;
    if (channels !== 4) throw new EngineError('BAD_ARGUMENT', `decode: expected 4 latent channels, got ${channels}.`);
    const io = this.decoderIO;
    const images: RgbImage[] = [];
    const n = 4 * h * w;
    // One image per call: a 512² SD VAE decode needs several GB of activations at batch > 1.
    for (let b = 0; b < batch; b++) {
      const scaled = new Float32Array(n);
      for (let i = 0; i < n; i++) scaled[i] = latents.data[b * n + i] / VAE_SCALE;
      const out = await this.run(this.parts.vaeDecoder.session, { [io.inName]: floatInput(io.inType, scaled, [1, 4, h, w]) });
      const sample = out[io.outName] as ort.Tensor;
      const [, , H, W] = sample.dims;
      const pixels = floatOutput(sample);
      checkFinite(pixels, { what: 'The VAE decoder', provider: this.selector.status });
      images.push(...nchwToRgbImages(pixels, 1, H, W));
    }
    return images;
  }

  private async vaeEncoder(): Promise<{ component: LoadedComponent; io: VaeEncoderIO }> {
    if (this.encoder) return this.encoder;
    const file = this.layout.components.vae_encoder;
    if (!file) {
      throw new EngineError('MODEL_FILE_MISSING', `Model folder ${this.layout.dir} has no vae_encoder/model.onnx, needed for image keyframes and inpainting.`, {
        file: `${this.layout.dir}/vae_encoder/model.onnx`,
        hint: 'Export the model with its VAE encoder (optimum exports it by default).',
      });
    }
    const component = await loadComponent(file, this.selector);
    this.encoder = { component, io: describeVaeEncoder(component) };
    return this.encoder;
  }

  async encodeImage(image: RgbImage, keep?: (pixel: number) => boolean): Promise<Tensor> {
    checkSize(image.width, image.height);
    checkSizeForModel(this._info.sizeRule, image.width, image.height, this._info.name);
    const { component, io } = await this.vaeEncoder();
    const pixels = rgbImageToNchw(image, keep);
    const out = await this.run(component.session, { [io.inName]: floatInput(io.inType, pixels, [1, 3, image.height, image.width]) });
    const result = out[io.outName] as ort.Tensor;
    const data = floatOutput(result);
    const [, , h, w] = result.dims;
    const n = 4 * h * w;
    // latent_parameters = mean ‖ logvar: the mean (first 4 channels) is the deterministic latent.
    const latent = new Float32Array(n);
    for (let i = 0; i < n; i++) latent[i] = data[i] * VAE_SCALE;
    return { data: latent, dims: [1, 4, h, w] };
  }

  async inpaintCondition(image: RgbImage, mask: GrayImage): Promise<InpaintCondition> {
    const { width, height } = image;
    const pixelMask = resizeNearest(mask, width, height);
    const maskedImageLatent = await this.encodeImage(image, (i) => pixelMask[i] < 0.5);
    const [, , h, w] = maskedImageLatent.dims;
    const latentMask = resizeNearest(mask, w, h);
    for (let i = 0; i < latentMask.length; i++) latentMask[i] = latentMask[i] >= 0.5 ? 1 : 0;
    return { mask: { data: latentMask, dims: [1, 1, h, w] }, maskedImageLatent };
  }

  async dispose(): Promise<void> {
    this.disposing = true;
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    const sessions = [this.parts.unet, this.parts.textEncoder, this.parts.vaeDecoder, this.encoder?.component];
    await Promise.all(sessions.map((c) => c?.session.release()));
  }
}

/**
 * The UNet's text-embedding input, built once per combination of embeddings for one
 * runTrajectories call (where the embeddings are fixed) instead of at every step: for 8 UNet
 * rows of SD 2 that is 2.5 MB of copying per step, plus the fp16 conversion on fp16 exports.
 */
class HiddenFeeds {
  private readonly ids = new WeakMap<Float32Array, number>();
  private nextId = 0;
  private readonly feeds = new Map<string, ort.Tensor>();

  constructor(
    private readonly type: FloatType,
    private readonly length: number,
    private readonly hiddenSize: number,
  ) {}

  feed(rows: readonly Float32Array[]): ort.Tensor {
    const key = rows.map((h) => this.idOf(h)).join(',');
    let feed = this.feeds.get(key);
    if (!feed) {
      const hidden = new Float32Array(rows.length * this.length * this.hiddenSize);
      rows.forEach((h, b) => hidden.set(h, b * h.length));
      feed = floatInput(this.type, hidden, [rows.length, this.length, this.hiddenSize]);
      this.feeds.set(key, feed);
    }
    return feed;
  }

  private idOf(embedding: Float32Array): number {
    let id = this.ids.get(embedding);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(embedding, id);
    }
    return id;
  }
}

export function checkSize(width: number, height: number): void {
  for (const [name, value] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (!Number.isInteger(value) || value < 64 || value > 4096 || value % 8 !== 0) {
      throw new EngineError('BAD_ARGUMENT', `${name} ${value} is not usable: it must be a multiple of 8 between 64 and 4096 pixels.`, {
        hint: 'Stable Diffusion 2 works best at 512 (base) or 768 (v model).',
      });
    }
  }
}
