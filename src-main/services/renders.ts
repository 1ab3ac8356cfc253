import { estimateRender, modelRefOf, stillKeyOf, transitionEndIsStill, transitionKeyOf } from './transition-specs';
import { identityHash } from '../engine/blend/render-identity';
import { hugeRenderSummary } from './huge-render';
import { endKeyframeIndex } from '../project/pacing';
import path from 'node:path';
import type { RenderScope, RenderedFrames } from '../contract/contract';
import { usesPerceptualProgress } from '../engine/blend/easing';
import type { ProviderSetting as ProviderName, Project } from '../project/schema';
import { AppError, toErrorData } from './errors';
import { neighbourDistancesOfFiles } from './movie-frames';
import type { Engine } from './engine';
import type { EmitFn } from './events';
import type { JobBoard } from './jobs';
import type { MediaRoots } from './media/media-roots';
import type { ModelsService } from './models';
import type { ProjectsService } from './projects';
import type { SettingsStore } from './settings';
import type { FarmService } from './farm/farm-service';
import { renderOnFarm } from './farm/farm-render';

/** Everything that determines a transition's final images; frames rendered under another key are stale. */
export const transitionKey = transitionKeyOf;

export function scopeLabel(project: Project, scope: RenderScope): string {
  switch (scope.kind) {
    case 'keyframe':
      return `Keyframe ${scope.index + 1}`;
    case 'transition':
      return `Transition ${scope.index + 1} → ${scope.index + 2}`;
    case 'movie':
      return `Movie (${project.transitions.length} transition${project.transitions.length === 1 ? '' : 's'})`;
  }
}

/** What determines keyframe `index`'s still: its render job, or the picture imported for it. */
const stillKey = stillKeyOf;

interface TransitionFrames {
  key: string;
  complete: boolean;
  /** Neighbour distances of the finished images (measureSpacing), for equal perceptual spacing. */
  distances?: number[];
  /** position → file */
  frames: Map<number, string>;
}

interface CurrentTransition {
  complete: boolean;
  frames: { position: number; file: string }[];
  distances?: number[];
}

interface QueueEntry {
  jobId: string;
  scope: RenderScope;
  engineJobId?: string;
  cancelled: boolean;
  /** Only load what the render cache holds (no diffusion): a reopened project's frames. */
  cacheOnly?: boolean;
  /** What the running job renders (scope and project document); set when it starts. */
  identity?: string;
  /** Stops a render running on the farm (its flow's jobs are removed). */
  abort?: AbortController;
  /** "Try seeds": the keyframe's still once per seed instead of its own (never joined with a render). */
  seeds?: number[];
}

/** Two renders with the same identity produce the same images (in the same project folder). */
function renderIdentity(project: Project, scope: RenderScope, dir: string): string {
  return identityHash({ scope, project, dir });
}

/** Renders of the same model at the same size run at the same speed. */
function speedKey(project: Project): string {
  return identityHash({ model: modelRefOf(project, false), width: project.width, height: project.height });
}

function sameScope(a: RenderScope, b: RenderScope): boolean {
  return a.kind === b.kind && (a.kind === 'movie' || (b.kind !== 'movie' && a.index === b.index));
}

/**
 * The render queue over the engine worker. Jobs run one at a time in the order asked for (the
 * worker has one inference thread anyway); each reports progress with an ETA, can be cancelled
 * while queued or running, and announces every new image as a media URL. A crashed worker fails
 * its job with a readable error; the next job gets a fresh worker. Keyframe stills are cached by
 * content hash, transitions resume from the engine's render cache.
 */
export class RendersService {
  private readonly queue: QueueEntry[] = [];
  private current: QueueEntry | null = null;
  /**
   * Keyframe stills by stillKey (content): a still belongs to its keyframe's settings, so it
   * follows the keyframe through reorders and comes with a duplicate.
   */
  private readonly stills = new Map<string, string>();
  /**
   * Transition frames by transitionKey (content), not by position: a reorder, drag or
   * duplicate moves a transition whose endpoints stayed the same without losing its frames.
   */
  private readonly transitions = new Map<string, TransitionFrames>();
  private framesOwner: string | null = null;
  /** Seconds per UNet evaluation measured by finished renders, by speedKey. */
  private readonly speeds = new Map<string, { stepSeconds: number; decodeSeconds: number }>();

