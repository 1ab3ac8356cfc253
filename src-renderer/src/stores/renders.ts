import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { EventPayload, JobInfo, JobResult, RenderScope, RenderedFrames } from '../../../src-main/contract/contract';
import { describeError, errorCode } from '../api/errors';
import { transport } from '../api/transport';
import type { RenderedImage } from '../logic/player-timing';
import { useAppStore } from './app';
import { useProjectStore } from './project';
import { randomSeed } from '../logic/seeds';

/** Renders of a keyframe its history keeps (newest first), for this session only. */
export const KEYFRAME_HISTORY_LIMIT = 6;

/** A still the keyframe had: what made it, to go back to. */
export interface KeyframeRender {
  prompt: string;
  seed: number;
  url: string;
}

/** A "Try seeds" job of one keyframe: the seeds asked for and the stills that arrived. */
export interface SeedTry {
  jobId: string;
  seeds: number[];
  /** seed → still URL */
  urls: Record<number, string>;
}

export type ExportResult = Extract<JobResult, { kind: 'export' }>;
export type TransitionRenderState = 'none' | 'partial' | 'queued' | 'rendering' | 'done';

export interface TransitionImages {
  complete: boolean;
  images: RenderedImage[];
  /** The host's neighbour distances of a finished transition (equal perceptual spacing). */
  distances?: number[];
}

/**
 * Render and export jobs, and everything rendered so far (keyframe stills, transition images
 * as media URLs). Jobs and images arrive as job.* events; `refresh()` re-reads the host's view
 * after the project changed (the host looks renders up in its cache by content, so a
 * reordered or undone edit finds its images again).
 */
