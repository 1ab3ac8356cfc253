import { hostname } from 'node:os';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { EngineError } from '../../engine/errors';
import type { ProviderName } from '../../engine/sd/types';
import type { EngineClient } from '../../engine/worker/client';
import { createEngineClient } from '../engine-client';
import type { ProjectJobs } from '../project-jobs';
import { refusalReason, THIS_WORKER, type WorkerVersions } from './fingerprint';
import {
  cancelledKey, FARM_CANCEL_CHANNEL, FARM_QUEUE, FarmJobDataSchema, KeyframesResultSchema, TransitionPieceResultSchema,
  type FarmPiece, type FarmStage, type KeyframeKeys, type KeyframesResult, type MovieStageResult, type PieceProgress, type TransitionPieceResult,
} from './messages';
import type { FarmPieceJob } from './piece-job';
import { modelNames } from './piece-job';
import { redactedUrl, redisOptionsFromUrl } from './redis-url';

export interface FarmWorkerOptions {
  redisUrl: string;
  /** The shared render cache folder (mounted at the same path on every machine). */
  cacheDir: string;
  /** Execution provider for this worker's GPU; default: what each project asks for. */
  provider?: ProviderName;
  /** Jobs at once; one per GPU is right for diffusion. */
  concurrency?: number;
  intraOpNumThreads?: number;
  /**
   * A job's lock lifetime (BullMQ renews it while the worker lives). When a worker dies, its
   * job is handed to another after this long (the stalled-job check runs every stalledIntervalMs).
   */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** Name in progress reports and messages; default host:pid. */
  name?: string;
  /** What this worker computes with (tests start one of another version). */
  versions?: WorkerVersions;
  /** One line per notable thing (job taken, progress, done, refused). */
  log?: (line: string) => void;
}

export interface FarmWorker {
  readonly name: string;
  close(): Promise<void>;
}

/** Engine errors that another try (on any worker) would repeat: fail the job at once. */
const FINAL_CODES = new Set(['CANCELLED', 'INVALID_PROJECT', 'BAD_ARGUMENT', 'PROVIDER_UNAVAILABLE']);

/** Progress goes to Redis at most this often per job (each UNet call would be too chatty). */
const PROGRESS_INTERVAL_MS = 150;

/**
 * `latentblend worker`: takes pieces of movies from the farm queue and renders them with the
 * engine worker thread (models load once and stay loaded), into the shared render cache.
 * Jobs are refused (failed with the reason) when their fingerprint does not match this
 * worker's versions; a cancelled flow's running pieces stop between UNet calls.
 */
