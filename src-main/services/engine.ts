import type { JobSpec } from '../engine/jobs/registry';
import type { EngineClient, JobHandlers } from '../engine/worker/client';
import type { PlanJob, RenderJob } from './render-job';

/**
 * Engine jobs plus the project jobs the services' worker entry adds (render, plan): a render
 * emits `{kind: 'frame', transition | keyframe, position, index, file}` per image.
 */
export type EngineJob = JobSpec | RenderJob | PlanJob;

/** What the services need of the engine: `EngineClient`, or a test double with the same protocol. */
export interface Engine {
  start(job: EngineJob, handlers?: JobHandlers): { jobId: string; result: Promise<unknown> };
  cancel(jobId: string): boolean;
}

export function engineFromClient(client: EngineClient): Engine {
  return {
    // Project jobs run on the worker from createEngineClient; the client's types know engine jobs only.
    start: (job, handlers) => client.start(job as JobSpec, handlers),
    cancel: (jobId) => client.cancel(jobId),
  };
}
