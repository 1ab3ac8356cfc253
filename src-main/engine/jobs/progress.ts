export interface JobProgress {
  /** What the job is doing now, e.g. "loading model", "denoising", "decoding". */
  phase: string;
  done: number;
  total: number;
  /** Estimated milliseconds left, null until there is something to measure. */
  etaMs: number | null;
}

/**
 * Estimates time left from the work done so far. Units are weighted (a decode is worth
 * several UNet calls on some models), and the rate is measured from the first unit on, so
 * model loading does not distort the estimate.
 */
export class ProgressTracker {
  private done = 0;
  private startedAt?: number;
  private doneAtStart = 0;

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
    this.startedAt = this.now();
    this.doneAtStart = this.done;
    this.report(phase);
  }

  advance(phase: string, units = 1): void {
    this.done = Math.min(this.total, this.done + units);
    this.report(phase);
  }

  /** Jump to an absolute position (work found in a cache counts as done without taking time). */
  set(phase: string, done: number, total: number): void {
    this.total = total;
    this.done = Math.min(total, done);
    this.report(phase);
  }

  report(phase: string): void {
    this.emit({ phase, done: this.done, total: this.total, etaMs: this.eta() });
  }

  private eta(): number | null {
    if (this.startedAt === undefined) return null;
    const progressed = this.done - this.doneAtStart;
    if (progressed <= 0) return null;
    const elapsed = this.now() - this.startedAt;
    return Math.max(0, Math.round((elapsed / progressed) * (this.total - this.done)));
  }
}
