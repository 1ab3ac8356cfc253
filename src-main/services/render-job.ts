import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createPerceptualMetric } from '../engine/blend/perceptual';
import { renderTransition, renderTransitionKeyframes, type KeyframeTrajectory, type TransitionResult, type TransitionSpec } from '../engine/blend/transition';
import { EngineError } from '../engine/errors';
import { generateKeyframe, loadWithProgress } from '../engine/jobs/keyframe';
import { ProgressTracker } from '../engine/jobs/progress';
import type { SessionOptions } from '../engine/jobs/models';
import type { JobContext } from '../engine/jobs/registry';
import type { FrameEvent, RenderEvent } from './render/render-events';
import type { FrameKind } from '../engine/blend/fill-frames';
import { seededStepNoise } from '../engine/noise';
import { needsStepNoise } from '../engine/scheduler';
import { checkSizeForModel } from '../engine/sd/size-rule';
import type { ModelInfo, ProviderStatus, StableDiffusion } from '../engine/sd/types';
import { encodePng, type RgbImage } from '../media/png';
import { assertNotSystemFolder } from '../media/system-folders';
import { writeFileAtomic } from '../project/atomicWrite';
import { resolveProjectPaths } from '../project/create';
import { DiskTransitionCache, cacheDirFor, pngOnce } from '../project/diskTransitionCache';
import { ProjectError } from '../project/errors';
import { fingerprintModelFolder } from '../project/fingerprint';
import type { Project } from '../project/schema';
import { loadProject } from '../project/store';
import { KeyframePictures } from './keyframe-pictures';
import { WriteBehind } from '../project/writeBehind';
import { movieFrames, planMovie, renderedTransitions, type FinalImages } from './movie-frames';
import { endKeyframeIndex, projectPacing } from '../project/pacing';
import { estimateRender, isInpaintingTransition, keyframeJobFor, keyframeCostsSteps, modelRefOf, planTransition, projectTiming, sharesKeyframeWithPrevious, stillKeyOf, transitionKeyOf, transitionSpec, type TransitionPlanSummary } from './transition-specs';
import { stillCacheKey } from '../engine/blend/render-identity';

/** Bumped whenever the engine's numerics change, so old cache entries are not reused. */
export const ENGINE_NUMERICS_VERSION = 3; // 2: ftfy text fixes before BPE (Hub branch) or Euler ᾱ from torch.linspace FMA (few-step branch); 3: both

/** Cache writes that may run behind the render at once (each holds its latents or image until written). */
export const WRITE_BEHIND_LIMIT = 8;

export type RenderScopeSpec = { kind: 'movie' } | { kind: 'transition'; index: number } | { kind: 'keyframe'; index: number };

export interface RenderJob {
  kind: 'render';
  projectFile: string;
  scope: RenderScopeSpec;
  /** Write the movie's frames (00000.png …) and frames.json here (movie scope). */
  framesDir?: string;
  /**
   * The render cache folder; default `<project>.lbs.cache` next to `projectFile`. The studio
   * renders unsaved edits from a snapshot file and passes the real project's cache here, so
   * saved and unsaved renders share one cache.
   */
  cacheDir?: string;
  /**
   * Announce only what the cache already holds and run no diffusion: how the studio shows a
   * reopened project's renders. Transitions (and stills) that are not complete are skipped.
   */
  cacheOnly?: boolean;
  session?: SessionOptions;
  /** Cache writes that may run behind the render (default WRITE_BEHIND_LIMIT); 0 waits for each, as renders did before (the bench's baseline). */
  writeBehind?: number;
  /**
   * Keyframe scope only ("Try seeds"): render the keyframe's still once per seed, each exactly as
   * a keyframe render with that seed would (same cache entry), announced as `{kind: 'variant'}`.
   */
  seeds?: number[];
}

export interface PlanJob {
  kind: 'plan';
  projectFile: string;
  session?: SessionOptions;
}

export interface FrameEntry {
  file: string;
  time: number;
  transition: number;
  position: number;
  kind: FrameKind;
}

