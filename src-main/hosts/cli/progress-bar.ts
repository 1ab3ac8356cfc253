import type { JobProgress } from '../../engine/jobs/progress';

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** A one-line progress bar for terminals; silent when stderr is not a TTY (logs, CI). */
export class ProgressBar {
  private lastLine = '';

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly enabled = Boolean(stream.isTTY),
  ) {}

  /** `detail` follows the bar, e.g. each transition's state on a render farm. */
  update(p: JobProgress, detail?: string): void {
    if (!this.enabled) return;
    const width = 28;
    const ratio = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
    const filled = Math.round(ratio * width);
    const eta = p.etaMs !== null ? ` ETA ${formatDuration(p.etaMs)}` : p.done < p.total ? ' ETA estimating…' : '';
    const line = `${p.phase.padEnd(12)} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${p.done}/${p.total}${eta}${detail ? `  ${detail}` : ''}`;
    if (line === this.lastLine) return;
    this.lastLine = line;
    this.stream.write(`\r${line}\x1b[K`);
  }

  done(): void {
    if (this.enabled && this.lastLine) this.stream.write('\r\x1b[K');
    this.lastLine = '';
  }
}
