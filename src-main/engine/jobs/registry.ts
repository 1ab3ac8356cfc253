import type { JobContext } from './context';
import { runKeyframeJob, type KeyframeJob, type KeyframeResult } from './keyframe';
import { runInspectJob, type InspectJob, type InspectResult } from './inspect';

// The context lives in context.ts so the jobs it is passed to never import this table back.
export { makeContext, type JobContext } from './context';

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
