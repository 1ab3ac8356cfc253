import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FlowProducer, Queue, QueueEvents, type FlowJob } from 'bullmq';
import { Redis } from 'ioredis';
import { cancelledError, EngineError } from '../../engine/errors';
import { ProgressTracker } from '../../engine/jobs/progress';
import type { SessionOptions } from '../../engine/jobs/models';
import type { JobProgress } from '../../engine/jobs/progress';
import { writeFileAtomic } from '../../project/atomic-write';
import { resolveProjectPaths } from '../../project/create';
import { ProjectError } from '../../project/errors';
import { cacheDirFor } from '../../project/disk-transition-cache';
import type { Project } from '../../project/schema';
import { loadProject } from '../../project/store';
import type { FinalImages } from '../movie-frames';
import { writeMovieFrames } from '../render/frame-folders';
import { planTransition, sharesKeyframeWithPrevious } from '../transition-specs';
import { farmFingerprint } from './fingerprint';
import { jobIds, keyframesFlow, movieFlow, planMovie, transitionRecordKey, type PieceContext } from './flow-plan';
import {
  cancelledKey, FARM_CANCEL_CHANNEL, FARM_QUEUE, KeyframesResultSchema, MovieStageResultSchema, PieceProgressSchema, TransitionPieceResultSchema,
  type TransitionPieceResult,
} from './messages';
import { checkFarmConnection, type FarmConnectionInfo } from './connection';
import { FarmError } from './errors';
import { redisOptionsFromUrl } from './redis-url';

export interface FarmRenderOptions {
  projectFile: string;
  redisUrl: string;
  /** The shared render cache (the folder the workers' --cache names); default next to the project. */
  cacheDir?: string;
  /** Write the movie's frames (00000.png …) and frames.json here, as a local render does. */
  framesDir?: string;
  session?: Pick<SessionOptions, 'provider' | 'intraOpNumThreads'>;
  signal?: AbortSignal;
  onProgress?: (progress: FarmProgress) => void;
  /** Once Redis answered: its version and how many workers are connected. */
  onConnected?: (info: FarmConnectionInfo) => void;
}

export type TransitionState = 'cached' | 'waiting' | 'keyframes' | 'rendering' | 'done';

/** Overall progress of the running stage, plus each transition's, as the workers report it. */
export interface FarmProgress extends JobProgress {
  transitions: { index: number; state: TransitionState; done: number; total: number; worker?: string }[];
}

export interface FarmRenderResult {
  flowId: string;
  transitions: { index: number; images: number; unetEvaluations: number; computedEvaluations: number; positions: number[]; files: string[]; distances?: number[] }[];
  stats: { unetEvaluations: number; computedEvaluations: number; totalMs: number };
  frames?: number;
  framesDir?: string;
}

/**
 * A movie rendered on a farm: the project becomes BullMQ flows (flow-plan.ts) that
 * `latentblend worker` processes take; their results land in the shared cache, and the frames
 * are then written here exactly as a local render writes them. Cancel (the signal) stops the
 * running pieces between UNet calls and removes the flows' jobs.
 */
