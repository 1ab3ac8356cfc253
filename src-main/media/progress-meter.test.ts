import { describe, expect, it } from 'vitest';
import { ProgressMeter } from './progress-meter';

/** A clock the test moves by hand. */
function manualClock() {
  let t = 0;
  return { now: () => t, wait: (ms: number) => (t += ms) };
}

describe('ProgressMeter', () => {
  it('has no rate and says nothing (null) before ffmpeg has encoded anything', () => {
    const { now, wait } = manualClock();
    const meter = new ProgressMeter(10, now);
    wait(100);
    expect(meter.record(1)).toEqual({ done: 1, total: 10, encoded: 0, fps: 0, etaMs: null });
    wait(100);
    expect(meter.recordEncoded(1)).toMatchObject({ encoded: 1, fps: 0, etaMs: null });
  });

  it('measures the encoding rate between ffmpeg reports and estimates the rest at it', () => {
    const { now, wait } = manualClock();
    const meter = new ProgressMeter(50, now);
    meter.recordEncoded(0);
    wait(2000);
    // 10 frames in 2 s: 5 fps, 40 frames left take 8 s
    expect(meter.recordEncoded(10)).toEqual({ done: 0, total: 50, encoded: 10, fps: 5, etaMs: 8000 });
  });

  it('a GIF takes every frame at once and encodes afterwards: no "almost done" while nothing is written', () => {
    const { now, wait } = manualClock();
    const meter = new ProgressMeter(100, now);
    let last;
    for (let f = 1; f <= 100; f++) {
      wait(10);
      last = meter.record(f);
      if (f % 50 === 0) last = meter.recordEncoded(0); // palettegen is still reading
    }
    expect(last).toMatchObject({ done: 100, encoded: 0, etaMs: null });
    // Then the output comes at 2 frames/s: 100 frames take 50 s, said as soon as it is measured.
    wait(500);
    meter.recordEncoded(1);
    wait(500);
    expect(meter.recordEncoded(2)).toMatchObject({ done: 100, encoded: 2, fps: 2, etaMs: 49_000 });
  });

  it('reports an ETA of 0 when every frame is encoded', () => {
    const { now, wait } = manualClock();
    const meter = new ProgressMeter(4, now);
    [1, 2, 3, 4].forEach((n) => {
      wait(100);
      meter.record(n);
      meter.recordEncoded(n);
    });
    expect(meter.recordEncoded(4)).toMatchObject({ done: 4, total: 4, encoded: 4, etaMs: 0 });
  });

  it('follows the recent rate over a sliding window, not the whole-run average', () => {
    const { now, wait } = manualClock();
    // window of 2 reports: 1 frame/s for the first three frames, then 10 frames/s
    const meter = new ProgressMeter(100, now, 2);
    meter.recordEncoded(0);
    for (const n of [1, 2, 3]) {
      wait(1000);
      meter.recordEncoded(n);
    }
    wait(100);
    meter.recordEncoded(4);
    wait(100);
    const p = meter.recordEncoded(5); // samples kept: (3, 3000 ms), (4, 3100 ms), (5, 3200 ms)
    expect(p.fps).toBeCloseTo(10, 10);
    expect(p.etaMs).toBe(9500); // 95 frames at 10 fps
  });
});