export async function startFarmWorker(options: FarmWorkerOptions): Promise<FarmWorker> {
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const versions = options.versions ?? THIS_WORKER;
  const log = options.log ?? (() => {});
  const connection = redisOptionsFromUrl(options.redisUrl);
  const engine: EngineClient<ProjectJobs> = createEngineClient();
  const redis = new Redis({ ...connection, lazyConnect: true });
  const subscriber = new Redis({ ...connection, lazyConnect: true });
  await Promise.all([redis.connect(), subscriber.connect()]);
  /** Active jobs by id → their flow, so a cancel announcement finds them. */
  const active = new Map<string, string>();
  /** Set while the worker shuts down: its running pieces go back to the queue, not to failed. */
  let closing = false;

  const worker = new Worker(FARM_QUEUE, (job, _token, signal) => processJob(job, signal), {
    connection,
    name,
    autorun: false,
    concurrency: options.concurrency ?? 1,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    maxStalledCount: 1,
  });
  worker.on('error', (error) => log(`${name}: ${error.message}`));

  await subscriber.subscribe(FARM_CANCEL_CHANNEL);
  subscriber.on('message', (_channel, flowId: string) => {
    for (const [jobId, flow] of active) if (flow === flowId) worker.cancelJob(jobId, 'cancelled');
  });

  async function processJob(job: Job, signal: AbortSignal | undefined): Promise<unknown> {
    const parsed = FarmJobDataSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`${name} refused job ${job.id}: malformed data (${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')})`);
    const data = parsed.data;
    const refusal = refusalReason(data.fingerprint, versions);
    if (refusal) {
      log(`${name}: refused ${job.id}: ${refusal}`);
      throw new UnrecoverableError(`Worker ${name} refused the job: ${refusal}.`);
    }
    if (await redis.exists(cancelledKey(data.flowId))) throw new UnrecoverableError('The render was cancelled.');
    active.set(job.id!, data.flowId);
    try {
      return data.kind === 'stage' ? await stage(job, data) : await piece(job, data, signal);
    } finally {
      active.delete(job.id!);
    }
  }

  async function stage(job: Job, data: FarmStage): Promise<KeyframesResult | MovieStageResult> {
    const values = Object.values(await job.getChildrenValues());
    if (data.stage === 'keyframes') return { kind: 'keyframes', keys: mergeKeys(values), computedEvaluations: 0 };
    const transitions = values.map((v) => TransitionPieceResultSchema.parse(v)).sort((a, b) => a.index - b.index);
    return { kind: 'movie', transitions };
  }

  async function piece(job: Job, data: FarmPiece, signal: AbortSignal | undefined): Promise<KeyframesResult | TransitionPieceResult> {
    // A keyframes piece that waited for the previous transition's gets keyframe A from it.
    const before = data.kind === 'keyframes' ? mergeKeys(Object.values(await job.getChildrenValues())) : {};
    const keyframeA = data.keyframeA ?? before[String(data.index - 1)]?.b;
    const what = `${data.kind === 'keyframes' ? 'keyframes of transition' : 'transition'} ${data.index + 1}`;
    log(`${name}: ${what} (${job.id})`);
    let lastSent = 0;
    const engineJob: FarmPieceJob = {
      kind: 'farm-piece',
      piece: { ...data, ...(keyframeA ? { keyframeA } : {}) },
      cacheDir: options.cacheDir,
      session: { provider: options.provider ?? data.session.provider, intraOpNumThreads: options.intraOpNumThreads ?? data.session.intraOpNumThreads },
    };
    const handle = engine.start(engineJob, {
      onProgress: (p) => {
        const now = performance.now();
        if (p.phase === 'loading model' || p.total === 0 || (now - lastSent < PROGRESS_INTERVAL_MS && p.done < p.total)) return;
        lastSent = now;
        const progress: PieceProgress = { done: p.done, total: p.total, etaMs: p.etaMs, worker: name };
        log(`${name}: ${what} ${p.done}/${p.total}`);
        job.updateProgress(progress).catch(() => undefined);
      },
    });
    const onAbort = () => engine.cancel(handle.jobId);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const result = await handle.result;
      log(`${name}: done ${what}`);
      if (result.kind === 'keyframes') return KeyframesResultSchema.parse({ ...result, keys: { ...before, ...result.keys } });
      return result;
    } catch (error) {
      throw failure(error, data);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  function failure(error: unknown, data: FarmPiece): Error {
    if (closing) return new Error(`Worker ${name} stopped during the job; another worker takes it.`);
    if (!(error instanceof EngineError)) return error instanceof Error ? error : new Error(String(error));
    const text = `${error.message}${error.hint ? ` Fix: ${error.hint}` : ''}`;
    if (error.code.startsWith('MODEL_')) return new UnrecoverableError(`Worker ${name} lacks the model ${modelNames(data).join(' / ')}: ${text}`);
    if (FINAL_CODES.has(error.code)) return new UnrecoverableError(text);
    return new Error(`Worker ${name}: ${text}`);
  }

  void worker.run();
  await worker.waitUntilReady();
  log(`${name}: waiting for jobs on ${redactedUrl(options.redisUrl)}, cache ${options.cacheDir}`);
  return {
    name,
    async close() {
      closing = true;
      // Take no more jobs, end the running pieces now (retried elsewhere), let BullMQ settle them.
      const closed = worker.close();
      await engine.dispose();
      await closed;
      await Promise.all([subscriber.quit(), redis.quit()]).catch(() => undefined);
    },
  };
}

/** Keyframe keys of a keyframes piece's or stage's children, merged. */
function mergeKeys(values: unknown[]): KeyframeKeys {
  return Object.assign({}, ...values.map((v) => KeyframesResultSchema.parse(v).keys)) as KeyframeKeys;
}