  constructor(
    private readonly deps: {
      engine: Engine;
      projects: ProjectsService;
      models: ModelsService;
      settings: SettingsStore;
      board: JobBoard;
      media: MediaRoots;
      emit: EmitFn;
      /** Render on farm: movie renders go to `latentblend worker`s when it is switched on. */
      farm?: FarmService;
    },
  ) {}

  /**
   * Queue a render, or join an equal one: a double click on "Render movie", or Export asking for
   * the movie a render is already making, gets that job's id instead of a second identical job.
   * A queued job reads the project when it starts, so any queued job of the same scope is equal;
   * the running one only if it renders the project as it is now.
   */
  start(scope: RenderScope, options: { confirmHuge?: boolean } = {}): { jobId: string; joined?: boolean } {
    const { project } = this.deps.projects.require();
    checkScope(project, scope);
    const equal =
      this.queue.find((q) => !q.cancelled && !q.cacheOnly && !q.seeds && sameScope(q.scope, scope)) ??
      (this.current && !this.current.cancelled && !this.current.cacheOnly && !this.current.seeds && this.current.identity === renderIdentity(project, scope, this.deps.projects.projectDir()) ? this.current : undefined);
    if (equal) return { jobId: equal.jobId, joined: true };
    if (!options.confirmHuge) this.refuseHugeUnconfirmed(project, scope);
    const info = this.deps.board.add('render', scopeLabel(project, scope), scope, project.name);
    this.queue.push({ jobId: info.jobId, scope, cancelled: false });
    void this.pump();
    return { jobId: info.jobId };
  }

  /**
   * "Try seeds": one job rendering keyframe `index`'s still once per seed, each announced as a
   * job.variant event. Each still is cached under the key it would have with that seed, so
   * picking one (setting the keyframe's seed) shows it at once, with no render.
   */
  variants(index: number, seeds: number[]): { jobId: string } {
    const { project } = this.deps.projects.require();
    const scope: RenderScope = { kind: 'keyframe', index };
    checkScope(project, scope);
    if (project.keyframes[index].image) {
      throw new AppError('BAD_REQUEST', `Keyframe ${index + 1} shows an imported picture, so a new seed would not change its still.`, { path: ['index'], hint: 'Remove the picture to try seeds.' });
    }
    const distinct = [...new Set(seeds)];
    const info = this.deps.board.add('render', `${scopeLabel(project, scope)}: try ${distinct.length} seed${distinct.length === 1 ? '' : 's'}`, scope, project.name);
    this.queue.push({ jobId: info.jobId, scope, cancelled: false, seeds: distinct });
    void this.pump();
    return { jobId: info.jobId };
  }

  /**
   * The plan's estimate comes first: a movie or transition render estimated past
   * HUGE_RENDER_LIMIT (at the speed measured on this project's model and size, or in UNet steps
   * before any is) starts only once the user confirmed it. Transitions already rendered cost nothing.
   */
  private refuseHugeUnconfirmed(project: Project, scope: RenderScope): void {
    if (scope.kind === 'keyframe') return;
    const indices = (scope.kind === 'movie' ? project.transitions.map((_, i) => i) : [scope.index]).filter(
      (i) => !this.transitions.get(transitionKey(project, i))?.complete,
    );
    if (indices.length === 0) return;
    const summary = hugeRenderSummary(estimateRender(project, indices, this.speeds.get(speedKey(project)) ?? null));
    if (summary === null) return;
    throw new AppError('RENDER_NEEDS_CONFIRMATION', `${scopeLabel(project, scope)} is estimated to take ${summary}.`, {
      hint: 'Start it anyway, or lower the quality, size or durations first.',
    });
  }