export interface RenderJobResult {
  kind: 'render';
  scope: RenderScopeSpec;
  fromCache: boolean;
  provider: ProviderStatus;
  modelName: string;
  transitions: { index: number; images: number; unetEvaluations: number; computedEvaluations: number; positions: number[]; files: string[] }[];
  stats: { unetCalls: number; unetEvaluations: number; computedEvaluations: number; totalMs: number };
  frames?: number;
  framesDir?: string;
}

export interface PlanJobResult {
  kind: 'plan';
  project: string;
  model: string;
  provider: ProviderStatus;
  /** The scheduler that runs: the project's, else the folder's own (with why, when DDIM stands in). */
  scheduler: { kind: string; source: 'project' | 'model'; fallbackReason?: string };
  /** The model's few-step settings when it is a few-step model (SD-Turbo …). */
  fewStep?: ModelInfo['fewStep'];
  measured: { stepSeconds: number; decodeSeconds: number };
  transitions: TransitionPlanSummary[];
  /** The movie's frames at the project's fps and the frame that shows each keyframe (movieTiming). */
  fps: number;
  totalFrames: number;
  keyframeFrames: number[];
  unetEvaluations: number;
  etaSeconds: number;
}

/** A project as its document names things (what render identities derive from) and with its paths resolved. */
interface OpenedProject {
  document: Project;
  project: Project;
}

async function openProject(file: string): Promise<OpenedProject> {
  try {
    const document = await loadProject(file);
    return { document, project: resolveProjectPaths(document, file) };
  } catch (error) {
    if (error instanceof ProjectError) throw new EngineError('INVALID_PROJECT', error.message, { file });
    throw error;
  }
}

/** The project's provider unless the caller overrides it; unset overrides change nothing. */
function sessionFor(project: Project, session: SessionOptions = {}): SessionOptions {
  const given = Object.fromEntries(Object.entries(session).filter(([, v]) => v !== undefined)) as SessionOptions;
  return { provider: project.provider, ...given };
}

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

