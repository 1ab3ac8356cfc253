import { describe, expect, it } from 'vitest';
import { ProgressMeter } from './progress-meter';

function clock(times: number[]): () => number {
  let i = 0;
  return () => times[Math.min(i++, times.length - 1)];
}

describe('ProgressMeter', () => {
  it('has no rate and no ETA before time has passed', () => {
    const meter = new ProgressMeter(10, clock([0, 0]));
    expect(meter.record(1)).toEqual({ done: 1, total: 10, fps: 0, etaMs: null });
  });

  it('measures fps from the start and estimates the rest at that rate', () => {
    // start at t=1000 ms, 10 frames by t=3000 ms: 5 fps, 40 frames left take 8 s
    const meter = new ProgressMeter(50, clock([1000, 3000]));
    expect(meter.record(10)).toEqual({ done: 10, total: 50, fps: 5, etaMs: 8000 });
  });

  it('reports an ETA of 0 when all frames are done', () => {
    const meter = new ProgressMeter(4, clock([0, 100, 200, 300, 400]));
    const last = [1, 2, 3, 4].map((n) => meter.record(n)).at(-1);
    expect(last).toEqual({ done: 4, total: 4, fps: 10, etaMs: 0 });
  });

  it('follows the recent rate over a sliding window, not the whole-run average', () => {
    // window of 2 frames: 1 frame/s for the first three frames, then 10 frames/s
    const meter = new ProgressMeter(100, clock([0, 1000, 2000, 3000, 3100, 3200]), 2);
    for (const n of [1, 2, 3, 4]) meter.record(n);
    const p = meter.record(5); // samples kept: (3, 3000 ms), (4, 3100 ms), (5, 3200 ms)
    expect(p.fps).toBeCloseTo(10, 10);
    expect(p.etaMs).toBe(9500); // 95 frames at 10 fps
  });
});
