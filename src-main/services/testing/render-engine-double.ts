import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EngineError } from '../../engine/errors';
import type { JobName } from '../../engine/jobs/kinds';
import type { ProviderStatus } from '../../engine/sd/types';
import type { JobHandle, JobHandlers } from '../../engine/worker/client';
import { encodePng } from '../../media/png';
import { loadProject } from '../../project/store';
import { engineOfKinds, type Engine } from '../engine';
import type { ProjectJobs } from '../project-jobs';
import { transitionKeyOf } from '../transition-specs';
import type { RenderEvent } from '../render/render-events';
import type { RenderJob, RenderJobResult } from '../render/render-spec';

/**
 * A fast, steppable stand-in for the `render` job (services/render/render-job.ts), for the transport
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

  private readonly kinds: Engine = engineOfKinds(
    {
      keyframe: (job, handlers) => this.otherwise(job, handlers),
      inspect: (job, handlers) => this.otherwise(job, handlers),
      plan: (job, handlers) => this.otherwise(job, handlers),
      'farm-piece': (job, handlers) => this.otherwise(job, handlers),
      render: (job, handlers) => this.render(job, handlers),
    },
    (jobId) => this.cancel(jobId),
  );

  start<K extends JobName<ProjectJobs>>(job: ProjectJobs[K]['spec'] & { kind: K }, handlers?: JobHandlers<ProjectJobs[K]['event']>): JobHandle<ProjectJobs[K]['result']> {
    return this.kinds.start(job, handlers);
  }

  /** Jobs other than render go to the real engine, where the test has one. */
  private otherwise<K extends JobName<ProjectJobs>>(job: ProjectJobs[K]['spec'] & { kind: K }, handlers?: JobHandlers<ProjectJobs[K]['event']>): JobHandle<ProjectJobs[K]['result']> {
    if (!this.fallback) return { jobId: 'none', result: Promise.reject(new EngineError('PROVIDER_UNAVAILABLE', 'no engine in this test')) };
    return this.fallback.start(job, handlers);
  }

  private render(job: RenderJob, handlers: JobHandlers<RenderEvent> = {}): JobHandle<RenderJobResult> {
    const jobId = `render-${this.next++}`;
    this.renders++;
    const result = (async (): Promise<RenderJobResult> => {
      const project = job.project ?? (await loadProject(job.projectFile));
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
          handlers.onEvent?.({ kind: 'frame', transition: t, position, index: i, file, key: transitionKeyOf(project, t) });
        }
      }
      // One "UNet evaluation" per image: enough for the host to measure a speed from.
      return {
        kind: 'render',
        scope: job.scope,
        fromCache: false,
        provider: DOUBLE_PROVIDER,
        modelName: 'render double',
        transitions: indices.map((index) => ({ index, images: n, unetEvaluations: n, computedEvaluations: n, positions: [], files: [] })),
        stats: { unetCalls: total, unetEvaluations: total, computedEvaluations: total, totalMs: 0 },
      };
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

/** The provider the double "runs" on: the CPU, as a studio without a GPU reports it. */
const DOUBLE_PROVIDER: ProviderStatus = { requested: 'cpu', active: 'cpu' };
