/**
 * Cache writes that run behind the render instead of in front of the next UNet call. Each
 * write stays atomic (its task uses writeFileAtomic); the queue only decides when the render
 * waits for it: at most `limit` writes run at once (a full queue makes the next write wait, so
 * memory stays bounded), `flush` waits for all of them before a job reports done, and the first
 * failed write fails the job — at the next write or at the flush, whichever comes first.
 */
export class WriteBehind {
  private readonly running = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;

  /** `limit` 0 runs each write before `add` returns: the order of work renders had before. */
  constructor(readonly limit: number) {}

  /** Start `write`; resolves once it runs (or, with limit 0, once it is done). */
  async add(write: () => Promise<void>): Promise<void> {
    this.throwIfFailed();
    if (this.limit <= 0) return write();
    while (this.running.size >= this.limit) await Promise.race(this.running);
    this.throwIfFailed();
    const task: Promise<void> = write()
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => this.running.delete(task));
    this.running.add(task);
  }

  /** Writes started and not finished yet. */
  get pending(): number {
    return this.running.size;
  }

  /** Wait for every write; throws the first one that failed. */
  async flush(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running);
    this.throwIfFailed();
  }

  /** Wait for every write, ignoring failures: after a job failed or was cancelled for another reason. */
  async settle(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running);
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}
