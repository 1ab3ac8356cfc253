import { parentPort, workerData } from 'node:worker_threads';
import { EngineError, serializeError } from '../errors';
import { makeContext } from '../jobs/context';
import type { JobMap, JobName, JobTable } from '../jobs/kinds';
import { ModelPool } from '../jobs/models';
import type { JobHandlers } from '../jobs/registry';
import type { TestHook, WorkerToHost } from './protocol';

/**
 * The engine worker thread's loop over one job table. ONNX Runtime's session.run and session
 * creation block their JS thread, so all inference lives here; the host thread stays
 * responsive and can cancel. The services' entry passes a table that extends the engine's
 * own with project-level jobs, so the engine never imports them.
 */
export function runEngineWorker<M extends JobMap>(jobs: JobTable<M>, handlers: JobHandlers<M>): void {
  const port = parentPort;
  if (!port) throw new Error('the engine worker must run in a worker thread');
  const data = (workerData ?? {}) as { cacheDir?: string; allowCrashJob?: boolean };
  const models = new ModelPool(data.cacheDir);
  const running = new Map<string, AbortController>();
  const send = (message: WorkerToHost) => port.postMessage(message);
  const isKind = (kind: unknown): kind is JobName<M> => typeof kind === 'string' && Object.hasOwn(jobs, kind) && Object.hasOwn(handlers, kind);

  async function run<K extends JobName<M>>(kind: K, jobId: string, job: unknown, signal: AbortSignal): Promise<void> {
    const parsed = jobs[kind].spec.safeParse(job);
    if (!parsed.success) throw new EngineError('BAD_ARGUMENT', `The '${kind}' job is malformed: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'job'} ${i.message}`).join('; ')}.`);
    const ctx = makeContext({
      signal,
      models,
      onProgress: (p) => send({ type: 'progress', jobId, ...p }),
      onEvent: (event) => send({ type: 'event', jobId, event }),
    });
    const handler: JobHandlers<M>[K] = handlers[kind];
    send({ type: 'result', jobId, result: await handler(parsed.data, ctx) });
  }

  async function start(jobId: string, job: unknown): Promise<void> {
    const controller = new AbortController();
    running.set(jobId, controller);
    try {
      const kind = typeof job === 'object' && job !== null && 'kind' in job ? job.kind : undefined;
      if (!isKind(kind)) throw new EngineError('BAD_ARGUMENT', `Unknown engine job kind '${String(kind)}'.`);
      await run(kind, jobId, job, controller.signal);
    } catch (error) {
      send({ type: 'error', jobId, error: serializeError(error) });
    } finally {
      running.delete(jobId);
    }
  }

  port.on('message', (message: { type: 'start'; jobId: string; job: unknown } | { type: 'cancel'; jobId: string } | { type: 'shutdown' } | TestHook) => {
    switch (message.type) {
      case 'start':
        void start(message.jobId, message.job);
        break;
      case 'cancel':
        running.get(message.jobId)?.abort();
        break;
      case 'shutdown':
        for (const c of running.values()) c.abort();
        void models.dispose().finally(() => process.exit(0));
        break;
      case 'crash':
        // Test hook: lets crash-recovery tests kill the thread the way a native crash would.
        if (data.allowCrashJob) process.exit(3);
        break;
      case 'hang':
        // Test hook: a thread that never returns to its event loop, as inside one endless native call.
        if (data.allowCrashJob) for (;;);
        break;
    }
  });

  send({ type: 'ready' });
}
