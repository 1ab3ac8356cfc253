import type { GrayImage, RgbImage } from '../image';
import type { StepNoise } from '../noise/step-noise';
import type { FewStepDefaults } from './few-step';
import type { ModelScheduler, SchedulerKind } from '../scheduler/config';
import type { Tensor } from '../tensor';
import type { GpuAdapterInfo } from './gpu-adapter';

/**
 * The image sizes a UNet accepts. An exported UNet with a fixed `sample` shape takes exactly
 * that size; one with symbolic height/width takes multiples of VAE_FACTOR × 2^halvings, since
 * every stride-2 downsampler must split its input evenly for the skip connections to Concat
 * back (96×64 on an SD 2 UNet fails deep inside ONNX Runtime otherwise).
 */
export type UnetSizeRule =
  | { readonly kind: 'fixed'; readonly width: number; readonly height: number }
  | { readonly kind: 'multiple'; readonly multiple: number; readonly halvings: number; readonly from: 'graph' | 'sd2-default' };

/**
 * The contract between the Stable Diffusion pipeline (engine/sd) and its users
 * (the blending engine, the CLI, the worker). Everything here is backend-neutral:
 * latents are float32 NCHW with batch 1 unless stated.
 */
export const PROVIDER_NAMES = ['auto', 'cpu', 'cuda', 'dml', 'coreml', 'webgpu'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export interface ModelInfo {
  /** Display name; the demo model is "Demo model (procedural, not Stable Diffusion)". */
  readonly name: string;
  readonly dir: string;
  readonly isDemo: boolean;
  /** 4 for text-to-image UNets, 9 for SD 2 inpainting UNets. */
  readonly unetInChannels: number;
  readonly latentChannels: number;
  /** Hidden size of the text encoder's last_hidden_state (1024 for SD 2.x). */
  readonly textHiddenSize: number;
  readonly textLength: number;
  readonly hasVaeEncoder: boolean;
  /** Largest UNet batch the export accepts (1 when the batch axis is fixed). */
  readonly unetMaxBatch: number;
  readonly predictionType: 'epsilon' | 'v_prediction';
  /** The image sizes the UNet accepts (fixed, or multiples of 8 × 2^halvings). */
  readonly sizeRule: UnetSizeRule;
  /** The folder's own scheduler (scheduler_config.json `_class_name`) or DDIM with the reason: used when nobody names one. */
  readonly scheduler: ModelScheduler;
  /** Set when the folder is a distilled few-step model (SD-Turbo …): the settings it wants. */
  readonly fewStep?: FewStepDefaults;
}

export interface ProviderStatus {
  readonly requested: ProviderName;
  readonly active: Exclude<ProviderName, 'auto'>;
  /** Why the requested provider is not the active one (undefined when it is, and for `auto`). */
  readonly fallbackReason?: string;
  /** For `auto`: which provider it picked and why, e.g. "CPU: no GPU found (…)". Not a warning. */
  readonly choice?: string;
  /** The GPU adapter when the active provider is WebGPU. */
  readonly adapter?: GpuAdapterInfo;
}

/** A prompt's text conditioning plus what the tokenizer had to drop. */
export interface PromptEmbedding {
  readonly prompt: string;
  /** last_hidden_state, dims [1, textLength, textHiddenSize]. */
  readonly embedding: Tensor;
  readonly tokenCount: number;
  readonly droppedWords: readonly string[];
}

/** The inpainting condition of a 9-channel UNet, already at latent resolution. */
export interface InpaintCondition {
  /** [1, 1, h, w], 1 = regenerate, 0 = keep (thresholded at 0.5). */
  readonly mask: Tensor;
  /** [1, 4, h, w] VAE latent (×0.18215) of image·(mask < 0.5). */
  readonly maskedImageLatent: Tensor;
}

/** One image's state in a batched UNet call. */
export interface UnetItem {
  /** [1, C, h, w] latent. */
  readonly latent: Tensor;
  /** [1, L, D] conditional embedding (already mixed for blending). */
  readonly cond: Tensor;
  /** [1, L, D] unconditional / negative embedding. */
  readonly uncond: Tensor;
  readonly guidance: number;
  /** See TrajectoryRequest.keyframeGuidance. */
  readonly keyframeGuidance?: number;
  readonly inpaint?: InpaintCondition;
}

export interface Schedule {
  readonly kind: SchedulerKind;
  readonly numSteps: number;
  /** timesteps[i] is the model timestep of step i (i = 0 … numSteps-1); fractional for Euler "linspace". */
  readonly timesteps: readonly number[];
  /** A trajectory from noise starts at noise·initNoiseSigma (diffusers' init_noise_sigma; 1 for DDIM and DPM-Solver++). */
  readonly initNoiseSigma: number;
}

/** Called before each UNet call of step `step`; may return a replacement latent (crossfeed). */
export type StepHook = (info: { step: number; index: number; latent: Tensor }) => Tensor | void;

export interface TrajectoryRequest {
  /** Latent at the start: seeded noise for step 0, an injected mix otherwise. */
  readonly startLatent: Tensor;
  /** First step to run (0 = from noise). The trajectory runs steps startStep … stopStep-1. */
  readonly startStep: number;
  /**
   * The step to stop before (default numSteps). A fixed-tree branch that later blocks no longer
   * hold stops early: its last latent is only its children's injection source.
   */
  readonly stopStep?: number;
  readonly cond: Tensor;
  readonly uncond: Tensor;
  /**
   * Classifier-free guidance scale. As in diffusers, g ≤ 1 means no guidance: the UNet gets one
   * row (the prompt's) and no unconditional row; g > 1 gives u + g·(c − u).
   */
  readonly guidance: number;
  /**
   * For a mid-transition image: the keyframes' guidance its damped `guidance` came from. Guidance
   * is then on or off for the whole transition by this value (> 1: on, also where damping takes
   * `guidance` to 1 or below, so the damping stays continuous; ≤ 1: off everywhere).
   */
  readonly keyframeGuidance?: number;
  readonly inpaint?: InpaintCondition;
  readonly hook?: StepHook;
  /**
   * Fresh noise per step for schedulers that add it (Euler ancestral): required there. A
   * keyframe uses seededStepNoise(seed, dims), which is what diffusers draws for that seed.
   */
  readonly stepNoise?: StepNoise;
}

export interface TrajectoryResult {
  /** latents[i] = latent after step i, for i = startStep … stopStep-1 (other entries undefined). */
  readonly latents: (Tensor | undefined)[];
  /** The last latent computed (= latents[stopStep-1]). */
  readonly final: Tensor;
}

export interface RunOptions {
  readonly signal?: AbortSignal;
  /** Called after every UNet call with the number of UNet evaluations done so far in this run. */
  readonly onUnetCall?: (info: { step: number; batch: number }) => void;
}

export interface StableDiffusion {
  readonly info: ModelInfo;
  readonly provider: ProviderStatus;
  /** Encode a prompt (cached: the same text is never encoded twice in a session). */
  encodePrompt(prompt: string): Promise<PromptEmbedding>;
  makeSchedule(kind: SchedulerKind, steps: number): Schedule;
  /**
   * Seeded Gaussian noise equal to torch.randn(generator=manual_seed(seed)) for a width×height image.
   * A trajectory starts at this times schedule.initNoiseSigma (see startLatentFromNoise).
   */
  initialNoise(seed: number, width: number, height: number): Tensor;
  /**
   * Run several trajectories in lock-step (all with the same startStep), batching their
   * UNet calls up to the model's and the caller's batch limit. Recording every step's latent.
   */
  runTrajectories(requests: readonly TrajectoryRequest[], schedule: Schedule, options?: RunOptions & { maxBatch?: number }): Promise<TrajectoryResult[]>;
  /**
   * The trajectory that ends on a given clean latent: latents[i] = the clean latent noised (with
   * `noise`) to the level the sampler reaches after step i. Keyframe A of an inpainting
   * transition is its source image, so its trajectory is this one rather than a fresh render.
   */
  forwardTrajectory(clean: Tensor, noise: Tensor, schedule: Schedule): Float32Array[];
  /** Latents [B,4,h,w] (scaled by 0.18215) → RGB images. */
  decode(latents: Tensor): Promise<RgbImage[]>;
  /** RGB image → latent [1,4,h,w] (scaled by 0.18215); needs a VAE encoder. */
  encodeImage(image: RgbImage): Promise<Tensor>;
  /** Mask (1 = regenerate) and image → the 9-channel UNet's condition. */
  inpaintCondition(image: RgbImage, mask: GrayImage): Promise<InpaintCondition>;
  /** Counters for benchmarks and cache checks. */
  readonly stats: { unetCalls: number; unetImages: number; sessionRunMs: number; textCacheHits: number; textEncodes: number };
  dispose(): Promise<void>;
}