export async function renderOnFarm(options: FarmRenderOptions): Promise<FarmRenderResult> {
  const started = performance.now();
  const project = await openProject(options.projectFile);
  const cacheDir = options.cacheDir ?? cacheDirFor(options.projectFile);
  const { sent, inputs } = await sendableProject(project);
  const fingerprint = farmFingerprint(sent);
  const provider = options.session?.provider ?? project.provider;
  const recordKeys = project.transitions.map((_, i) => transitionRecordKey(sent, i, fingerprint, provider));
  const cached = await readRecords(cacheDir, recordKeys);
  const plan = planMovie(sent, cached);
  const flowId = randomUUID();
  const ctx: PieceContext = { flowId, fingerprint, project: sent, inputs, session: { provider: options.session?.provider, intraOpNumThreads: options.session?.intraOpNumThreads } };

  const computed = new Map<number, TransitionPieceResult>();
  let keyframeEvaluations = 0;
  if (plan.render.length > 0) {
    options.onConnected?.(await checkFarmConnection(options.redisUrl));
    const farm = new FarmSession(options.redisUrl, flowId, options.signal);
    const progress = new FarmProgressReporter(project, plan.render, cached, options.onProgress);
    farm.onProgress = (jobId, data) => progress.piece(jobId, flowId, data);
    try {
      await farm.ready();
      progress.stage('keyframes');
      const keyframes = await farm.run(keyframesFlow(plan, ctx)!);
      const keys = KeyframesResultSchema.parse(keyframes);
      keyframeEvaluations = Object.keys(keys.keys).length > 0 ? await farm.computedOf(plan.render.map((i) => jobIds.keyframes(flowId, i))) : 0;
      progress.stage('rendering');
      const movie = MovieStageResultSchema.parse(await farm.run(movieFlow(plan, keys.keys, ctx)!));
      for (const t of movie.transitions) computed.set(t.index, t);
      await farm.removeFlows();
    } finally {
      await farm.close();
    }
    await writeRecords(cacheDir, recordKeys, computed);
  }

  const results = project.transitions.map((_, i) => computed.get(i) ?? cached.get(i)!);
  const framesFolder = join(cacheDir, 'frames');
  const transitions = results.map((r) => ({
    index: r.index, images: r.frames.length, unetEvaluations: r.unetEvaluations, computedEvaluations: computed.has(r.index) ? r.computedEvaluations : 0,
    positions: r.positions, files: r.frames.map((f) => join(framesFolder, f)), ...(r.distances ? { distances: r.distances } : {}),
  }));
  // A keyframe shared by two transitions is computed once: count it once, as a local render does.
  const shared = transitions.reduce((sum, t) => sum + (sharesKeyframeWithPrevious(project, t.index) ? planTransition(project, t.index, { tStep: 1, tDecode: 0 }).steps : 0), 0);
  const out: FarmRenderResult = {
    flowId,
    transitions,
    stats: {
      unetEvaluations: transitions.reduce((sum, t) => sum + t.unetEvaluations, 0) - shared,
      computedEvaluations: keyframeEvaluations + transitions.reduce((sum, t) => sum + t.computedEvaluations, 0),
      totalMs: 0,
    },
  };
  if (options.framesDir) {
    const finals: FinalImages[] = transitions.map((t) => ({ positions: t.positions, files: t.files, distances: t.distances }));
    out.frames = await writeMovieFrames(project, finals, options.framesDir, options.signal);
    out.framesDir = options.framesDir;
  }
  out.stats.totalMs = performance.now() - started;
  return out;
}

async function openProject(file: string): Promise<Project> {
  try {
    return resolveProjectPaths(await loadProject(file), file);
  } catch (error) {
    if (error instanceof ProjectError) throw new EngineError('INVALID_PROJECT', error.message, { file });
    throw error;
  }
}

/**
 * The project as a job carries it: keyframe images and masks become inputs named by their
 * SHA-256 (the worker never reads the coordinator's paths), the export's audio stays here.
 */
async function sendableProject(project: Project): Promise<{ sent: Project; inputs: Record<string, string> }> {
  const inputs: Record<string, string> = {};
  const input = async (file: string | undefined): Promise<string | undefined> => {
    if (file === undefined) return undefined;
    const bytes = await readFile(file).catch(() => {
      throw new EngineError('INVALID_PROJECT', `Keyframe file ${file} cannot be read.`, { file, hint: 'Put the PNG next to the project file or fix the path in the keyframe.' });
    });
    const name = `${createHash('sha256').update(bytes).digest('hex')}.png`;
    inputs[name] = bytes.toString('base64');
    return name;
  };
  const keyframes = [];
  for (const k of project.keyframes) {
    const image = await input(k.image);
    const mask = await input(k.mask);
    keyframes.push({ ...k, ...(image ? { image } : {}), ...(mask ? { mask } : {}) });
  }
  const { audio: _audio, ...exportSettings } = project.export;
  return { sent: { ...project, keyframes, export: exportSettings }, inputs };
}