  /**
   * Show what an opened project already has in its render cache: stills and complete
   * transitions appear in the player without any diffusion. Queued like a render so it never
   * races one, and visible in the queue so nothing happens behind the user's back.
   */
  restoreFromCache(): { jobId: string } | null {
    const state = this.deps.projects.state();
    if (!state || state.project.keyframes.length === 0) return null;
    const info = this.deps.board.add('render', 'Load cached renders', { kind: 'movie' }, state.project.name);
    this.queue.push({ jobId: info.jobId, scope: { kind: 'movie' }, cancelled: false, cacheOnly: true });
    void this.pump();
    return { jobId: info.jobId };
  }

  cancel(jobId: string): boolean {
    const queued = this.queue.findIndex((q) => q.jobId === jobId);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.deps.board.fail(jobId, { code: 'CANCELLED', message: 'The render was cancelled before it started.' });
      return true;
    }
    const running = this.current;
    if (running && running.jobId === jobId && !running.cancelled) {
      running.cancelled = true;
      if (running.engineJobId) this.deps.engine.cancel(running.engineJobId);
      running.abort?.abort();
      return true;
    }
    return false;
  }

  /** Resolves when the queue is empty (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.current || this.queue.length) await new Promise((r) => setTimeout(r, 20));
  }

  private async pump(): Promise<void> {
    if (this.current) return;
    const next = this.queue.shift();
    if (!next) return;
    this.current = next;
    this.deps.board.running(next.jobId);
    try {
      const result = await this.renderWithEngine(next);
      if (next.cancelled) throw new AppError('CANCELLED', 'The render was cancelled.');
      this.deps.board.done(next.jobId, result);
    } catch (error) {
      const data = toErrorData(error);
      if (next.cancelled && data.code !== 'WORKER_CRASHED') this.deps.board.fail(next.jobId, { code: 'CANCELLED', message: 'The render was cancelled.' });
      else this.deps.board.fail(next.jobId, data);
    } finally {
      this.current = null;
      void this.pump();
    }
  }

  private resetFramesIfProjectChanged(): void {
    const owner = this.deps.projects.projectDir();
    if (owner !== this.framesOwner) {
      this.framesOwner = owner;
      this.stills.clear();
      this.transitions.clear();
    }
  }

  private async renderWithEngine(entry: QueueEntry) {
    this.resetFramesIfProjectChanged();
    // The document as it is now: the job gets it in memory (the farm, a file it can share).
    const current = this.deps.projects.require();
    const { project } = current;
    entry.identity = renderIdentity(project, entry.scope, this.deps.projects.projectDir());
    checkScope(project, entry.scope);
    const indices = entry.scope.kind === 'transition' ? [entry.scope.index] : entry.scope.kind === 'movie' ? project.transitions.map((_, i) => i) : [];
    const provider = (await this.deps.settings.read()).provider;
    const keys = new Map(indices.map((i) => [i, transitionKey(project, i)]));
    const farm = entry.scope.kind === 'movie' && !entry.cacheOnly ? await this.deps.farm?.target() : undefined;
    if (farm) return this.renderOnFarm(entry, project, await this.deps.projects.fileForRender(), keys, provider, farm);
    let frames = 0;
    const started = performance.now();
    const handle = this.deps.engine.start(
      { kind: 'render', project, projectFile: current.path ?? current.untitledFile!, cacheDir: this.deps.projects.cacheDirForRender(), scope: entry.scope, cacheOnly: entry.cacheOnly, session: { provider }, ...(entry.seeds ? { seeds: entry.seeds } : {}) },
      {
        onProgress: (p) => this.deps.board.progress(entry.jobId, p),
        onEvent: (event) => {
          if (event.kind === 'variant') {
            const variant = event;
            frames++;
            this.stills.set(variant.key, variant.file);
            this.deps.emit('job.variant', { jobId: entry.jobId, keyframe: variant.keyframe, seed: variant.seed, url: this.urlFor(variant.file) });
            return;
          }
          const frame = event;
          frames++;
          if ('keyframe' in frame) {
            this.keepStill(entry.jobId, project, frame.keyframe, frame.file, frame.key);
            return;
          }
          const t = frame.transition;
          const key = frame.key;
          let store = this.transitions.get(key);
          if (!store) this.transitions.set(key, (store = { key, complete: false, frames: new Map() }));
          store.frames.set(frame.position, frame.file);
          const index = [...store.frames.keys()].sort((a, b) => a - b).indexOf(frame.position);
          this.deps.emit('job.frame', { jobId: entry.jobId, target: 'transition', transition: t, position: frame.position, index, url: this.urlFor(frame.file) });
          // Render movie makes the keyframes as transition ends: where an end is the keyframe's
          // own still, it belongs to the keyframe and outlives any edit of its neighbours.
          const end = frame.position === 0 ? 0 : frame.position === 1 ? 1 : null;
          const k = end === 1 ? endKeyframeIndex(project, t) : t;
          if (end !== null && transitionEndIsStill(project, t, end) && this.stillOf(project, k) !== frame.file) this.keepStill(entry.jobId, project, k, frame.file);
        },
      },
    );
    entry.engineJobId = handle.jobId;
    if (entry.cancelled) this.deps.engine.cancel(handle.jobId);
    const result = await handle.result;
    await this.deps.models.observeProvider(result.provider);
    // This machine's speed on this model and size, for the next estimate (decodes folded into the step time).
    const computed = result.stats.computedEvaluations;
    if (computed > 0) this.speeds.set(speedKey(project), { stepSeconds: (performance.now() - started) / 1000 / computed, decodeSeconds: 0 });
    // A cache-only pass completes only the transitions it found whole.
    const finished = new Set(result.transitions.map((t) => t.index));
    for (const i of indices) {
      const store = this.transitions.get(keys.get(i)!);
      if (store && finished.has(i)) store.complete = true;
    }
    return { kind: 'render' as const, scope: entry.scope, frames, fromCache: result.fromCache };
  }

  /** `key`: the still's key as the engine announced it, else the key of the keyframe as `project` has it. */
  private keepStill(jobId: string, project: Project, index: number, file: string, key = stillKey(project, index)): void {
    if (!project.keyframes[index]) return;
    this.stills.set(key, file);
    this.deps.emit('job.frame', { jobId, target: 'keyframe', keyframe: index, url: this.urlFor(file) });
  }

  /** Keyframe `index`'s current still file, if it has one. */
  private stillOf(project: Project, index: number): string | undefined {
    return project.keyframes[index] ? this.stills.get(stillKey(project, index)) : undefined;
  }

  /**
   * A movie on the render farm: progress per transition from the workers, then every final
   * image announced as the engine's frames are. Cancel removes the flow's jobs; Redis going
   * away fails the job with that reason (the project and the cache stay as they are).
   */
  private async renderOnFarm(
    entry: QueueEntry,
    project: Project,
    projectFile: string,
    keys: Map<number, string>,
    provider: ProviderName,
    farm: { url: string; cacheDir?: string },
  ) {
    entry.abort = new AbortController();
    if (entry.cancelled) entry.abort.abort();
    const result = await renderOnFarm({
      projectFile,
      redisUrl: farm.url,
      cacheDir: farm.cacheDir ?? this.deps.projects.cacheDirForRender(),
      session: { provider },
      signal: entry.abort.signal,
      onProgress: (p) => this.deps.board.progress(entry.jobId, p),
    });
    let frames = 0;
    for (const t of result.transitions) {
      const key = keys.get(t.index)!;
      const store: TransitionFrames = { key, complete: true, frames: new Map() };
      this.transitions.set(key, store);
      t.files.forEach((file, index) => {
        const position = t.positions[index];
        store.frames.set(position, file);
        frames++;
        this.deps.emit('job.frame', { jobId: entry.jobId, target: 'transition', transition: t.index, position, index, url: this.urlFor(file) });
        // As in a local movie render: an end that is the keyframe's own still belongs to the keyframe.
        const end = position === 0 ? 0 : position === 1 ? 1 : null;
        const k = end === 1 ? endKeyframeIndex(project, t.index) : t.index;
        if (end !== null && transitionEndIsStill(project, t.index, end) && this.stillOf(project, k) !== file) this.keepStill(entry.jobId, project, k, file);
      });
    }
    return { kind: 'render' as const, scope: entry.scope, frames, fromCache: result.stats.computedEvaluations === 0 };
  }

  private urlFor(file: string): string {
    try {
      return this.deps.media.urlFor(file);
    } catch {
      // The engine wrote the file outside the project's cache (a cache elsewhere): allow that file only.
      this.deps.media.allowFile(file);
      return this.deps.media.urlFor(file);
    }
  }

  /**
   * Measure the neighbour distances of every finished transition that spreads its frames by
   * perceptual distance (the "even perceived speed" easing), once per rendered content: the player then
   * places frames as the export does. Only those transitions pay for the decoding.
   */
  async measureSpacing(): Promise<void> {
    const state = this.deps.projects.state();
    if (!state || this.deps.projects.projectDir() !== this.framesOwner) return;
    const { project } = state;
    for (const [i, t] of project.transitions.entries()) {
      if (!usesPerceptualProgress(t.easing)) continue;
      const store = this.transitions.get(transitionKey(project, i));
      if (!store?.complete || store.distances) continue;
      store.distances = await neighbourDistancesOfFiles([...store.frames].sort((a, b) => a[0] - b[0]).map(([, file]) => file));
    }
  }

  /** Files of the frames rendered for the open project that are still current, for export. */
  currentFiles(): { stills: Map<number, string>; transitions: Map<number, CurrentTransition> } {
    const stills = new Map<number, string>();
    const transitions = new Map<number, CurrentTransition>();
    const current = this.deps.projects.state();
    if (!current || this.deps.projects.projectDir() !== this.framesOwner) return { stills, transitions };
    const { project } = current;
    project.keyframes.forEach((_, i) => {
      const file = this.stillOf(project, i);
      if (file) stills.set(i, file);
    });
    project.transitions.forEach((_, i) => {
      const store = this.transitions.get(transitionKey(project, i));
      if (!store) return;
      const frames = [...store.frames].map(([position, file]) => ({ position, file })).sort((a, b) => a.position - b.position);
      transitions.set(i, { complete: store.complete, frames, distances: store.complete ? store.distances : undefined });
    });
    return { stills, transitions };
  }

  frames(): RenderedFrames {
    const state = this.deps.projects.state();
    if (!state) return { keyframes: [], transitions: [] };
    const { stills, transitions } = this.currentFiles();
    return {
      keyframes: [...stills].map(([index, file]) => ({ index, keyframeId: state.project.keyframes[index].id, url: this.urlFor(file) })),
      transitions: [...transitions].map(([index, t]) => ({
        index,
        complete: t.complete,
        frames: t.frames.map((f) => ({ position: f.position, url: this.urlFor(f.file) })),
        ...(t.distances ? { distances: t.distances } : {}),
      })),
    };
  }
}

function checkScope(project: Project, scope: RenderScope): void {
  if (scope.kind === 'keyframe' && scope.index >= project.keyframes.length) {
    throw new AppError('BAD_REQUEST', `There is no keyframe ${scope.index + 1}: the project has ${project.keyframes.length}.`, { path: ['scope', 'index'] });
  }
  if (scope.kind === 'transition' && scope.index >= project.transitions.length) {
    throw new AppError('BAD_REQUEST', `There is no transition ${scope.index + 1}: the project has ${project.transitions.length}.`, { path: ['scope', 'index'] });
  }
  if (scope.kind === 'movie' && project.transitions.length === 0) {
    throw new AppError('BAD_REQUEST', 'A movie needs at least two keyframes (one transition).', { path: ['scope'], hint: 'Add a keyframe first.' });
  }
}
