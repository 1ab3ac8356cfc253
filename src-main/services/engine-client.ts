import { EngineClient, type EngineClientOptions } from '../engine/worker/client';
import { projectJobs, type ProjectJobs } from './project-jobs';

/** URL of the worker entry that knows project jobs (render, plan) as well as the engine's own. */
export const PROJECT_WORKER_ENTRY = new URL('./engine-worker.ts', import.meta.url);

/**
 * An engine client whose worker can render project files; what hosts use. `entry`: the built
 * worker entry (Electron), default the TypeScript source.
 */
export function createEngineClient(options: Omit<EngineClientOptions<ProjectJobs>, 'jobs'> = {}): EngineClient<ProjectJobs> {
  return new EngineClient({ entry: PROJECT_WORKER_ENTRY, ...options, jobs: projectJobs });
}
