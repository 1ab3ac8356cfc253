import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createPerceptualMetric } from '../../engine/blend/perceptual';
import { stillCacheKey } from '../../engine/blend/render-identity';
import { renderTransition, renderTransitionKeyframes, type TransitionResult } from '../../engine/blend/transition';
import type { KeyframeTrajectory, TransitionSpec } from '../../engine/blend/transition-spec';
import { generateKeyframe, loadWithProgress } from '../../engine/jobs/keyframe';
import type { SessionOptions } from '../../engine/jobs/models';
import type { JobContext } from '../../engine/jobs/context';
import { checkSizeForModel } from '../../engine/sd/size-rule';
import type { ModelInfo, StableDiffusion } from '../../engine/sd/types';
import type { RgbImage } from '../../engine/image';
import { writeFileAtomic } from '../../project/atomic-write';
import { DiskTransitionCache, pngOnce } from '../../project/disk-transition-cache';
import { fingerprintModelFolder } from '../../project/fingerprint';
import { endKeyframeIndex } from '../../project/pacing';
import type { Project } from '../../project/schema';
import { WriteBehind } from '../../project/write-behind';
import { KeyframePictures } from '../keyframe-pictures';
import { isInpaintingTransition, keyframeJobFor, modelRefOf, sharesKeyframeWithPrevious, transitionSpec } from '../transition-specs';
import { cacheOnlyView } from './cache-only-view';
import { measureSpeed } from './measure-speed';

/** Bumped whenever the engine's numerics change, so old cache entries are not reused. */
export const ENGINE_NUMERICS_VERSION = 3; // 2: ftfy text fixes before BPE (Hub branch) or Euler ᾱ from torch.linspace FMA (few-step branch); 3: both

/** The transition before this one, as far as a render needs it: its keyframe B trajectory. */
export type PreviousTransition = { readonly keyframes: { readonly b: KeyframeTrajectory } };

/**
 * One render: a model, its on-disk cache and the keyframe trajectories computed so far.
 * Exported for the render farm's worker (services/farm), which renders one piece of a movie.
 */
export class ProjectRender {
  private readonly caches = new Map<StableDiffusion, Promise<DiskTransitionCache>>();
  private readonly trajectories = new Map<string, KeyframeTrajectory>();
  private readonly framesDir: string;
  private unetCallsBefore = 0;
  /** Each image is PNG-encoded once, whether the cache or the player needs it first. */
  private readonly pngs = new WeakMap<RgbImage, Promise<Buffer>>();

  private readonly cacheOnlyViews = new WeakMap<StableDiffusion, StableDiffusion>();

  constructor(
    readonly project: Project,
    private readonly cacheDir: string,
    private readonly ctx: JobContext,
    private readonly session: SessionOptions,
    private readonly cacheOnly = false,
    private readonly writes = new WriteBehind(0),
    readonly pictures = new KeyframePictures(project),
  ) {
    this.framesDir = join(cacheDir, 'frames');
  }

  async model(inpainting: boolean): Promise<StableDiffusion> {
    const sd = await loadWithProgress(this.ctx, modelRefOf(this.project, inpainting), this.session);
    // Before any work: one clear message instead of an ONNX Runtime error mid-render.
    checkSizeForModel(sd.info.sizeRule, this.project.width, this.project.height, sd.info.name);
    if (!this.cacheOnly) return sd;
    let view = this.cacheOnlyViews.get(sd);
    if (!view) {
      view = cacheOnlyView(sd);
      this.cacheOnlyViews.set(sd, view);
    }
    return view;
  }

  cache(sd: StableDiffusion): Promise<DiskTransitionCache> {
    let cache = this.caches.get(sd);
    if (!cache) {
      cache = fingerprintOf(sd).then(
        (fingerprint) => new DiskTransitionCache(this.cacheDir, { fingerprint, backend: sd.provider.active, engine: ENGINE_NUMERICS_VERSION }, this.pngs, this.writes),
      );
      this.caches.set(sd, cache);
    }
    return cache;
  }

  /** The latest publish, so files are handed out (and frames announced) in the order images came. */
  private lastPublished: Promise<unknown> = Promise.resolve();

  /**
   * Write a final image where the player and the frame writer can read it; content-addressed.
   * Atomic, as the name promises its content: a cancel mid-write leaves no half file to reuse.
   * Images encode and write in parallel; each resolves after the one published before it.
   */
  publish(image: RgbImage): Promise<string> {
    const written = this.writeFrame(image);
    // Handled here too: a failed write must not count as unhandled while it waits its turn.
    written.catch(() => undefined);
    const inOrder = this.lastPublished.then(() => written);
    this.lastPublished = inOrder.catch(() => undefined);
    return inOrder;
  }

