import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { EngineError, deserializeError } from '../errors';
import type { EngineJobs, JobMap, JobName, JobTable } from '../jobs/kinds';
import type { HostToWorker, TestHook, WorkerToHost } from './protocol';
import type { JobProgress } from '../jobs/progress';

export interface JobHandlers<Event = unknown> {
  onProgress?: (progress: JobProgress) => void;
  onEvent?: (event: Event) => void;
}

export interface JobHandle<R> {
  readonly jobId: string;
  readonly result: Promise<R>;
}

/** A running job, its result and events checked against its kind's schemas on arrival. */
interface Pending {
  onProgress?: (progress: JobProgress) => void;
  event(event: unknown): void;
  resolve(result: unknown): void;
  reject(error: Error): void;
}

export interface EngineClientOptions<M extends JobMap = EngineJobs> {
  /** The job kinds the worker entry runs (`engineJobs`, or a table that extends it). */
  jobs: JobTable<M>;
  /** Where the demo model is generated; defaults to the user cache. */
  cacheDir?: string;
  /** Worker entry; defaults to the TypeScript source (run through tsx) next to this file. */
  entry?: URL;
  /** Lets tests simulate a native crash of the worker thread (and a thread stuck in native code). */
  allowCrashJob?: boolean;
  /**
   * How long a cancelled job may take to stop before the worker is terminated and replaced.
   * Cancel is checked between UNet calls; one call of a huge model can run for minutes.
   */
  cancelGraceMs?: number;
}

/** Default bound on how long a cancelled job may keep the engine busy. */
export const DEFAULT_CANCEL_GRACE_MS = 10_000;

/**
 * Host-side handle on the engine worker. Jobs are `start → jobId`, progress and events while
 * running, then a result or a typed error; `cancel(jobId)` aborts between UNet calls. If the
 * worker dies, its jobs fail with WORKER_CRASHED and the next job starts a fresh worker.
 */
export class EngineClient<M extends JobMap = EngineJobs> {
  private worker?: Worker;
  private ready?: Promise<void>;
  private readonly pending = new Map<string, Pending>();
  /** Jobs whose start message has gone to the worker (a cancel before that must not be posted). */
  private readonly posted = new Set<string>();
  private restarts = 0;

  constructor(private readonly options: EngineClientOptions<M>) {}

  /** How many times the worker had to be started again after a crash. */
  get crashRestarts(): number {
    return this.restarts;
  }

  private spawn(): Promise<void> {
    const entry = this.options.entry ?? new URL('./engine-worker.ts', import.meta.url);
    const data = { cacheDir: this.options.cacheDir, allowCrashJob: this.options.allowCrashJob, __entry: entry.href };
    const worker = entry.pathname.endsWith('.ts')
      ? new Worker(new URL('./bootstrap.mjs', import.meta.url), { workerData: data })
      : new Worker(entry, { workerData: data });
    this.worker = worker;
    const ready = new Promise<void>((resolve, reject) => {
      const onMessage = (message: WorkerToHost) => {
        if (message.type === 'ready') resolve();
        else this.dispatch(message);
      };
      worker.on('message', onMessage);
      worker.once('error', (error) => {
        reject(error);
        this.crashed(worker, `the engine worker failed: ${error.message}`);
      });
      worker.once('exit', (code) => {
        reject(new EngineError('WORKER_CRASHED', `the engine worker exited with code ${code} while starting`));
        this.crashed(worker, `the engine worker stopped unexpectedly (exit code ${code})`);
      });
    });
    // A rejected start must not become an unhandled rejection when nobody awaits it.
    ready.catch(() => undefined);
    return ready;
  }

