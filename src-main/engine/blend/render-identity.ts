/**
 * What determines a render, derived in one place from the engine's spec:
 *  - the render cache's keys (trajectories, branches, images, keyframe stills), byte-stable so
 *    existing caches stay valid;
 *  - the identity the studio keeps rendered frames under (`transitionKey`, `stillKey`): two
 *    renders with the same identity produce the same pictures, so frames follow a transition
 *    through reorders and duplicates and go stale on any edit that changes its pixels.
 * A new render setting is a field of TransitionSpec (or KeyframeJob) plus its schema: the
 * identity covers the whole spec, and render-identity.test.ts fails until the cache keys do.
 */
import { createHash } from 'node:crypto';
import type { RgbImage } from '../image';
import type { KeyframeJob } from '../jobs/keyframe';
import type { ModelRef } from '../jobs/model-ref';
import type { ProviderName } from '../sd/types';
import type { SchedulerKind } from '../scheduler/config';
import { cacheKey, contentHash } from './cache';
import { planFixedTree } from './fixed-tree';
import { roundHalfEven } from './numpy';
import type { TransitionSpec } from './transition-spec';

// ── the render cache's keys ─────────────────────────────────────────────────

/** The loaded pipeline a transition runs on, as far as its cache keys need it. */
export interface KeyedRun {
  readonly model: { readonly name: string; readonly dir: string; readonly provider: Exclude<ProviderName, 'auto'> };
  /** The scheduler that runs (the spec's, else the model folder's own) and its step count. */
  readonly scheduler: SchedulerKind;
  readonly steps: number;
  /** Content hash of the inpainting source (image and mask); undefined for a text-to-image transition. */
  readonly inpaintHash?: string;
}

/** The cache keys of one transition: its keyframe trajectories and the settings its branches hang off. */
export interface TransitionCacheKeys {
  readonly a: string;
  readonly b: string;
  readonly settings: string;
}

/** An image keyframe's trajectory key: the model, schedule and size, the picture's pixels and the noise seed. */
function pictureKey(common: Record<string, unknown>, picture: RgbImage, seed: number): string {
  return cacheKey('keyframe', { ...common, picture: contentHash(picture.data), seed });
}

export function transitionCacheKeys(spec: TransitionSpec, run: KeyedRun): TransitionCacheKeys {
  const inpainting = run.inpaintHash !== undefined;
  const common = { model: run.model, width: spec.width, height: spec.height, scheduler: run.scheduler, steps: run.steps, guidance: spec.guidance, inpaint: run.inpaintHash ?? null };
  const pictureA = inpainting ? undefined : spec.a.picture;
  // A keyframe's key is the same whichever end it is (unpulled, not from a source image), so the
  // next transition, a single-transition render or a loop back to keyframe 1 finds it in the cache.
  const a = spec.a.trajectory?.key ?? (pictureA
    ? pictureKey(common, pictureA, spec.a.seed)
    : cacheKey('keyframe', {
        ...common, prompt: spec.a.prompt, negative: spec.a.negativePrompt ?? '', seed: spec.a.seed,
        pulledToward: null, fromSource: inpainting ? true : undefined,
      }));
  const kc = spec.keyframeCrossfeed;
  // A picture keyframe B is not generated, so nothing pulls it toward A.
  const crossfeedActive = kc !== undefined && kc.power > 0 && roundHalfEven(run.steps * kc.range) > 1 && !spec.b.picture;
  const b = spec.b.picture
    ? pictureKey(common, spec.b.picture, spec.b.seed)
    : cacheKey('keyframe', {
        ...common, prompt: spec.b.prompt, negative: spec.b.negativePrompt ?? '', seed: spec.b.seed,
        pulledToward: crossfeedActive ? { key: a, ...kc } : null,
      });
  const settings = cacheKey('transition', {
    ...common, keyA: a, keyB: b, promptA: spec.a.prompt, promptB: spec.b.prompt,
    negA: spec.a.negativePrompt ?? '', negB: spec.b.negativePrompt ?? '',
    damper: spec.guidanceMidDamper, parental: spec.parentalCrossfeed ?? null,
  });
  return { a, b, settings };
}