  private async writeFrame(image: RgbImage): Promise<string> {
    const png = await pngOnce(image, this.pngs);
    const file = join(this.framesDir, `${createHash('sha256').update(png).digest('hex').slice(0, 32)}.png`);
    if (!existsSync(file)) {
      await mkdir(this.framesDir, { recursive: true });
      // Atomic: farm workers sharing one cache folder may publish the same frame at once.
      await writeFileAtomic(file, png);
    }
    return file;
  }

  /** A keyframe still on the text-to-image model (used for keyframe scope and as inpainting source). */
  async still(index: number, seed?: number, ctx: JobContext = this.ctx): Promise<RgbImage> {
    const picture = this.pictures.image(index);
    if (picture) return picture;
    const sd = await this.model(false);
    const cache = await this.cache(sd);
    const job = { ...keyframeJobFor(this.project, index), ...(seed === undefined ? {} : { seed }) };
    const key = stillCacheKey(job);
    const cached = await cache.getImage(key);
    if (cached) return cached;
    const { image } = await generateKeyframe(sd, job, ctx);
    await cache.putImage(key, image);
    return image;
  }

  /** Transition `index`'s pipeline and spec; keyframe A comes from `previous` where they share it. */
  private async specFor(index: number, previous: PreviousTransition | undefined): Promise<{ sd: StableDiffusion; spec: TransitionSpec }> {
    const inpainting = isInpaintingTransition(this.project, index);
    const sd = await this.model(inpainting);
    const base = transitionSpec(this.project, index);
    const a = inpainting
      ? { ...base.a, inpaint: { image: await this.still(index), mask: (await this.pictures.mask(index))! } }
      : { ...base.a, picture: await this.pictures.image(index), trajectory: previous && sharesKeyframeWithPrevious(this.project, index) ? previous.keyframes.b : undefined };
    const b = { ...base.b, picture: await this.pictures.image(endKeyframeIndex(this.project, index)) };
    return { sd, spec: { ...base, a, b } };
  }

  /** Only transition `index`'s keyframe trajectories, into the cache (a farm's first stage). */
  async keyframes(index: number, previous: PreviousTransition | undefined, onProgress: (done: number, total: number) => void) {
    const { sd, spec } = await this.specFor(index, previous);
    return renderTransitionKeyframes(sd, spec, {
      signal: this.ctx.signal,
      cache: await this.cache(sd),
      keyframeTrajectories: this.trajectories,
      onProgress: (p) => onProgress(p.done, p.total),
    });
  }

  async transition(
    index: number,
    previous: PreviousTransition | undefined,
    onImage: (position: number, image: RgbImage, imageIndex: number) => Promise<void>,
    onProgress: (done: number, total: number, computed: number) => void,
  ): Promise<TransitionResult> {
    const { sd, spec } = await this.specFor(index, previous);
    // A time budget is planned from keyframe A's or B's measured step time; two pictures run no
    // step, so measure this machine once (as plan does).
    const mode = this.project.transitions[index].mode;
    const twoPictures = !isInpaintingTransition(this.project, index) && spec.a.picture && spec.b.picture;
    const timing = mode.kind === 'adaptive' && mode.budgetSeconds !== undefined && twoPictures
      ? await measureSpeed(sd, this.project).then((m) => ({ tStep: m.stepSeconds, tDecode: m.decodeSeconds }))
      : undefined;
    const pending: Promise<void>[] = [];
    const metric = mode.kind !== 'fixed' ? await createPerceptualMetric(sd.info.dir) : undefined;
    this.unetCallsBefore = sd.stats.unetCalls;
    const result = await renderTransition(sd, spec, {
      signal: this.ctx.signal,
      cache: await this.cache(sd),
      keyframeTrajectories: this.trajectories,
      metric,
      timing,
      onImage: (img) => pending.push(onImage(img.position, img.image, img.index)),
      onProgress: (p) => onProgress(p.done, p.total, p.computed),
    }).catch(async (error: unknown) => {
      // Cancelled or failed: the frames being published still finish before the job ends.
      await Promise.allSettled(pending);
      throw error;
    });
    await Promise.all(pending);
    return result;
  }

  unetCallsSince(sd: StableDiffusion): number {
    return sd.stats.unetCalls - this.unetCallsBefore;
  }
}

/**
 * Model folder fingerprints per loaded pipeline (keyed by its info, which a cache-only view
 * shares). The worker's model pool keeps a pipeline for its life, so the folder is read once
 * rather than on every render; the fingerprint then describes the weights actually loaded.
 */
const fingerprints = new WeakMap<ModelInfo, Promise<string>>();

function fingerprintOf(sd: StableDiffusion): Promise<string> {
  let fingerprint = fingerprints.get(sd.info);
  if (!fingerprint) {
    fingerprint = fingerprintModelFolder(sd.info.dir);
    fingerprints.set(sd.info, fingerprint);
    // A folder that could not be read may be fixed before the next render.
    fingerprint.catch(() => fingerprints.delete(sd.info));
  }
  return fingerprint;
}
