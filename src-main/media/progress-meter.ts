export interface ExportProgress {
  /** Frames handed to ffmpeg. */
  done: number;
  total: number;
  /** Frames ffmpeg has encoded into the output (from its -progress report). */
  encoded: number;
  /** Encoded frames per second over the recent window (0 until it can be measured). */
  fps: number;
  /** Estimated milliseconds left; null until an encoding rate is known, 0 when done. */
  etaMs: number | null;
}

/**
 * Rate and ETA of an export, measured on the frames ffmpeg has encoded, not on those handed to
 * it: a GIF's palette needs every frame before the first one is written, so a GIF took all its
 * frames in seconds and then encoded for minutes while a feed-based ETA said "almost done".
 * Until ffmpeg has encoded something the ETA is null ("estimating…"). A sliding window of recent
 * samples lets it follow an encoder that speeds up or slows down. The clock is injected so the
 * arithmetic can be tested exactly.
 */
export class ProgressMeter {
  private readonly samples: { encoded: number; t: number }[] = [];
  private fed = 0;
  private encoded = 0;

  constructor(
    private readonly total: number,
    private readonly now: () => number = () => performance.now(),
    private readonly window = 30,
  ) {}

  /** `done` frames have been handed to ffmpeg. */
  record(done: number): ExportProgress {
    this.fed = done;
    return this.progress();
  }

  /** ffmpeg reports `encoded` frames in the output. */
  recordEncoded(encoded: number): ExportProgress {
    const t = this.now();
    // Timed between ffmpeg's own reports: when its first frame came out depends on the format.
    this.encoded = Math.max(this.encoded, Math.min(this.total, encoded));
    // Before the first frame comes out only the latest report counts: it is when output began.
    if (this.encoded === 0) this.samples.length = 0;
    this.samples.push({ encoded: this.encoded, t });
    if (this.samples.length > this.window + 1) this.samples.shift();
    return this.progress();
  }

  private progress(): ExportProgress {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const seconds = first && last ? (last.t - first.t) / 1000 : 0;
    const fps = seconds > 0 ? (last.encoded - first.encoded) / seconds : 0;
    const remaining = Math.max(0, this.total - this.encoded);
    const etaMs = remaining === 0 ? 0 : fps > 0 ? Math.round((remaining / fps) * 1000) : null;
    return { done: this.fed, total: this.total, encoded: this.encoded, fps, etaMs };
  }
}
