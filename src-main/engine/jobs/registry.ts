import { ProgressTracker } from './progress';
import { runKeyframeJob, type KeyframeJob, type KeyframeResult } from './keyframe';
import { runInspectJob, type InspectJob, type InspectResult } from './inspect';
import type { ModelPool } from './models';
import type { JobEvent, JobProgress } from '../worker/protocol';

/** Everything a job needs from whoever runs it (the worker, or a test in-process). */
export interface JobContext {
  signal: AbortSignal;
  models: ModelPool;
  /** A progress tracker over `total` units that reports through the job's channel. */
  progress(total: number): ProgressTracker;
  event(event: JobEvent): void;
}

export type JobSpec = KeyframeJob | InspectJob;

export interface JobResultMap {
  keyframe: KeyframeResult;
  inspect: InspectResult;
}

export type JobResult<J extends JobSpec> = JobResultMap[J['kind']];

export async function runJob(job: JobSpec, ctx: JobContext): Promise<JobResultMap[keyof JobResultMap]> {
  switch (job.kind) {
    case 'keyframe':
      return runKeyframeJob(job, ctx);
    case 'inspect':
      return runInspectJob(job, ctx);
  }
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
