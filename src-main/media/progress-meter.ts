export interface ExportProgress {
  done: number;
  total: number;
  /** Frames per second over the recent window (0 until it can be measured). */
  fps: number;
  /** Estimated milliseconds left; null until a rate is known, 0 when done. */
  etaMs: number | null;
}

/**
 * Frame rate and ETA over a sliding window of the last few frames, so the estimate follows
 * the producer when it speeds up or slows down (e.g. frames rendered on the fly) instead of
 * averaging over the whole run. The clock is injected so the arithmetic can be tested exactly.
 */
export class ProgressMeter {
  private readonly samples: { done: number; t: number }[];

  constructor(
    private readonly total: number,
    private readonly now: () => number = () => performance.now(),
    private readonly window = 30,
  ) {
    this.samples = [{ done: 0, t: now() }];
  }

  record(done: number): ExportProgress {
    this.samples.push({ done, t: this.now() });
    if (this.samples.length > this.window + 1) this.samples.shift();
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const seconds = (last.t - first.t) / 1000;
    const fps = seconds > 0 ? (last.done - first.done) / seconds : 0;
    const remaining = Math.max(0, this.total - done);
    const etaMs = remaining === 0 ? 0 : fps > 0 ? Math.round((remaining / fps) * 1000) : null;
    return { done, total: this.total, fps, etaMs };
  }
}
