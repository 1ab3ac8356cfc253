import type { JobResult, JobSpec } from '../../engine/jobs/registry';
import { EngineClient } from '../../engine/worker/client';
import type { JobEvent } from '../../engine/worker/protocol';
import { ProgressBar } from './progress-bar';

/**
 * Run one job on a fresh engine worker with a terminal progress bar; Ctrl-C cancels the job
 * (between UNet calls) instead of killing the process mid-write.
 */
export async function runWithEngine<J extends JobSpec>(job: J, onEvent?: (event: JobEvent) => void): Promise<JobResult<J>> {
  const client = new EngineClient();
  const bar = new ProgressBar();
  const handle = client.start(job, { onProgress: (p) => bar.update(p), onEvent });
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
