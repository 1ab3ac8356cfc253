import type { JobResult, JobSpec } from '../../engine/jobs/registry';
import type { JobEvent } from '../../engine/worker/protocol';
import { createEngineClient } from '../../services/engine-client';
import { commandInterrupt } from './interrupt';
import type { PlanJob, PlanJobResult, RenderJob, RenderJobResult } from '../../services/render-job';
import { ProgressBar } from './progress-bar';

type CliJob = JobSpec | RenderJob | PlanJob;
type CliResult<J extends CliJob> = J extends RenderJob ? RenderJobResult : J extends PlanJob ? PlanJobResult : J extends JobSpec ? JobResult<J> : never;

/**
 * Run one job on a fresh engine worker with a terminal progress bar; the command's interrupt
 * (Ctrl-C, SIGTERM) cancels the job between UNet calls instead of killing the process
 * mid-write, and a job that finished just as the interrupt came still counts as cancelled:
 * the command stops here rather than going on to write its output.
 */
export async function runWithEngine<J extends CliJob>(job: J, onEvent?: (event: JobEvent) => void): Promise<CliResult<J>> {
  const interrupt = commandInterrupt();
  interrupt.throwIfCancelled();
  const client = createEngineClient();
  const bar = new ProgressBar();
  const handle = client.startExtra<CliResult<J>>(job, { onProgress: (p) => bar.update(p), onEvent });
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
