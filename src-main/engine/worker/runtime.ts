import { parentPort, workerData } from 'node:worker_threads';
import { EngineError, serializeError } from '../errors';
import { ModelPool } from '../jobs/models';
import { makeContext, runJob, type JobContext } from '../jobs/registry';
import type { HostToWorker, WorkerToHost } from './protocol';

/** A job kind added by a higher layer (e.g. rendering a project file through its cache). */
export type ExtraJobHandler = (job: never, ctx: JobContext) => Promise<unknown>;

/**
 * The engine worker thread's loop. ONNX Runtime's session.run and session creation block their
 * JS thread, so all inference lives here; the host thread stays responsive and can cancel.
 * Engine jobs are built in; `extra` lets the services layer add project-level jobs without the
 * engine importing it.
 */
export function runEngineWorker(extra: Record<string, ExtraJobHandler> = {}): void {
  const port = parentPort;
  if (!port) throw new Error('the engine worker must run in a worker thread');
  const data = (workerData ?? {}) as { cacheDir?: string; allowCrashJob?: boolean };
  const models = new ModelPool(data.cacheDir);
  const running = new Map<string, AbortController>();
  const send = (message: WorkerToHost) => port.postMessage(message);

  async function start(jobId: string, job: Extract<HostToWorker, { type: 'start' }>['job']): Promise<void> {
    const controller = new AbortController();
    running.set(jobId, controller);
    const ctx = makeContext({
      signal: controller.signal,
      models,
      onProgress: (p) => send({ type: 'progress', jobId, ...p }),
      onEvent: (event) => send({ type: 'event', jobId, event }),
    });
    try {
      const kind = (job as { kind?: unknown }).kind;
      const handler = typeof kind === 'string' && Object.hasOwn(extra, kind) ? extra[kind] : undefined;
      if (!handler && kind !== 'keyframe' && kind !== 'inspect') {
        throw new EngineError('BAD_ARGUMENT', `Unknown engine job kind '${String(kind)}'.`);
      }
      const result = handler ? await handler(job as never, ctx) : await runJob(job, ctx);
      send({ type: 'result', jobId, result: result as never });
    } catch (error) {
      send({ type: 'error', jobId, error: serializeError(error) });
    } finally {
      running.delete(jobId);
    }
  }

  port.on('message', (message: HostToWorker | { type: 'crash' } | { type: 'hang' }) => {
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
