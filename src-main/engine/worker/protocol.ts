import type { SerializedError } from '../errors';
import type { AnySpecOf, EngineJobs, JobMap } from '../jobs/kinds';
import type { JobProgress } from '../jobs/progress';

/**
 * The job protocol between a host and the engine worker thread: `start` → progress and events
 * → exactly one `result` or `error`; `cancel` aborts between UNet calls. Events and results
 * are `unknown` on the wire: the receiving side checks them with the job table's schemas.
 */
export type HostToWorker<M extends JobMap = EngineJobs> =
  | { type: 'start'; jobId: string; job: AnySpecOf<M> }
  | { type: 'cancel'; jobId: string }
  | { type: 'shutdown' };

export type WorkerToHost =
  | { type: 'ready' }
  | ({ type: 'progress'; jobId: string } & JobProgress)
  | { type: 'event'; jobId: string; event: unknown }
  | { type: 'result'; jobId: string; result: unknown }
  | { type: 'error'; jobId: string; error: SerializedError };

/** The test hooks a worker started with allowCrashJob obeys. */
export type TestHook = { type: 'crash' } | { type: 'hang' };
