export interface JobProgress {
  /** What the job is doing now, e.g. "loading model", "denoising", "decoding". */
  phase: string;
  done: number;
  total: number;
  /** Estimated milliseconds left, null until there is something to measure. */
  etaMs: number | null;
}

/** Recent compute time the rate is measured over, so the ETA follows a job that speeds up or slows down. */
export const ETA_WINDOW_MS = 30_000;
/** Units computed before an estimate is given ("estimating…" until then). */
export const ETA_MIN_UNITS = 3;

/**
 * Throughput of the work this job computes, measured on its own clock. Only intervals that
 * ended with computed units count as compute time: work found in a cache, or waiting before the
 * first unit, says nothing about how fast the rest will go (counting it made a movie with cached
 * parts promise "5 s left" at 15 % and at 50 %).
 */
export class Throughput {
  /** (compute time so far, units computed so far), oldest first, trimmed to the window. */
  private readonly samples: { time: number; units: number }[] = [{ time: 0, units: 0 }];
  private computeTime = 0;
  private units = 0;
  private lastAt: number;

  constructor(private readonly now: () => number) {
    this.lastAt = now();
  }

  /** Note the job's cumulative computed units now. */
  record(units: number): void {
    const at = this.now();
    if (units > this.units) {
      this.computeTime += at - this.lastAt;
      this.units = units;
      this.samples.push({ time: this.computeTime, units });
      // Keep the newest sample at or before the window's start as its anchor.
      while (this.samples.length > 2 && this.samples[1].time <= this.computeTime - ETA_WINDOW_MS) this.samples.shift();
    }
    this.lastAt = at;
  }

  /** Milliseconds per unit over the recent window; null until enough was computed to tell. */
  msPerUnit(): number | null {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const units = last.units - first.units;
    const time = last.time - first.time;
    if (this.units < ETA_MIN_UNITS || units <= 0 || time <= 0) return null;
    return time / units;
  }
}

/**
 * Reports done/total and an ETA from the measured throughput of the running job. Units are
 * weighted (a decode is worth several UNet calls on some models); the rate is measured from
 * `begin()` on, so model loading does not distort it, and cached work counts as done without
 * counting as speed.
 */
export class ProgressTracker {
  private done = 0;
  private computed = 0;
  private throughput?: Throughput;

  constructor(
    private total: number,
    private readonly emit: (progress: JobProgress) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  setTotal(total: number): void {
    this.total = total;
  }

  /** Mark the moment real work begins (after loading). */
  begin(phase: string): void {
    this.throughput = new Throughput(this.now);
    this.throughput.record(this.computed);
    this.report(phase);
  }

  /** `units` of work computed now. */
  advance(phase: string, units = 1): void {
    this.done = Math.min(this.total, this.done + units);
    this.computed += units;
    this.report(phase);
  }

  /**
   * Jump to an absolute position. `computed` is how many of the `done` units were computed in
   * this run (the rest came from a cache); without it every new unit counts as computed.
   */
  set(phase: string, done: number, total: number, computed?: number): void {
    this.total = total;
    this.computed = computed ?? this.computed + Math.max(0, Math.min(total, done) - this.done);
    this.done = Math.min(total, done);
    this.report(phase);
  }

  report(phase: string): void {
    this.throughput?.record(this.computed);
    this.emit({ phase, done: this.done, total: this.total, etaMs: this.eta() });
  }

  private eta(): number | null {
    const msPerUnit = this.throughput?.msPerUnit() ?? null;
    if (msPerUnit === null) return null;
    return Math.max(0, Math.round(msPerUnit * (this.total - this.done)));
  }
}