/** The pipeline with diffusion and decoding refused: a cache-only render fails fast on a miss. */
function cacheOnlyView(sd: StableDiffusion): StableDiffusion {
  const refuse = () => Promise.reject(new EngineError('NOT_CACHED', 'Not in the render cache.'));
  return new Proxy(sd, {
    get(target, prop) {
      if (prop === 'runTrajectories' || prop === 'decode') return refuse;
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function isNotCached(error: unknown): boolean {
  return error instanceof EngineError && error.code === 'NOT_CACHED';
}

/** Transitions to render for a scope; keyframe crossfeed chains pull in the earlier ones. */
export function transitionsFor(project: Project, scope: RenderScopeSpec): number[] {
  if (scope.kind === 'movie') return project.transitions.map((_, i) => i);
  if (scope.kind === 'keyframe') return [];
  let first = scope.index;
  // K(i) depends on K(i−1) through transition i−1's keyframe crossfeed: render that chain too.
  while (first > 0 && project.transitions[first - 1].crossfeed.keyframe && sharesKeyframeWithPrevious(project, first)) first--;
  return Array.from({ length: scope.index - first + 1 }, (_, i) => first + i);
}

/** Keyframes whose image or mask a job reads (a cache-only pass looks at every keyframe's still). */
function keyframesFor(project: Project, job: RenderJob): number[] {
  if (job.scope.kind === 'movie' || job.cacheOnly) return project.keyframes.map((_, i) => i);
  if (job.scope.kind === 'keyframe') return [job.scope.index];
  return [...new Set(transitionsFor(project, job.scope).flatMap((t) => [t, endKeyframeIndex(project, t)]))];
}

function checkJob(project: Project, { scope, framesDir, seeds }: RenderJob): void {
  if (framesDir && scope.kind !== 'movie') {
    // Checked before any diffusion, not after it.
    throw new EngineError('BAD_ARGUMENT', `Frames can only be written for the whole movie, not for a ${scope.kind}.`, { hint: "Render with scope 'movie', or leave out framesDir." });
  }
  if (framesDir) assertNotSystemFolder(framesDir, 'dir');
  if (scope.kind === 'keyframe' && (scope.index < 0 || scope.index >= project.keyframes.length)) {
    throw new EngineError('BAD_ARGUMENT', `Keyframe ${scope.index} does not exist (the project has ${project.keyframes.length}).`);
  }
  if (scope.kind === 'transition' && (scope.index < 0 || scope.index >= project.transitions.length)) {
    throw new EngineError('BAD_ARGUMENT', `Transition ${scope.index} does not exist (the project has ${project.transitions.length}).`);
  }
  if (seeds) checkSeedVariants(project, scope, seeds);
}

function checkSeedVariants(project: Project, scope: RenderScopeSpec, seeds: number[]): void {
  if (scope.kind !== 'keyframe') throw new EngineError('BAD_ARGUMENT', `Seeds can only be tried for a keyframe, not for a ${scope.kind}.`, { hint: "Render with scope 'keyframe', or leave out seeds." });
  if (seeds.length === 0) throw new EngineError('BAD_ARGUMENT', 'Trying seeds needs at least one seed.');
  if (project.keyframes[scope.index].image) {
    throw new EngineError('BAD_ARGUMENT', `Keyframe ${scope.index + 1} shows an imported picture, so its seed does not change its still.`, { hint: 'Remove the picture to try seeds.' });
  }
}

/**
 * "Try seeds": keyframe `index`'s still once per seed, in order, each through the same cached
 * path as a normal keyframe render with that seed. Progress spans all of them, so the ETA is
 * measured over the whole job.
 */
async function renderSeedVariants(render: ProjectRender, document: Project, index: number, seeds: number[], ctx: JobContext<RenderEvent>, main: StableDiffusion, started: number): Promise<RenderJobResult> {
  const callsBefore = main.stats.unetCalls;
  // Units are the stills' own steps (known once the first still reports), so the ETA is
  // measured from the first steps on, not only after a few whole stills.
  let perStill = 1;
  const overall = ctx.progress(seeds.length);
  overall.begin('denoising');
  for (const [n, seed] of seeds.entries()) {
    const phase = `denoising seed ${n + 1} of ${seeds.length}`;
    const stillCtx: JobContext<RenderEvent> = {
      ...ctx,
      progress: (total) =>
        new ProgressTracker(total, (p) => {
          perStill = Math.max(1, p.total);
          overall.set(phase, n * perStill + Math.min(p.done, perStill), seeds.length * perStill);
        }),
    };
    const image = await render.still(index, seed, stillCtx);
    overall.set(phase, (n + 1) * perStill, seeds.length * perStill);
    ctx.event({ kind: 'variant', keyframe: index, seed, file: await render.publish(image), key: stillKeyOf(document, index, seed) });
  }
  const calls = main.stats.unetCalls - callsBefore;
  return {
    kind: 'render', scope: { kind: 'keyframe', index }, fromCache: calls === 0, provider: main.provider, modelName: main.info.name, transitions: [],
    stats: { unetCalls: calls, unetEvaluations: 0, computedEvaluations: calls, totalMs: performance.now() - started },
  };
}

/**
 * Render what `job` asks for. Cache writes run behind the diffusion and are all on disk before
 * this resolves; a failed write fails the job, and a failed or cancelled job still waits for
 * the writes it started, so nothing writes into the cache after the job has ended.
 */
export async function runRenderJob(job: RenderJob, ctx: JobContext<RenderEvent>): Promise<RenderJobResult> {
  const started = performance.now();
  const writes = new WriteBehind(job.writeBehind ?? WRITE_BEHIND_LIMIT);
  let out: RenderJobResult;
  try {
    out = await renderProject(job, ctx, writes);
  } catch (error) {
    await writes.settle();
    throw error;
  }
  await writes.flush();
  out.stats.totalMs = performance.now() - started;
  return out;
}

async function renderProject(job: RenderJob, ctx: JobContext<RenderEvent>, writes: WriteBehind): Promise<RenderJobResult> {
  const started = performance.now();
  const { document, project } = await openProject(job.projectFile);
  checkJob(project, job);
  const render = new ProjectRender(project, job.cacheDir ?? cacheDirFor(job.projectFile), ctx, sessionFor(project, job.session), job.cacheOnly, writes);
  // Every picture the job reads, before any model is loaded: a bad one fails with its name now.
  await render.pictures.check(keyframesFor(project, job));
  const tracker = ctx.progress(1);
  tracker.report('loading model');
  const main = await render.model(false);
  const callsBefore = main.stats.unetCalls;

  if (job.scope.kind === 'keyframe' && job.seeds) return renderSeedVariants(render, document, job.scope.index, job.seeds, ctx, main, started);
  if (job.scope.kind === 'keyframe') {
    tracker.begin('denoising');
    const image = await render.still(job.scope.index);
    const file = await render.publish(image);
    ctx.event({ kind: 'frame', keyframe: job.scope.index, position: 0, index: 0, file, key: stillKeyOf(document, job.scope.index) });
    const calls = main.stats.unetCalls - callsBefore;
    return {
      kind: 'render', scope: job.scope, fromCache: calls === 0, provider: main.provider, modelName: main.info.name, transitions: [],
      stats: { unetCalls: calls, unetEvaluations: 0, computedEvaluations: calls, totalMs: performance.now() - started },
    };
  }

  const indices = transitionsFor(project, job.scope);
  const emitted = new Set(job.scope.kind === 'movie' ? indices : [job.scope.index]);
  // Progress over all transitions: totals are known per transition once its plan is made.
  const totals = new Map<number, number>(indices.map((i) => [i, planTransition(project, i, { tStep: 1, tDecode: 0 }).unetEvaluations]));
  const done = new Map<number, number>();
  const computed = new Map<number, number>();
  const sum = (m: Map<number, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  // Cached evaluations count as done, not as speed: the ETA comes from what this run computes.
  const report = () => tracker.set('rendering', sum(done), sum(totals), sum(computed));
  tracker.begin('rendering');
  const results: RenderJobResult['transitions'] = [];
  const finals: FinalImages[] = [];
  let previous: TransitionResult | undefined;
  let unetEvaluations = 0;
  let computedEvaluations = 0;
  if (job.cacheOnly) {
    // Keyframe thumbnails too, where their stills were rendered before.
    for (let k = 0; k < project.keyframes.length; k++) {
      const image = await render.still(k).catch((error: unknown) => {
        if (isNotCached(error)) return undefined;
        throw error;
      });
      if (image) ctx.event({ kind: 'frame', keyframe: k, position: 0, index: 0, file: await render.publish(image), key: stillKeyOf(document, k) });
    }
  }
  for (const i of indices) {
    const key = transitionKeyOf(document, i);
    const files: { position: number; file: string }[] = [];
    const held: FrameEvent[] = [];
    const rendered = render.transition(
      i,
      previous,
      async (position, image, imageIndex) => {
        const file = await render.publish(image);
        files.push({ position, file });
        const event: FrameEvent = { kind: 'frame', transition: i, position, index: imageIndex, file, key };
        // A cache-only pass announces a transition only once all of it was found.
        if (emitted.has(i)) (job.cacheOnly ? held.push(event) : ctx.event(event));
      },
      (d, t, c) => {
        done.set(i, d);
        totals.set(i, t);
        computed.set(i, c);
        report();
      },
    );
    const result = job.cacheOnly
      ? await rendered.catch((error: unknown) => {
          if (isNotCached(error)) return undefined;
          throw error;
        })
      : await rendered;
    if (!result) {
      previous = undefined;
      continue;
    }
    for (const event of held) ctx.event(event);
    // The shared keyframe was computed by the previous transition: count it once, as plan does.
    const sharedSteps = previous && sharesKeyframeWithPrevious(project, i) && keyframeCostsSteps(project, i) ? result.steps : 0;
    previous = result;
    files.sort((a, b) => a.position - b.position);
    unetEvaluations += result.unetEvaluations - sharedSteps;
    computedEvaluations += result.computedEvaluations;
    const positions = files.map((f) => f.position);
    results.push({ index: i, images: files.length, unetEvaluations: result.unetEvaluations, computedEvaluations: result.computedEvaluations, positions, files: files.map((f) => f.file) });
    finals[i] = { positions, files: files.map((f) => f.file), distances: result.distances };
  }
  const out: RenderJobResult = {
    kind: 'render',
    scope: job.scope,
    fromCache: computedEvaluations === 0,
    provider: main.provider,
    modelName: main.info.name,
    transitions: results.filter((r) => emitted.has(r.index)),
    stats: { unetCalls: main.stats.unetCalls - callsBefore, unetEvaluations, computedEvaluations, totalMs: 0 },
  };
  if (job.framesDir) {
    tracker.report('writing frames');
    out.frames = await writeMovieFrames(project, finals, job.framesDir, ctx.signal);
    out.framesDir = job.framesDir;
  }
  out.stats.totalMs = performance.now() - started;
  return out;
}

/** Write DIR/00000.png … and DIR/frames.json for the whole movie at the project's fps. */
export async function writeMovieFrames(project: Project, finals: readonly FinalImages[], dir: string, signal?: AbortSignal): Promise<number> {
  await mkdir(dir, { recursive: true });
  const entries: FrameEntry[] = [];
  const plan = await planMovie(renderedTransitions(project, finals), project.fps, projectPacing(project));
  for await (const { image, transition, position, kind } of movieFrames(plan, signal)) {
    const n = entries.length;
    const entry: FrameEntry = { file: `${String(n).padStart(5, '0')}.png`, time: n / project.fps, transition, position, kind };
    await writeFile(join(dir, entry.file), encodePng(image));
    entries.push(entry);
  }
  // Frames from an earlier, longer render would otherwise look like part of this one.
  for (let n = entries.length; existsSync(join(dir, `${String(n).padStart(5, '0')}.png`)); n++) await rm(join(dir, `${String(n).padStart(5, '0')}.png`));
  await writeFile(join(dir, 'frames.json'), `${JSON.stringify({ fps: project.fps, width: project.width, height: project.height, frames: entries }, null, 2)}\n`);
  return entries.length;
}

/** Measure this machine's speed on the project's model and size: one UNet step (CFG when the project guides) and one decode. */
async function measureSpeed(sd: StableDiffusion, project: Project): Promise<{ stepSeconds: number; decodeSeconds: number }> {
  const scheduler = project.scheduler ?? sd.info.scheduler.kind;
  const schedule = sd.makeSchedule(scheduler, 10);
  const empty = (await sd.encodePrompt('')).embedding;
  const noise = sd.initialNoise(0, project.width, project.height);
  const stepNoise = needsStepNoise(scheduler) ? seededStepNoise(0, noise.dims) : undefined;
  const request = { startLatent: noise, startStep: 8, cond: empty, uncond: empty, guidance: project.guidance, stepNoise };
  await sd.runTrajectories([request], schedule); // warm-up: first runs allocate arenas
  const t0 = performance.now();
  const [t] = await sd.runTrajectories([request], schedule);
  const t1 = performance.now();
  await sd.decode(t.final);
  const t2 = performance.now();
  return { stepSeconds: (t1 - t0) / 2000, decodeSeconds: (t2 - t1) / 1000 };
}

export async function runPlanJob(job: PlanJob, ctx: JobContext): Promise<PlanJobResult> {
  const { project } = await openProject(job.projectFile);
  await new KeyframePictures(project).check(project.keyframes.map((_, i) => i));
  ctx.progress(1).report('measuring speed');
  const sd = await ctx.models.get(modelRefOf(project, false), sessionFor(project, job.session));
  const measured = await measureSpeed(sd, project);
  const { transitions, unetEvaluations, etaSeconds } = estimateRender(project, project.transitions.map((_, i) => i), measured);
  const movie = projectTiming(project);
  return {
    kind: 'plan',
    project: job.projectFile,
    model: sd.info.name,
    provider: sd.provider,
    scheduler: project.scheduler
      ? { kind: project.scheduler, source: 'project' }
      : { kind: sd.info.scheduler.kind, source: 'model', ...(sd.info.scheduler.fallbackReason ? { fallbackReason: sd.info.scheduler.fallbackReason } : {}) },
    ...(sd.info.fewStep ? { fewStep: sd.info.fewStep } : {}),
    measured,
    transitions,
    fps: project.fps,
    totalFrames: movie.totalFrames,
    keyframeFrames: [...movie.keyframeFrames],
    unetEvaluations,
    etaSeconds: etaSeconds!,
  };
}
