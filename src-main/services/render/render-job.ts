import type { JobContext } from '../../engine/jobs/context';
import { cacheDirFor } from '../../project/disk-transition-cache';
import { WriteBehind } from '../../project/write-behind';
import { stillKeyOf } from '../transition-specs';
import { renderTransitions } from './movie-loop';
import { openRenderProject, sessionFor } from './open-project';
import { ProjectRender } from './project-render';
import type { RenderEvent } from './render-events';
import { checkJob, keyframesFor } from './render-scope';
import { WRITE_BEHIND_LIMIT, type RenderJob, type RenderJobResult } from './render-spec';
import { renderSeedVariants } from './seed-variants';

/**
 * Render what `job` asks for. Cache writes run behind the diffusion and are all on disk before
 * this resolves; a failed write fails the job, and a failed or cancelled job still waits for
 * the writes it started, so nothing writes into the cache after the job has ended.
 */
export async function runRenderJob(job: RenderJob, ctx: JobContext<RenderEvent>): Promise<RenderJobResult> {
  const started = performance.now();
  const writes = new WriteBehind(job.writeBehind ?? WRITE_BEHIND_LIMIT);
  let out: RenderJobResult;
  try {
    out = await renderProject(job, ctx, writes);
  } catch (error) {
    await writes.settle();
    throw error;
  }
  await writes.flush();
  out.stats.totalMs = performance.now() - started;
  return out;
}

async function renderProject(job: RenderJob, ctx: JobContext<RenderEvent>, writes: WriteBehind): Promise<RenderJobResult> {
  const started = performance.now();
  const { document, project } = await openRenderProject(job);
  checkJob(project, job);
  const render = new ProjectRender(project, job.cacheDir ?? cacheDirFor(job.projectFile), ctx, sessionFor(project, job.session), job.cacheOnly, writes);
  // Every picture the job reads, before any model is loaded: a bad one fails with its name now.
  await render.pictures.check(keyframesFor(project, job));
  const tracker = ctx.progress(1);
  tracker.report('loading model');
  const main = await render.model(false);
  const callsBefore = main.stats.unetCalls;

  if (job.scope.kind === 'keyframe' && job.seeds) return renderSeedVariants(render, document, job.scope.index, job.seeds, ctx, main, started);
  if (job.scope.kind === 'keyframe') {
    tracker.begin('denoising');
    const image = await render.still(job.scope.index);
    const file = await render.publish(image);
    ctx.event({ kind: 'frame', keyframe: job.scope.index, position: 0, index: 0, file, key: stillKeyOf(document, job.scope.index) });
    const calls = main.stats.unetCalls - callsBefore;
    return {
      kind: 'render', scope: job.scope, fromCache: calls === 0, provider: main.provider, modelName: main.info.name, transitions: [],
      stats: { unetCalls: calls, unetEvaluations: 0, computedEvaluations: calls, totalMs: performance.now() - started },
    };
  }

  return renderTransitions(render, { document, project }, job, ctx, { main, tracker, started });
}
