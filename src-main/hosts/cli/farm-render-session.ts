import { renderOnFarm, type FarmProgress, type FarmRenderOptions, type FarmRenderResult } from '../../services/farm/farm-render';
import { ProgressBar } from './progress-bar';

/** "T1 ✓ T2 40% T3 …": each transition's state on the farm, for the progress line. */
export function transitionsLine(p: FarmProgress): string {
  return p.transitions
    .map((t) => {
      const label = `T${t.index + 1}`;
      if (t.state === 'cached' || t.state === 'done') return `${label} ✓`;
      if (t.state === 'rendering') return `${label} ${Math.floor((100 * t.done) / Math.max(1, t.total))}%`;
      if (t.state === 'keyframes') return `${label} kf`;
      return `${label} …`;
    })
    .join(' ');
}

/**
 * A farm render with the terminal progress bar (done/total and ETA of the running stage, then
 * each transition's progress from the workers); Ctrl-C cancels the flow: running pieces stop
 * between UNet calls and the flow's jobs are removed.
 */
export async function runOnFarm(options: Omit<FarmRenderOptions, 'signal' | 'onProgress'>): Promise<FarmRenderResult> {
  const bar = new ProgressBar();
  const controller = new AbortController();
  let interrupted = 0;
  const onSigint = () => {
    interrupted++;
    if (interrupted > 1) process.exit(130);
    process.stderr.write('\ncancelling the farm render… (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  try {
    return await renderOnFarm({
      ...options,
      signal: controller.signal,
      onProgress: (p) => bar.update(p, transitionsLine(p)),
      onConnected: (info) => {
        if (info.workers === 0) process.stderr.write(`note: no worker is connected to ${info.url} yet; the jobs wait until one starts (latentblend worker --redis …).\n`);
      },
    });
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    bar.done();
  }
}
