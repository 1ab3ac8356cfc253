import { EngineClient, type EngineClientOptions } from '../engine/worker/client';

/** URL of the worker entry that knows project jobs (render, plan) as well as the engine's own. */
export const PROJECT_WORKER_ENTRY = new URL('./engine-worker.ts', import.meta.url);

/** An engine client whose worker can render project files; what hosts use. */
export function createEngineClient(options: Omit<EngineClientOptions, 'entry'> = {}): EngineClient {
  return new EngineClient({ ...options, entry: PROJECT_WORKER_ENTRY });
}