/** A branch trajectory: its place in the plan, its parents and how far parental crossfeed ran. */
export function branchCacheKey(settings: string, branch: { position: number; injectionStep: number; left: string; right: string; t: number; crossfeedEnd?: number }): string {
  const { position, injectionStep, left, right, t } = branch;
  const cut = branch.crossfeedEnd !== undefined ? { crossfeedEnd: branch.crossfeedEnd } : {};
  return cacheKey('branch', { settings, position, injectionStep, left, right, t, ...cut });
}

/** A trajectory's decoded image; an inpainting transition's is composited with its seam feather. */
export function imageCacheKey(trajectoryKey: string, featherPx: number | null): string {
  return cacheKey('image', { trajectory: trajectoryKey, feather: featherPx });
}

/** What a keyframe still is rendered from; the session (provider, threads) changes no pixel. */
export type StillJob = Omit<KeyframeJob, 'session'>;

/**
 * A keyframe still's cache key. The model is not in it: the cache's namespace already holds
 * the model folder's fingerprint.
 */
export function stillCacheKey(job: StillJob): string {
  return `still-${JSON.stringify([job.prompt, job.negativePrompt, job.seed, job.guidance, job.scheduler, job.steps, job.width, job.height])}`;
}

// ── the identity rendered frames are kept under ─────────────────────────────

/** The hash identities are compared by (also what the studio keys a render request and a measured speed by). */
export function identityHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 24);
}

/** An imported picture as the project names it: the file and how it is fitted. */
export interface PictureRef {
  readonly image: string;
  readonly fit: string;
}

export interface TransitionIdentityInput {
  /** The model the transition runs on (the inpainting model for an inpainting transition). */
  readonly model: ModelRef;
  /** The spec as the project maps it, without pictures or an inpainting source (they are named below). */
  readonly spec: TransitionSpec;
  /** The inpainting source as the project names it; null for a text-to-image transition. */
  readonly inpaint: { readonly mask: string; readonly image: string | null } | null;
  /** Image keyframes A and B (null where a keyframe is generated); leave out when neither is one. */
  readonly pictures?: readonly [PictureRef | null, PictureRef | null];
  /** Keyframe crossfeed makes K(i) depend on the transition before it: that one's identity, else null. */
  readonly chained: TransitionIdentity | null;
}

/** What determines a transition's final images, and nothing else (as plain data). */
export interface TransitionIdentity {
  readonly model: ModelRef;
  readonly spec: unknown;
  readonly inpaint: TransitionIdentityInput['inpaint'];
  readonly chained: TransitionIdentity | null;
  readonly pictures?: TransitionIdentityInput['pictures'];
}

/**
 * Fps and durations matter only through the tree they plan (a fixed mode's plan, not its
 * frame count); the feather matters only where there is a seam to feather.
 */
export function transitionIdentity(input: TransitionIdentityInput): TransitionIdentity {
  // Batching runs the same latents in fewer or more UNet calls.
  const { maxBatch: _batching, ...spec } = input.spec;
  const mode = spec.mode.kind === 'fixed' ? { kind: 'fixed', plan: planFixedTree(spec.mode), midCompression: spec.mode.midCompression } : spec.mode;
  return {
    model: input.model,
    spec: { ...spec, mode, featherRadiusPx: input.inpaint ? spec.featherRadiusPx : null },
    inpaint: input.inpaint,
    chained: input.chained,
    ...(input.pictures ? { pictures: input.pictures } : {}),
  };
}

/** The key rendered transition frames are kept and compared under. */
export function transitionKey(identity: TransitionIdentity): string {
  return identityHash(identity);
}

/** The key a keyframe's still is kept and compared under: its render job, or the picture imported for it. */
export function stillKey(job: StillJob, picture: PictureRef | null): string {
  return identityHash({ job, image: picture?.image ?? null, ...(picture ? { fit: picture.fit } : {}) });
}