  private crashed(worker: Worker, reason: string): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.ready = undefined;
    if (this.pending.size > 0) this.restarts++;
    for (const [jobId, job] of this.pending) {
      job.reject(new EngineError('WORKER_CRASHED', `Job ${jobId} failed: ${reason}. The engine has been restarted; run the job again.`));
    }
    this.pending.clear();
  }

  private dispatch(message: WorkerToHost): void {
    if (message.type === 'ready') return;
    const job = this.pending.get(message.jobId);
    if (!job) return;
    switch (message.type) {
      case 'progress': {
        const { type: _t, jobId: _j, ...progress } = message;
        job.onProgress?.(progress);
        break;
      }
      case 'event':
        job.event(message.event);
        break;
      case 'result':
        this.pending.delete(message.jobId);
        this.posted.delete(message.jobId);
        job.resolve(message.result);
        break;
      case 'error':
        this.pending.delete(message.jobId);
        this.posted.delete(message.jobId);
        job.reject(deserializeError(message.error));
        break;
    }
  }

  /** Fail a job here and tell the worker to stop it; whatever it sends for it later is ignored. */
  private abandon(jobId: string, error: EngineError): void {
    const job = this.pending.get(jobId);
    if (!job) return;
    this.pending.delete(jobId);
    if (this.posted.delete(jobId)) this.post({ type: 'cancel', jobId });
    job.reject(error);
  }

  private post(message: HostToWorker<M> | TestHook): void {
    this.worker?.postMessage(message);
  }

  /** Start a job of any kind of this client's table; its events and result arrive checked and typed. */
  start<K extends JobName<M>>(job: M[K]['spec'] & { kind: K }, handlers: JobHandlers<M[K]['event']> = {}): JobHandle<M[K]['result']> {
    const jobId = randomUUID();
    const kind: K = job.kind;
    const { event: eventSchema, result: resultSchema } = this.options.jobs[kind];
    const result = new Promise<M[K]['result']>((resolve, reject) => {
      this.pending.set(jobId, {
        onProgress: handlers.onProgress,
        event: (event) => {
          const parsed = eventSchema.safeParse(event);
          if (parsed.success) {
            handlers.onEvent?.(parsed.data);
            return;
          }
          // Announcing nothing would leave a hole (a frame missing from the preview) that nobody
          // sees: stop the job instead and say why (a worker of another version, a bug).
          const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'event'}: ${issue.message}`).join('; ');
          this.abandon(jobId, new EngineError('WORKER_CRASHED', `The engine sent a malformed '${kind}' event (${issues}); the job was stopped.`));
        },
        resolve: (value) => {
          const parsed = resultSchema.safeParse(value);
          if (parsed.success) resolve(parsed.data);
          else reject(new EngineError('WORKER_CRASHED', `The engine sent a malformed '${kind}' result: ${parsed.error.issues.map((issue) => issue.message).join('; ')}.`));
        },
        reject,
      });
    });
    if (!this.ready) this.ready = this.spawn();
    this.ready.then(
      () => {
        if (this.pending.has(jobId)) {
          this.posted.add(jobId);
          this.post({ type: 'start', jobId, job });
        }
      },
      (error: Error) => {
        const pending = this.pending.get(jobId);
        this.pending.delete(jobId);
        pending?.reject(error instanceof EngineError ? error : new EngineError('WORKER_CRASHED', `The engine worker could not start: ${error.message}`));
      },
    );
    return { jobId, result };
  }

  /** Convenience: start a job and wait for its result. */
  run<K extends JobName<M>>(job: M[K]['spec'] & { kind: K }, handlers: JobHandlers<M[K]['event']> = {}): Promise<M[K]['result']> {
    return this.start(job, handlers).result;
  }

  /**
   * Cancel a job: it stops at its next check (between UNet calls). If it has not stopped within
   * `cancelGraceMs` (a thread stuck in one long native call), the worker is terminated, the job
   * fails as cancelled and the next job gets a fresh worker, so a cancel always frees the queue.
   */
  cancel(jobId: string): boolean {
    const pending = this.pending.get(jobId);
    if (!pending) return false;
    if (!this.posted.has(jobId)) {
      // Still waiting for the worker to start: a cancel message now would reach the worker before
      // the job does and be lost. The job simply never starts.
      this.pending.delete(jobId);
      pending.reject(new EngineError('CANCELLED', 'The job was cancelled before it started.'));
      return true;
    }
    this.post({ type: 'cancel', jobId });
    const worker = this.worker;
    const grace = this.options.cancelGraceMs ?? DEFAULT_CANCEL_GRACE_MS;
    const timer = setTimeout(() => {
      if (this.pending.has(jobId) && worker && this.worker === worker) this.replaceStuckWorker(worker, jobId, grace);
    }, grace);
    timer.unref?.();
    return true;
  }

  private replaceStuckWorker(worker: Worker, jobId: string, grace: number): void {
    this.worker = undefined;
    this.ready = undefined;
    this.restarts++;
    const cancelled = this.pending.get(jobId);
    this.pending.delete(jobId);
    cancelled?.reject(new EngineError('CANCELLED', `The job was cancelled. The engine did not stop within ${Math.round(grace / 1000)} s, so it was restarted.`));
    for (const [other, job] of this.pending) {
      job.reject(new EngineError('WORKER_CRASHED', `Job ${other} failed: the engine was restarted to stop a cancelled job. Run the job again.`));
    }
    this.pending.clear();
    // Not awaited: a thread inside a native call only ends when the call returns.
    void worker.terminate().catch(() => undefined);
  }

  /** Test hook: kill the worker thread the way a native crash would. */
  simulateCrash(): void {
    if (!this.options.allowCrashJob) throw new Error('simulateCrash needs allowCrashJob');
    this.post({ type: 'crash' });
  }

  /** Test hook: block the worker thread the way one endless native call would (it never reads messages again). */
  simulateHang(): void {
    if (!this.options.allowCrashJob) throw new Error('simulateHang needs allowCrashJob');
    this.post({ type: 'hang' });
  }

  async dispose(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    for (const job of this.pending.values()) job.reject(new EngineError('CANCELLED', 'The engine was shut down.'));
    this.pending.clear();
    if (!worker) return;
    // Ask the worker to stop on its own first: terminating it while ONNX Runtime still has an
    // asynchronous call in flight (a session being created when a job was cancelled) aborts the
    // whole process from native code. Bounded: a thread stuck in a native call must not keep the
    // host from quitting (SIGTERM), so after the grace period it is terminated anyway.
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'shutdown' } satisfies HostToWorker<M>);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const grace = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), this.options.cancelGraceMs ?? DEFAULT_CANCEL_GRACE_MS);
      timer.unref?.();
    });
    if ((await Promise.race([exited, grace])) === 'late') {
      await Promise.race([worker.terminate().then(() => undefined), new Promise<void>((r) => setTimeout(r, 1000).unref?.())]);
    }
    clearTimeout(timer);
  }
}
