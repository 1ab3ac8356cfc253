import { randomUUID } from 'node:crypto';
import type { ContractErrorData, JobInfo, JobKind, JobProgress, JobResult, RenderScope } from '../contract/contract';
import type { EmitFn } from './events';

const KEEP_FINISHED = 200;

/**
 * Every render and export job of this session with its state; the one place job events are
 * emitted from, so `renders.list` and the job.* events can never disagree.
 */
export class JobBoard {
  private readonly jobs = new Map<string, JobInfo>();

  constructor(
    private readonly emit: EmitFn,
    private readonly now: () => number = Date.now,
  ) {}

  /** `project`: the name of the project the job works on, shown with it in the queue. */
  add(kind: JobKind, label: string, scope?: RenderScope, project?: string): JobInfo {
    const info: JobInfo = {
      jobId: randomUUID(),
      kind,
      label,
      ...(scope ? { scope } : {}),
      status: 'queued',
      progress: null,
      ...(project !== undefined ? { project } : {}),
      queuedAt: this.now(),
    };
    this.jobs.set(info.jobId, info);
    this.prune();
    this.emit('job.queued', info);
    return info;
  }

  get(jobId: string): JobInfo | undefined {
    return this.jobs.get(jobId);
  }

  list(): JobInfo[] {
    return [...this.jobs.values()];
  }

  running(jobId: string): void {
    const job = this.jobs.get(jobId);
    if (job && job.status === 'queued') job.status = 'running';
  }

  progress(jobId: string, p: { phase: string; done: number; total: number; etaMs: number | null; transitions?: JobProgress['transitions'] }): void {
    const job = this.jobs.get(jobId);
    if (!job || job.status !== 'running') return;
    job.progress = {
      jobId,
      kind: job.kind,
      phase: p.phase,
      done: Math.max(0, p.done),
      total: Math.max(0, p.total),
      etaMs: p.etaMs === null || !Number.isFinite(p.etaMs) ? null : Math.max(0, p.etaMs),
      ...(p.transitions ? { transitions: p.transitions } : {}),
    };
    this.emit('job.progress', job.progress);
  }

  done(jobId: string, result: JobResult): void {
    const job = this.jobs.get(jobId);
    if (!job || isFinished(job)) return;
    job.status = 'done';
    job.finishedAt = this.now();
    this.emit('job.done', { jobId, kind: job.kind, result });
  }

  fail(jobId: string, error: ContractErrorData): void {
    const job = this.jobs.get(jobId);
    if (!job || isFinished(job)) return;
    job.status = error.code === 'CANCELLED' ? 'cancelled' : 'failed';
    job.error = error;
    job.finishedAt = this.now();
    this.emit('job.error', { jobId, kind: job.kind, error });
  }

  private prune(): void {
    const finished = this.list().filter(isFinished);
    for (const job of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(job.jobId);
  }
}

function isFinished(job: JobInfo): boolean {
  return job.status === 'done' || job.status === 'failed' || job.status === 'cancelled';
}