function recordFile(cacheDir: string, key: string): string {
  return join(cacheDir, 'farm', `${key}.json`);
}

/** Transitions a farm render finished before with the same inputs, whose frames are all still there. */
async function readRecords(cacheDir: string, keys: readonly string[]): Promise<Map<number, TransitionPieceResult>> {
  const found = new Map<number, TransitionPieceResult>();
  for (const [index, key] of keys.entries()) {
    const text = await readFile(recordFile(cacheDir, key), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    let parsed;
    try {
      parsed = TransitionPieceResultSchema.safeParse(JSON.parse(text));
    } catch {
      continue;
    }
    if (parsed.success && parsed.data.index === index && parsed.data.frames.every((f) => existsSync(join(cacheDir, 'frames', f)))) found.set(index, parsed.data);
  }
  return found;
}

async function writeRecords(cacheDir: string, keys: readonly string[], results: ReadonlyMap<number, TransitionPieceResult>): Promise<void> {
  if (results.size === 0) return;
  await mkdir(join(cacheDir, 'farm'), { recursive: true });
  for (const [index, result] of results) await writeFileAtomic(recordFile(cacheDir, keys[index]), `${JSON.stringify(result)}\n`);
}

/**
 * One farm render's connection to Redis: adds flows and waits for them, relays progress,
 * and on cancel stops the running pieces and removes every job of the flow.
 */
export class FarmSession {
  private readonly connection;
  private readonly flows: FlowProducer;
  private readonly queue: Queue;
  private readonly events: QueueEvents;
  private readonly redis: Redis;
  private readonly roots: string[] = [];
  private readonly listeners = new Set<(event: { jobId: string; kind: 'completed' | 'failed' }) => void>();
  private lost?: Error;
  private rejectLost: (error: Error) => void = () => {};
  /** Rejects once Redis is gone: anything still waiting on Redis races it rather than hang. */
  private readonly whenLost = new Promise<never>((_, reject) => (this.rejectLost = reject));
  onProgress: (jobId: string, data: unknown) => void = () => {};

  constructor(
    private readonly url: string,
    private readonly flowId: string,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.whenLost.catch(() => undefined);
    // Give up reconnecting soon: a render fails on the first lost connection anyway, and the
    // clients must reach 'end' for BullMQ's close to return (and the CLI to exit).
    this.connection = { ...redisOptionsFromUrl(url), retryStrategy: (times: number) => (times > 3 ? null : 200 * times) };
    this.flows = new FlowProducer({ connection: this.connection });
    this.queue = new Queue(FARM_QUEUE, { connection: this.connection });
    this.events = new QueueEvents(FARM_QUEUE, { connection: this.connection });
    this.redis = new Redis({ ...this.connection, lazyConnect: true });
    const mine = (jobId: string) => jobId.startsWith(`${flowId}-`);
    this.events.on('progress', ({ jobId, data }) => mine(jobId) && this.onProgress(jobId, data));
    this.events.on('completed', ({ jobId }) => mine(jobId) && this.emit({ jobId, kind: 'completed' }));
    this.events.on('failed', ({ jobId }) => mine(jobId) && this.emit({ jobId, kind: 'failed' }));
    // Redis going away: ioredis keeps retrying; the render fails with the reason instead of hanging.
    const onError = (error: Error) => this.connectionLost(error);
    this.flows.on('error', onError);
    this.queue.on('error', onError);
    this.events.on('error', onError);
    this.redis.on('error', onError);
  }

  private emit(event: { jobId: string; kind: 'completed' | 'failed' }): void {
    for (const listener of this.listeners) listener(event);
  }

  private connectionLost(error: Error): void {
    if (!/ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection is closed|ENOTFOUND/i.test(error.message)) return;
    this.lost ??= new FarmError('FARM_UNAVAILABLE', `Lost the connection to the render farm's Redis (${error.message}).`, {
      hint: 'Check that Redis is running and reachable, then render again: finished transitions are kept in the cache.',
    });
    this.rejectLost(this.lost);
    this.emit({ jobId: '', kind: 'failed' });
  }

  async ready(): Promise<void> {
    try {
      await Promise.all([this.flows.waitUntilReady(), this.queue.waitUntilReady(), this.events.waitUntilReady(), this.redis.connect()]);
    } catch (error) {
      this.connectionLost(error as Error);
      throw this.lost ?? error;
    }
  }

  /** Add a flow and wait for its root; the first piece that fails for good fails it with its reason. */
  async run(flow: FlowJob): Promise<unknown> {
    const rootId = flow.opts!.jobId!;
    this.roots.push(rootId);
    return new Promise<unknown>((resolve, reject) => {
      let settled = false;
      const finish = (action: () => void) => {
        if (settled) return;
        settled = true;
        this.listeners.delete(listener);
        this.signal?.removeEventListener('abort', onAbort);
        action();
      };
      const check = async (jobId: string, kind: 'completed' | 'failed') => {
        if (this.lost) return finish(() => reject(this.lost));
        if (kind === 'completed' && jobId === rootId) {
          const job = await this.queue.getJob(rootId);
          return finish(() => resolve(job?.returnvalue));
        }
        if (kind === 'failed') {
          const job = await this.queue.getJob(jobId);
          // Only a final failure (no attempts left) fails the movie.
          if (job && (await job.getState()) === 'failed') {
            const reason = job.failedReason || 'a farm job failed';
            return finish(() => reject(new FarmError('FARM_JOB_FAILED', `Farm render failed at ${describeJob(jobId, this.flowId)}: ${reason}`)));
          }
        }
      };
      const listener = (event: { jobId: string; kind: 'completed' | 'failed' }) => void check(event.jobId, event.kind).catch((error: Error) => finish(() => reject(error)));
      const onAbort = () => finish(() => reject(cancelledError('The farm render')));
      this.listeners.add(listener);
      if (this.signal?.aborted) return onAbort();
      this.signal?.addEventListener('abort', onAbort, { once: true });
      this.flows.add(flow).catch((error: Error) => {
        this.connectionLost(error);
        finish(() => reject(this.lost ?? error));
      });
    }).catch(async (error: unknown) => {
      if (this.lost) throw this.lost;
      await Promise.race([this.cancel(), this.whenLost]);
      throw error;
    });
  }

  /** Computed UNet evaluations the given (completed) pieces report. */
  async computedOf(ids: readonly string[]): Promise<number> {
    let sum = 0;
    for (const id of ids) {
      const job = await this.queue.getJob(id);
      const parsed = KeyframesResultSchema.safeParse(job?.returnvalue);
      if (parsed.success) sum += parsed.data.computedEvaluations;
    }
    return sum;
  }

  /**
   * Stop running pieces (workers abort between UNet calls on the announcement; pieces taken
   * later see the flag) and remove all jobs of the flow once none is active.
   */
  async cancel(): Promise<void> {
    await this.redis.set(cancelledKey(this.flowId), '1', 'EX', 24 * 3600);
    await this.redis.publish(FARM_CANCEL_CHANNEL, this.flowId);
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      const active = (await this.queue.getActive()).filter((job) => job.id?.startsWith(`${this.flowId}-`));
      if (active.length === 0) break;
      // A worker that died holds its lock until the stalled check frees it: wait for events, or a second.
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.listeners.delete(done);
          resolve();
        };
        const timer = setTimeout(done, 1000);
        this.listeners.add(done);
      });
    }
    await this.removeFlows();
  }

  async removeFlows(): Promise<void> {
    for (const root of this.roots) await this.queue.remove(root, { removeChildren: true }).catch(() => undefined);
  }

  async close(): Promise<void> {
    if (this.lost) {
      // Without Redis a graceful close would wait for it, and a forced disconnect of a client
      // between two reconnect attempts never ends it (BullMQ waits for an 'end' that never comes;
      // bullmq#4585): let the connections' retryStrategy give up, which ends every client.
      // A connection that never came up rejects here with its own error: the render's reason is `lost`.
      const connections: unknown[] = await Promise.all(
        [this.events, this.flows, this.queue].flatMap((owner) => [owner.getBackend().client, owner.getBackend().blockingClient].map((client) => client?.catch(() => undefined))),
      );
      const clients = connections.filter((c): c is Redis => c instanceof Redis);
      await Promise.all([this.redis, ...clients].map(endClient));
      return;
    }
    await Promise.all([this.events.close(), this.flows.close(), this.queue.close(), this.redis.quit().catch(() => undefined)]);
  }
}

