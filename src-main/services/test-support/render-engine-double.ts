import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EngineError } from '../../engine/errors';
import type { JobHandlers } from '../../engine/worker/client';
import { encodePng } from '../../media/png';
import { loadProject } from '../../project/store';
import type { Engine, EngineJob } from '../engine';

/**
 * A fast, steppable stand-in for the `render` job (services/render-job.ts), for the transport
 * and export tests: same protocol (progress, `{kind: 'frame', transition, position, index, file}`
 * events, a result or a typed error, cancel between steps), flat-colour PNGs in a cache folder
 * next to the project, and a `stepGate` so a test can cancel at an exact step. The real job is
 * covered over the real worker in renders.test.ts.
 */
export class RenderJobDouble implements Engine {
  private next = 0;
  private readonly cancelled = new Set<string>();
  /** Resolves the running render's current step; tests use it to act mid-render. */
  stepGate: (() => Promise<void>) | null = null;
  renders = 0;

  constructor(
    private readonly fallback: Engine | null,
    private readonly imagesPerTransition = 5,
  ) {}

  start(job: EngineJob, handlers: JobHandlers = {}): { jobId: string; result: Promise<unknown> } {
    if (job.kind !== 'render') {
      if (!this.fallback) return { jobId: 'none', result: Promise.reject(new EngineError('PROVIDER_UNAVAILABLE', 'no engine in this test')) };
      return this.fallback.start(job, handlers);
    }
    const jobId = `render-${this.next++}`;
    this.renders++;
    const result = (async () => {
      const project = await loadProject(job.projectFile);
      const indices = job.scope.kind === 'transition' ? [job.scope.index] : job.scope.kind === 'movie' ? project.transitions.map((_, i) => i) : [];
      const cache = path.join(path.dirname(job.projectFile), 'double.cache');
      await mkdir(cache, { recursive: true });
      const n = this.imagesPerTransition;
      const total = indices.length * n;
      let done = 0;
      for (const t of indices) {
        for (let i = 0; i < n; i++) {
          await (this.stepGate?.() ?? Promise.resolve());
          if (this.cancelled.has(jobId)) throw new EngineError('CANCELLED', 'The render was cancelled.');
          const position = i / (n - 1);
          const file = path.join(cache, `t${t}-${i}.png`);
          const data = new Uint8Array(project.width * project.height * 3).fill(Math.round(position * 255));
          await writeFile(file, encodePng({ width: project.width, height: project.height, data }));
          done++;
          handlers.onProgress?.({ phase: 'blending', done, total, etaMs: (total - done) * 10 });
          handlers.onEvent?.({ kind: 'frame', transition: t, position, index: i, file });
        }
      }
      // One "UNet evaluation" per image: enough for the host to measure a speed from.
      return { frames: total, fromCache: false, stats: { unetCalls: total, unetEvaluations: total, computedEvaluations: total, totalMs: 0 } };
    })();
    result.catch(() => undefined);
    return { jobId, result };
  }

  cancel(jobId: string): boolean {
    if (!jobId.startsWith('render-')) return this.fallback?.cancel(jobId) ?? false;
    this.cancelled.add(jobId);
    return true;
  }
}
