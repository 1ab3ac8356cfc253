import { ProgressTracker } from '../../engine/jobs/progress';
import type { JobContext } from '../../engine/jobs/context';
import type { StableDiffusion } from '../../engine/sd/types';
import type { Project } from '../../project/schema';
import { stillKeyOf } from '../transition-specs';
import type { ProjectRender } from './project-render';
import type { RenderEvent } from './render-events';
import type { RenderJobResult } from './render-spec';

/**
 * "Try seeds": keyframe `index`'s still once per seed, in order, each through the same cached
 * path as a normal keyframe render with that seed. Progress spans all of them, so the ETA is
 * measured over the whole job.
 */
export async function renderSeedVariants(render: ProjectRender, document: Project, index: number, seeds: number[], ctx: JobContext<RenderEvent>, main: StableDiffusion, started: number): Promise<RenderJobResult> {
  const callsBefore = main.stats.unetCalls;
  // Units are the stills' own steps (known once the first still reports), so the ETA is
  // measured from the first steps on, not only after a few whole stills.
  let perStill = 1;
  const overall = ctx.progress(seeds.length);
  overall.begin('denoising');
  for (const [n, seed] of seeds.entries()) {
    const phase = `denoising seed ${n + 1} of ${seeds.length}`;
    const stillCtx: JobContext<RenderEvent> = {
      ...ctx,
      progress: (total) =>
        new ProgressTracker(total, (p) => {
          perStill = Math.max(1, p.total);
          overall.set(phase, n * perStill + Math.min(p.done, perStill), seeds.length * perStill);
        }),
    };
    const image = await render.still(index, seed, stillCtx);
    overall.set(phase, (n + 1) * perStill, seeds.length * perStill);
    ctx.event({ kind: 'variant', keyframe: index, seed, file: await render.publish(image), key: stillKeyOf(document, index, seed) });
  }
  const calls = main.stats.unetCalls - callsBefore;
  return {
    kind: 'render', scope: { kind: 'keyframe', index }, fromCache: calls === 0, provider: main.provider, modelName: main.info.name, transitions: [],
    stats: { unetCalls: calls, unetEvaluations: 0, computedEvaluations: calls, totalMs: performance.now() - started },
  };
}