export const useRenderStore = defineStore('renders', () => {
  const project = useProjectStore();
  const jobs = ref<JobInfo[]>([]);
  const stills = ref<Record<number, string>>({});
  const transitions = ref<Record<number, TransitionImages>>({});
  const lastError = ref<string | null>(null);
  /** Results of finished exports by job id (the export dialog shows the path). */
  const exportResults = ref<Record<string, ExportResult>>({});
  const unsubscribers: Array<() => void> = [];
  /** The latest "Try seeds" of each keyframe, by keyframe id (it follows the keyframe through a reorder). */
  const seedTries = ref<Record<string, SeedTry>>({});
  /**
   * Each keyframe's recent stills by keyframe id, newest first. Kept in this store for the
   * session only (not in the project file): the stills live in the host's render cache.
   */
  const keyframeHistory = ref<Record<string, KeyframeRender[]>>({});
  /** The transition each running movie job last sent a frame of: it renders them in order. */
  const movieAt = ref<Record<string, number>>({});

  /** A render the host estimated as huge (RENDER_NEEDS_CONFIRMATION): the dialog asks, `answer` starts it or not. */
  const hugeQuestion = ref<{ label: string; estimate: string; answer(start: boolean): void } | null>(null);

  const activeJobs = computed(() => jobs.value.filter((j) => j.status === 'queued' || j.status === 'running'));

  function upsertJob(job: JobInfo): void {
    const i = jobs.value.findIndex((j) => j.jobId === job.jobId);
    if (i >= 0) jobs.value[i] = { ...jobs.value[i], ...job };
    else jobs.value.push(job);
  }

  function patchJob(jobId: string, patch: Partial<JobInfo>): void {
    const i = jobs.value.findIndex((j) => j.jobId === jobId);
    if (i >= 0) jobs.value[i] = { ...jobs.value[i], ...patch };
  }

  function addTransitionImage(index: number, image: RenderedImage): void {
    const t = transitions.value[index] ?? { complete: false, images: [] };
    const images = t.images.filter((i) => Math.abs(i.f - image.f) > 1e-9);
    images.push(image);
    images.sort((a, b) => a.f - b.f);
    transitions.value = { ...transitions.value, [index]: { ...t, images } };
  }

  /**
   * Note the stills the host says are current: each belongs to its keyframe's prompt and seed
   * as the document has them now (the host only answers stills of the current content).
   */
  function remember(frames: RenderedFrames): void {
    const keyframes = project.doc?.keyframes;
    if (!keyframes) return;
    const next = { ...keyframeHistory.value };
    for (const still of frames.keyframes) {
      const k = keyframes[still.index];
      if (!k || k.image) continue;
      const entry: KeyframeRender = { prompt: k.prompt, seed: k.seed, url: still.url };
      const before = next[k.id] ?? [];
      if (before[0]?.url === entry.url && before[0].prompt === entry.prompt && before[0].seed === entry.seed) continue;
      next[k.id] = [entry, ...before.filter((r) => r.url !== entry.url)].slice(0, KEYFRAME_HISTORY_LIMIT);
    }
    keyframeHistory.value = next;
  }

  function applyFrames(frames: RenderedFrames): void {
    stills.value = Object.fromEntries(frames.keyframes.map((k) => [k.index, k.url]));
    transitions.value = Object.fromEntries(
      frames.transitions.map((t) => [t.index, { complete: t.complete, images: t.frames.map((f) => ({ f: f.position, url: f.url })), distances: t.distances }]),
    );
  }

  // Frames announced while a refresh is in flight may be missing from its answer: replay them.
  let framesDuringRefresh: Array<EventPayload<'job.frame'>> | null = null;

  function applyFrameEvent(frame: EventPayload<'job.frame'>): void {
    framesDuringRefresh?.push(frame);
    if (frame.target === 'transition' && movieAt.value[frame.jobId] !== frame.transition) movieAt.value = { ...movieAt.value, [frame.jobId]: frame.transition };
    if (frame.target === 'keyframe') stills.value = { ...stills.value, [frame.keyframe]: frame.url };
    else addTransitionImage(frame.transition, { f: frame.position, url: frame.url });
  }

  async function refresh(): Promise<void> {
    const replay: Array<EventPayload<'job.frame'>> = [];
    framesDuringRefresh = replay;
    const revision = project.hostRevision;
    try {
      const frames = await transport().invoke('renders.frames', {});
      if (framesDuringRefresh === replay) framesDuringRefresh = null;
      // The answer describes the document the host had: note it only if that is still the one shown.
      if (revision === project.hostRevision && !project.syncing) remember(frames);
      applyFrames(frames);
      for (const frame of replay) applyFrameEvent(frame);
    } catch (error) {
      lastError.value = describeError(error);
    } finally {
      if (framesDuringRefresh === replay) framesDuringRefresh = null;
    }
  }

  function connect(): void {
    const t = transport();
    unsubscribers.push(
      t.subscribe('job.queued', (job) => upsertJob(job)),
      t.subscribe('job.progress', (p) => patchJob(p.jobId, { status: 'running', progress: p })),
      t.subscribe('job.frame', (frame) => applyFrameEvent(frame)),
      t.subscribe('job.variant', (v) => {
        const entry = Object.entries(seedTries.value).find(([, tr]) => tr.jobId === v.jobId);
        if (entry) seedTries.value = { ...seedTries.value, [entry[0]]: { ...entry[1], urls: { ...entry[1].urls, [v.seed]: v.url } } };
      }),
      t.subscribe('job.done', (done) => {
        patchJob(done.jobId, { status: 'done', finishedAt: Date.now() });
        if (done.result.kind === 'export') exportResults.value = { ...exportResults.value, [done.jobId]: done.result };
        // A finished render may complete transitions: take the host's authoritative view.
        else void refresh();
      }),
      t.subscribe('job.error', (e) => patchJob(e.jobId, { status: e.error.code === 'CANCELLED' ? 'cancelled' : 'failed', error: e.error, finishedAt: Date.now() })),
    );
  }

  function disconnect(): void {
    for (const off of unsubscribers.splice(0)) off();
  }

  async function loadJobs(): Promise<void> {
    const { jobs: list } = await transport().invoke('renders.list', {});
    for (const job of list) upsertJob(job);
  }

  async function start(scope: RenderScope, label: string, confirmHuge = false): Promise<string | null> {
    lastError.value = null;
    try {
      await project.flush();
      const { jobId, joined } = await transport().invoke('renders.start', confirmHuge ? { scope, confirmHuge } : { scope });
      if (!jobs.value.some((j) => j.jobId === jobId)) {
        upsertJob({ jobId, kind: 'render', label, scope, status: 'queued', progress: null, project: project.name, queuedAt: Date.now() });
      }
      // The host joined an equal queued or running render instead of doing the work twice.
      if (joined) useAppStore().notify('info', `${label}: already in the render queue, nothing added.`);
      return jobId;
    } catch (error) {
      if (!confirmHuge && errorCode(error) === 'RENDER_NEEDS_CONFIRMATION') {
        const agreed = await new Promise<boolean>((resolve) => {
          hugeQuestion.value?.answer(false);
          hugeQuestion.value = {
            label,
            estimate: (error as { message?: string }).message ?? '',
            answer: (yes) => {
              hugeQuestion.value = null;
              resolve(yes);
            },
          };
        });
        return agreed ? start(scope, label, true) : null;
      }
      lastError.value = describeError(error);
      return null;
    }
  }

  /** "Try seeds": render keyframe `index` with `count` new random seeds in one job; null when the host refused. */
  async function trySeeds(index: number, count: number, random?: () => number): Promise<string | null> {
    const k = project.doc?.keyframes[index];
    if (!k) return null;
    lastError.value = null;
    const seeds = new Set<number>();
    // Distinct and new: a repeat or the seed in use would waste a render.
    while (seeds.size < count) {
      const s = randomSeed(random);
      if (s !== k.seed) seeds.add(s);
    }
    try {
      await project.flush();
      const { jobId } = await transport().invoke('renders.variants', { index, seeds: [...seeds] });
      const label = `Keyframe ${index + 1}: try ${count} seed${count === 1 ? '' : 's'}`;
      if (!jobs.value.some((j) => j.jobId === jobId)) {
        upsertJob({ jobId, kind: 'render', label, scope: { kind: 'keyframe', index }, status: 'queued', progress: null, project: project.name, queuedAt: Date.now() });
      }
      seedTries.value = { ...seedTries.value, [k.id]: { jobId, seeds: [...seeds], urls: {} } };
      return jobId;
    } catch (error) {
      lastError.value = describeError(error);
      return null;
    }
  }

  async function cancel(jobId: string): Promise<void> {
    const job = jobs.value.find((j) => j.jobId === jobId);
    try {
      if (job?.kind === 'export') await transport().invoke('exports.cancel', { jobId });
      else await transport().invoke('renders.cancel', { jobId });
    } catch (error) {
      lastError.value = describeError(error);
    }
  }

  function clearFinished(): void {
    jobs.value = jobs.value.filter((j) => j.status === 'queued' || j.status === 'running');
  }

  function isRendering(scope: (s: RenderScope | undefined) => boolean): boolean {
    return activeJobs.value.some((j) => j.kind === 'render' && scope(j.scope));
  }

  function transitionState(index: number): TransitionRenderState {
    if (isRendering((s) => s?.kind === 'transition' && s.index === index)) return 'rendering';
    const t = transitions.value[index];
    if (t?.complete) return 'done';
    const movie = activeJobs.value.find((j) => j.kind === 'render' && j.scope?.kind === 'movie');
    if (movie) {
      // A movie renders its transitions one after another: the one it sends frames of is
      // rendering, those before it are finished, those after it wait their turn.
      const firstMissing = project.doc?.transitions.findIndex((_, i) => !transitions.value[i]?.complete) ?? 0;
      const current = movieAt.value[movie.jobId] ?? firstMissing;
      if (index < current) return 'done';
      return index === current ? 'rendering' : 'queued';
    }
    if (t && t.images.some((i) => i.f > 0 && i.f < 1)) return 'partial';
    return 'none';
  }

  /**
   * The picture of keyframe `index`: what the movie shows on its frame — the start of the
   * transition leaving it, the end of the last transition for the last keyframe (an inpainted
   * last keyframe is the inpainted picture, as in the export) — else its still, else the other
   * transition end that touches it.
   */
  function keyframeImage(index: number): string | null {
    const at = (t: TransitionImages | undefined, f: number) => t?.images.find((i) => i.f === f)?.url;
    const last = index === (project.doc?.transitions.length ?? 0);
    const inMovie = last ? at(transitions.value[index - 1], 1) : at(transitions.value[index], 0);
    return inMovie ?? stills.value[index] ?? at(transitions.value[index - 1], 1) ?? at(transitions.value[index], 0) ?? null;
  }

  function keyframeRendering(index: number): boolean {
    return isRendering((s) => s?.kind === 'keyframe' && s.index === index);
  }

  // Whenever the host accepted a new document, the cached renders it can show may differ.
  watch(
    () => project.hostRevision,
    () => void refresh(),
  );

  return {
    jobs,
    stills,
    transitions,
    lastError,
    exportResults,
    hugeQuestion,
    activeJobs,
    connect,
    disconnect,
    refresh,
    loadJobs,
    start,
    cancel,
    clearFinished,
    transitionState,
    keyframeRendering,
    keyframeImage,
    applyFrames,
    seedTries,
    keyframeHistory,
    trySeeds,
  };
});