/**
 * Close one connection for good whatever state it is in. A client between two connection
 * attempts is left to its retryStrategy (disconnecting it then would park it for ever,
 * bullmq#4585): it either gives up, which ends it, or gets through and is then disconnected.
 */
async function endClient(client: Redis): Promise<void> {
  while (client.status !== 'end') {
    const next = new Promise<void>((settle) => {
      const done = () => {
        client.off('end', done);
        client.off('ready', done);
        settle();
      };
      client.once('end', done);
      client.once('ready', done);
    });
    if (client.status !== 'reconnecting' && client.status !== 'connecting') client.disconnect();
    await next;
  }
}

function describeJob(jobId: string, flowId: string): string {
  const id = jobId.slice(flowId.length + 1);
  const match = /^([kt])(\d+)$/.exec(id);
  if (!match) return `the ${id} stage`;
  return `${match[1] === 'k' ? 'the keyframes of transition' : 'transition'} ${Number(match[2]) + 1}`;
}

/** Turns the workers' per-piece reports into the render's progress (done/total, ETA, per transition). */
class FarmProgressReporter {
  private readonly states = new Map<number, FarmProgress['transitions'][number]>();
  private tracker?: ProgressTracker;
  private phase: 'keyframes' | 'rendering' = 'keyframes';
  private readonly keyframePieces = new Map<number, { done: number; total: number }>();

