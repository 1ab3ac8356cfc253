import type { ModelPool } from './models';
import { ProgressTracker, type JobProgress } from './progress';

/** Job-specific events that are not progress, e.g. a new frame of a transition. */
export interface JobEvent {
  kind: string;
  [key: string]: unknown;
}

/** Everything a job needs from whoever runs it (the worker, or a test in-process). */
export interface JobContext {
  signal: AbortSignal;
  models: ModelPool;
  /** A progress tracker over `total` units that reports through the job's channel. */
  progress(total: number): ProgressTracker;
  event(event: JobEvent): void;
}

export function makeContext(options: {
  signal: AbortSignal;
  models: ModelPool;
  onProgress: (p: JobProgress) => void;
  onEvent: (e: JobEvent) => void;
}): JobContext {
  return {
    signal: options.signal,
    models: options.models,
    progress: (total) => new ProgressTracker(total, options.onProgress),
    event: options.onEvent,
  };
}
