import type { RenderScope } from '../ipc/contract';
import type { JobSpec } from '../engine/jobs/registry';
import type { EngineClient, JobHandlers } from '../engine/worker/client';

/**
 * The render job of the blending engine (issue 3): renders a scope of a project file through the
 * render cache, emitting `{kind: 'frame', transition, position, index, file}` per final image.
 * Declared here until it joins the engine's JobSpec union.
 */
export interface RenderJobSpec {
  kind: 'render';
  projectFile: string;
  scope: RenderScope;
}

export type EngineJob = JobSpec | RenderJobSpec;

/** What the services need of the engine: `EngineClient`, or a test double with the same protocol. */
export interface Engine {
  start(job: EngineJob, handlers?: JobHandlers): { jobId: string; result: Promise<unknown> };
  cancel(jobId: string): boolean;
}

export function engineFromClient(client: EngineClient): Engine {
  return {
    // The cast goes once the render job is part of the engine's JobSpec union.
    start: (job, handlers) => client.start(job as JobSpec, handlers),
    cancel: (jobId) => client.cancel(jobId),
  };
}