  constructor(
    project: Project,
    render: readonly number[],
    cached: ReadonlyMap<number, TransitionPieceResult>,
    private readonly onProgress: ((p: FarmProgress) => void) | undefined,
  ) {
    for (let i = 0; i < project.transitions.length; i++) {
      const total = planTransition(project, i, { tStep: 1, tDecode: 0 }).unetEvaluations;
      this.states.set(i, cached.has(i) ? { index: i, state: 'cached', done: total, total } : { index: i, state: 'waiting', done: 0, total });
      if (render.includes(i)) this.keyframePieces.set(i, { done: 0, total: 2 * planTransition(project, i, { tStep: 1, tDecode: 0 }).steps });
    }
  }

  stage(phase: 'keyframes' | 'rendering'): void {
    this.phase = phase;
    this.tracker = new ProgressTracker(1, (p) => this.onProgress?.({ ...p, transitions: [...this.states.values()].map((s) => ({ ...s })) }));
    this.tracker.begin(phase);
    this.report();
  }

  piece(jobId: string, flowId: string, data: unknown): void {
    const parsed = PieceProgressSchema.safeParse(data);
    const match = /^([kt])(\d+)$/.exec(jobId.slice(flowId.length + 1));
    if (!parsed.success || !match) return;
    const index = Number(match[2]);
    const state = this.states.get(index);
    if (!state) return;
    if (match[1] === 'k') {
      this.keyframePieces.set(index, { done: parsed.data.done, total: parsed.data.total });
      Object.assign(state, { state: 'keyframes', worker: parsed.data.worker });
    } else {
      Object.assign(state, { state: parsed.data.done >= parsed.data.total ? 'done' : 'rendering', done: parsed.data.done, total: parsed.data.total, worker: parsed.data.worker });
    }
    this.report();
  }

  private report(): void {
    if (!this.tracker) return;
    const parts = this.phase === 'keyframes' ? [...this.keyframePieces.values()] : [...this.states.values()].filter((s) => s.state !== 'cached');
    this.tracker.set(this.phase, parts.reduce((s, p) => s + p.done, 0), parts.reduce((s, p) => s + p.total, 0));
  }
}
