import { describe, expect, it } from 'vitest';
import { ETA_WINDOW_MS, ProgressTracker, type JobProgress } from './progress';

/** A tracker on a clock the test moves by hand, and every report it sends. */
function tracked(total: number) {
  let t = 0;
  const reports: JobProgress[] = [];
  const tracker = new ProgressTracker(total, (p) => reports.push(p), () => t);
  return {
    tracker,
    reports,
    last: () => reports[reports.length - 1],
    wait: (ms: number) => {
      t += ms;
    },
  };
}

describe('ProgressTracker: an ETA from the measured throughput of the running job', () => {
  it('says nothing (estimating…) until there is data, and ignores the time before work began', () => {
    const { tracker, last, wait } = tracked(20);
    tracker.report('loading model');
    expect(last().etaMs).toBeNull();
    wait(60_000); // a slow model load is not rendering speed
    tracker.begin('denoising');
    expect(last().etaMs).toBeNull();
    for (let i = 0; i < 2; i++) {
      wait(1000);
      tracker.advance('denoising');
      expect(last().etaMs).toBeNull();
    }
    wait(1000);
    tracker.advance('denoising');
    expect(last()).toMatchObject({ done: 3, total: 20, etaMs: 17_000 });
  });

  it('is updated as the job runs and follows a change of speed', () => {
    const { tracker, last, wait } = tracked(100);
    tracker.begin('rendering');
    for (let i = 0; i < 10; i++) {
      wait(1000);
      tracker.advance('rendering');
    }
    expect(last().etaMs).toBe(90_000);
    // Slower from here (bigger batches, a busy machine): within the window the estimate follows.
    const etas: number[] = [];
    for (let i = 0; i < 20; i++) {
      wait(3000);
      tracker.advance('rendering');
      etas.push(last().etaMs!);
    }
    expect(etas.every((e, i) => i === 0 || e !== etas[i - 1])).toBe(true);
    // The last 30 s of compute were all at 3 s per unit: 70 units left.
    expect(ETA_WINDOW_MS).toBe(30_000);
    expect(last()).toMatchObject({ done: 30, etaMs: 210_000 });
  });

  it('counts cached work as done but not as speed', () => {
    const { tracker, last, wait } = tracked(100);
    tracker.begin('rendering');
    // Half the movie is in the render cache: found at once.
    wait(200);
    tracker.set('rendering', 50, 100, 0);
    expect(last().etaMs).toBeNull();
    for (let i = 1; i <= 10; i++) {
      wait(1000);
      tracker.set('rendering', 50 + i, 100, i);
    }
    // 40 units left at the 1 s each this run measured (not 10 s / 60 units × 40 ≈ 6.7 s).
    expect(last()).toMatchObject({ done: 60, total: 100, etaMs: 40_000 });
    // More cache hits later: the time spent finding them is not compute time either.
    wait(5000);
    tracker.set('rendering', 80, 100, 10);
    expect(last().etaMs).toBe(20_000);
  });

  it('counts new units as computed when set() is not told otherwise', () => {
    const { tracker, last, wait } = tracked(10);
    tracker.begin('encoding');
    for (let i = 1; i <= 4; i++) {
      wait(500);
      tracker.set('encoding', i, 10);
    }
    expect(last().etaMs).toBe(3000);
  });
});
