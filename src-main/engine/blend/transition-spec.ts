/**
 * What a transition render is asked for: the keyframes, the guidance, the mode and its plan
 * settings. Its own module so the render identity (render-identity.ts) and the executor
 * (transition.ts) both read it without importing each other.
 */
import type { GrayImage, RgbImage } from '../image';
import type { SchedulerKind } from '../scheduler/config';
import type { StoredLatents } from './cache';
import type { CrossfeedSettings } from './crossfeed';
import type { QualityPreset } from './fixed-tree';

export interface KeyframeSpec {
  readonly prompt: string;
  /** Default "". Different negatives for A and B are lerped like the prompts. */
  readonly negativePrompt?: string;
  readonly seed: number;
  /**
   * An image keyframe: this picture (width × height of the transition) stands for the keyframe.
   * Its trajectory is the picture's latent noised to each step's level — the mechanism of an
   * inpainting source (spec §5) — so it costs no UNet call and the seed only draws that noise.
   */
  readonly picture?: RgbImage;
}

export interface InpaintSource {
  /** Keyframe A's picture (generated or imported), width × height of the transition. */
  readonly image: RgbImage;
  /** Same size; 1 = regenerate, 0 = keep. */
  readonly mask: GrayImage;
}

export type TransitionMode =
  | {
      readonly kind: 'fixed';
      readonly preset: QualityPreset;
      readonly frames: number;
      readonly depthStrength: number;
      /** Branch spacing; ≥ 1.7 crowds branches toward the middle (spec §3a). Default 1.2 (linear). */
      readonly midCompression?: number;
      readonly steps?: number;
      readonly injectionSteps?: readonly number[];
      readonly branches?: readonly number[];
    }
  | {
      readonly kind: 'adaptive';
      readonly steps: number;
      readonly depthStrength: number;
      readonly budgetSeconds?: number;
      readonly maxImages?: number;
    }
  | {
      /** Few-step models (fast-plan.ts): every branch injected at one step from the keyframes. */
      readonly kind: 'fast';
      readonly steps: number;
      readonly depthStrength: number;
      /** k ∈ [0, N − 1]; default round(N·depthStrength) clamped to [1, N − 1]. */
      readonly injectionStep?: number;
      /** Exactly one of branches (evenly spaced), maxImages or budgetSeconds (adaptive insertion). */
      readonly branches?: number;
      readonly maxImages?: number;
      readonly budgetSeconds?: number;
    };

export interface TransitionSpec {
  /**
   * Keyframe A. `inpaint` makes this an inpainting transition (9-channel UNet). `trajectory`
   * reuses an already computed keyframe trajectory — in a movie, pass the previous transition's
   * `result.keyframes.b`, so the shared keyframe is rendered once and the join is seamless.
   */
  readonly a: KeyframeSpec & { readonly inpaint?: InpaintSource; readonly trajectory?: KeyframeTrajectory };
  readonly b: KeyframeSpec;
  readonly guidance: number;
  /** d ∈ (0, 1]: guidance at the middle is g·d (spec §2). 1 = no damping. */
  readonly guidanceMidDamper: number;
  /** Undefined: the model folder's own scheduler (sd.info.scheduler). */
  readonly scheduler?: SchedulerKind;
  readonly width: number;
  readonly height: number;
  readonly mode: TransitionMode;
  readonly parentalCrossfeed?: CrossfeedSettings;
  /**
   * Pulls keyframe B's trajectory toward A's (spec §2). Chaining rule: in a movie K(i+1) is
   * computed once, as B of T(i) pulled toward K(i), and reused unchanged as A of T(i+1); so
   * K(i+1) depends on K(i), and changing K(i) changes every later keyframe that crossfeed reaches.
   */
  readonly keyframeCrossfeed?: CrossfeedSettings;
  /** Images per UNet call (passed to runTrajectories). */
  readonly maxBatch?: number;
  /** Inpainting seam feather in pixels (default 8); 0 = hard mask edge. */
  readonly featherRadiusPx?: number;
}

/** A keyframe's whole trajectory (every step) and its decoded render. */
export interface KeyframeTrajectory {
  readonly key: string;
  readonly dims: readonly number[];
  /** latents[i] = latent after step i, i = 0 … N−1. */
  readonly latents: readonly Float32Array[];
  readonly image: RgbImage;
  readonly timing?: StoredLatents['timing'];
}
