import type { JobName } from '../engine/jobs/kinds';
import type { EngineClient, JobHandle, JobHandlers } from '../engine/worker/client';
import type { ProjectJobs } from './project-jobs';

/** A job the services start: any kind of the project job table. */
export type EngineJob = ProjectJobs[JobName<ProjectJobs>]['spec'];

/** Starting one kind of job: its spec in, its typed events and result out. */
export type StartJob<K extends JobName<ProjectJobs>> = (job: ProjectJobs[K]['spec'] & { kind: K }, handlers?: JobHandlers<ProjectJobs[K]['event']>) => JobHandle<ProjectJobs[K]['result']>;

/** What the services need of the engine: `EngineClient`, or a test double with the same protocol. */
export interface Engine {
  start<K extends JobName<ProjectJobs>>(job: ProjectJobs[K]['spec'] & { kind: K }, handlers?: JobHandlers<ProjectJobs[K]['event']>): JobHandle<ProjectJobs[K]['result']>;
  cancel(jobId: string): boolean;
}

export function engineFromClient(client: EngineClient<ProjectJobs>): Engine {
  return {
    start: (job, handlers) => client.start(job, handlers),
    cancel: (jobId) => client.cancel(jobId),
  };
}

/** An engine from one starter per job kind (a test double that runs some kinds itself). */
export function engineOfKinds(starters: { readonly [K in JobName<ProjectJobs>]: StartJob<K> }, cancel: (jobId: string) => boolean): Engine {
  return {
    start<K extends JobName<ProjectJobs>>(job: ProjectJobs[K]['spec'] & { kind: K }, handlers?: JobHandlers<ProjectJobs[K]['event']>) {
      const kind: K = job.kind;
      const starter: StartJob<K> = starters[kind];
      return starter(job, handlers);
    },
    cancel,
  };
}
