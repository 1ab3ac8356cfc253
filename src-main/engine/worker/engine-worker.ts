import { parentPort, workerData } from 'node:worker_threads';
import { serializeError } from '../errors';
import { ModelPool } from '../jobs/models';
import { makeContext, runJob } from '../jobs/registry';
import type { HostToWorker, WorkerToHost } from './protocol';

/**
 * The engine worker thread. ONNX Runtime's session.run and session creation block their JS
 * thread, so all inference lives here; the host thread stays responsive and can cancel.
 */
const port = parentPort;
if (!port) throw new Error('engine-worker must run in a worker thread');

const models = new ModelPool((workerData as { cacheDir?: string } | undefined)?.cacheDir);
const running = new Map<string, AbortController>();

function send(message: WorkerToHost): void {
  port!.postMessage(message);
}

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
    const result = await runJob(job, ctx);
    send({ type: 'result', jobId, result });
  } catch (error) {
    send({ type: 'error', jobId, error: serializeError(error) });
  } finally {
    running.delete(jobId);
  }
}

port.on('message', (message: HostToWorker) => {
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
  }
});

// Test hook: lets the crash-recovery test kill the thread the way a native crash would.
if ((workerData as { allowCrashJob?: boolean } | undefined)?.allowCrashJob) {
  port.on('message', (message: { type: string }) => {
    if (message.type === 'crash') process.exit(3);
  });
}

send({ type: 'ready' });
