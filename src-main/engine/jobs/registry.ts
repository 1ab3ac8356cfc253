import type { JobContext } from './context';
import type { EngineJobs, JobMap, JobName } from './kinds';
import { runInspectJob } from './inspect';
import { runKeyframeJob } from './keyframe';

/** How the worker runs each kind of a job map: the spec as the seam checked it, the kind's own events. */
export type JobHandlers<M extends JobMap> = {
  readonly [K in JobName<M>]: (spec: M[K]['spec'], ctx: JobContext<M[K]['event']>) => Promise<M[K]['result']>;
};

export const engineJobHandlers: JobHandlers<EngineJobs> = {
  keyframe: runKeyframeJob,
  inspect: runInspectJob,
};

/** Any of the engine's own job specs. */
export type JobSpec = EngineJobs[JobName<EngineJobs>]['spec'];
export type JobResult<J extends JobSpec> = EngineJobs[J['kind']]['result'];
