import type { ModelPool } from './models';
import { ProgressTracker, type JobProgress } from './progress';

/**
 * Everything a job needs from whoever runs it (the worker, or a test in-process). `Event` is
 * what the job announces besides progress (its kind's event schema in the job table).
 */
export interface JobContext<Event = never> {
  signal: AbortSignal;
  models: ModelPool;
  /** A progress tracker over `total` units that reports through the job's channel. */
  progress(total: number): ProgressTracker;
  event(event: Event): void;
}

/** What an in-process caller (a test, a bench) hears when it does not name the job's event type. */
export type AnyJobEvent = { kind: string; [key: string]: unknown };

export function makeContext<Event = AnyJobEvent>(options: {
  signal: AbortSignal;
  models: ModelPool;
  onProgress: (p: JobProgress) => void;
  onEvent: (e: Event) => void;
}): JobContext<Event> {
  return {
    signal: options.signal,
    models: options.models,
    progress: (total) => new ProgressTracker(total, options.onProgress),
    event: options.onEvent,
  };
}
