import type { JobResult, JobSpec } from '../../engine/jobs/registry';
import type { JobEvent } from '../../engine/worker/protocol';
import { createEngineClient } from '../../services/engine-client';
import type { PlanJob, PlanJobResult, RenderJob, RenderJobResult } from '../../services/render-job';
import { ProgressBar } from './progress-bar';

type CliJob = JobSpec | RenderJob | PlanJob;
type CliResult<J extends CliJob> = J extends RenderJob ? RenderJobResult : J extends PlanJob ? PlanJobResult : J extends JobSpec ? JobResult<J> : never;

/**
 * Run one job on a fresh engine worker with a terminal progress bar; Ctrl-C cancels the job
 * (between UNet calls) instead of killing the process mid-write.
 */
export async function runWithEngine<J extends CliJob>(job: J, onEvent?: (event: JobEvent) => void): Promise<CliResult<J>> {
  const client = createEngineClient();
  const bar = new ProgressBar();
  const handle = client.startExtra<CliResult<J>>(job, { onProgress: (p) => bar.update(p), onEvent });
  let interrupted = 0;
  const onSigint = () => {
    interrupted++;
    if (interrupted > 1) process.exit(130);
    process.stderr.write('\ncancelling… (Ctrl-C again to quit at once)\n');
    client.cancel(handle.jobId);
  };
  process.on('SIGINT', onSigint);
  try {
    return await handle.result;
  } finally {
    process.off('SIGINT', onSigint);
    bar.done();
    await client.dispose();
  }
}
