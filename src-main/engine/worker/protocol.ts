import type { SerializedEngineError } from '../errors';
import type { JobResultMap, JobSpec } from '../jobs/registry';

/**
 * The job protocol between a host and the engine worker thread: `start` → progress and image
 * events → exactly one `result` or `error`; `cancel` aborts between UNet calls.
 */
export type HostToWorker =
  | { type: 'start'; jobId: string; job: JobSpec }
  | { type: 'cancel'; jobId: string }
  | { type: 'shutdown' };

export interface JobProgress {
  /** What the job is doing now, e.g. "loading model", "denoising", "decoding". */
  phase: string;
  done: number;
  total: number;
  /** Estimated milliseconds left, null until there is something to measure. */
  etaMs: number | null;
}

export type WorkerToHost =
  | { type: 'ready' }
  | ({ type: 'progress'; jobId: string } & JobProgress)
  | { type: 'event'; jobId: string; event: JobEvent }
  | { type: 'result'; jobId: string; result: JobResultMap[keyof JobResultMap] }
  | { type: 'error'; jobId: string; error: SerializedEngineError };

/** Job-specific events that are not progress, e.g. a new frame of a transition. */
export interface JobEvent {
  kind: string;
  [key: string]: unknown;
}
