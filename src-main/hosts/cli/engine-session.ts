import type { JobName } from '../../engine/jobs/kinds';
import { createEngineClient } from '../../services/engine-client';
import type { ProjectJobs } from '../../services/project-jobs';
import { commandInterrupt } from './interrupt';
import { ProgressBar } from './progress-bar';

/**
 * Run one job on a fresh engine worker with a terminal progress bar; the command's interrupt
 * (Ctrl-C, SIGTERM) cancels the job between UNet calls instead of killing the process
 * mid-write, and a job that finished just as the interrupt came still counts as cancelled:
 * the command stops here rather than going on to write its output.
 */
export async function runWithEngine<K extends JobName<ProjectJobs>>(job: ProjectJobs[K]['spec'] & { kind: K }, onEvent?: (event: ProjectJobs[K]['event']) => void): Promise<ProjectJobs[K]['result']> {
  const interrupt = commandInterrupt();
  interrupt.throwIfCancelled();
  const client = createEngineClient();
  const bar = new ProgressBar();
  const handle = client.start(job, { onProgress: (p) => bar.update(p), onEvent });
  const onAbort = () => client.cancel(handle.jobId);
  interrupt.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const result = await handle.result;
    interrupt.throwIfCancelled();
    return result;
  } finally {
    interrupt.signal.removeEventListener('abort', onAbort);
    bar.done();
    await client.dispose();
  }
}
