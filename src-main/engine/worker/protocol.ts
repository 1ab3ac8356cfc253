import type { SerializedError } from '../errors';
import type { JobEvent } from '../jobs/context';
import type { JobProgress } from '../jobs/progress';
import type { JobResultMap, JobSpec } from '../jobs/registry';

// Defined beside the jobs that report them, so the jobs never import the protocol back.
export type { JobEvent, JobProgress };

/**
 * The job protocol between a host and the engine worker thread: `start` → progress and image
 * events → exactly one `result` or `error`; `cancel` aborts between UNet calls.
 */
export type HostToWorker =
  | { type: 'start'; jobId: string; job: JobSpec }
  | { type: 'cancel'; jobId: string }
  | { type: 'shutdown' };

export type WorkerToHost =
  | { type: 'ready' }
  | ({ type: 'progress'; jobId: string } & JobProgress)
  | { type: 'event'; jobId: string; event: JobEvent }
  | { type: 'result'; jobId: string; result: JobResultMap[keyof JobResultMap] }
  | { type: 'error'; jobId: string; error: SerializedError };
