import type { TransitionResult } from '../../engine/blend/transition';
import type { JobContext } from '../../engine/jobs/context';
import type { ProgressTracker } from '../../engine/jobs/progress';
import type { StableDiffusion } from '../../engine/sd/types';
import type { Project } from '../../project/schema';
import type { FinalImages } from '../movie-frames';
import { keyframeCostsSteps, planTransition, sharesKeyframeWithPrevious, stillKeyOf, transitionKeyOf } from '../transition-specs';
import { isNotCached } from './cache-only-view';
import { writeMovieFrames } from './frame-folders';
import type { ProjectRender } from './project-render';
import type { FrameEvent, RenderEvent } from './render-events';
import { transitionsFor } from './render-scope';
import type { RenderJob, RenderJobResult } from './render-spec';

/**
 * A movie or transition scope: the transitions in order (a keyframe crossfeed chain pulls in
 * the earlier ones), each image announced as it is published, keyframe trajectories shared
 * along the movie, progress over all of them; then the movie's frame folder when asked for.
 * A cache-only pass announces the stills and the transitions the cache holds whole.
 */
export async function renderTransitions(
  render: ProjectRender,
  opened: { document: Project; project: Project },
  job: RenderJob,
  ctx: JobContext<RenderEvent>,
  run: { main: StableDiffusion; tracker: ProgressTracker; started: number },
): Promise<RenderJobResult> {
  const { document, project } = opened;
  const { main, tracker, started } = run;
  const callsBefore = main.stats.unetCalls;
  const indices = transitionsFor(project, job.scope);
  const emitted = new Set(job.scope.kind === 'movie' ? indices : [job.scope.index]);
  // Progress over all transitions: totals are known per transition once its plan is made.
  const totals = new Map<number, number>(indices.map((i) => [i, planTransition(project, i, { tStep: 1, tDecode: 0 }).unetEvaluations]));
  const done = new Map<number, number>();
  const computed = new Map<number, number>();
  const sum = (m: Map<number, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  // Cached evaluations count as done, not as speed: the ETA comes from what this run computes.
  const report = () => tracker.set('rendering', sum(done), sum(totals), sum(computed));
  tracker.begin('rendering');
  const results: RenderJobResult['transitions'] = [];
  const finals: FinalImages[] = [];
  let previous: TransitionResult | undefined;
  let unetEvaluations = 0;
  let computedEvaluations = 0;
  if (job.cacheOnly) {
    // Keyframe thumbnails too, where their stills were rendered before.
    for (let k = 0; k < project.keyframes.length; k++) {
      const image = await render.still(k).catch((error: unknown) => {
        if (isNotCached(error)) return undefined;
        throw error;
      });
      if (image) ctx.event({ kind: 'frame', keyframe: k, position: 0, index: 0, file: await render.publish(image), key: stillKeyOf(document, k) });
    }
  }
  for (const i of indices) {
    const key = transitionKeyOf(document, i);
    const files: { position: number; file: string }[] = [];
    const held: FrameEvent[] = [];
    const rendered = render.transition(
      i,
      previous,
      async (position, image, imageIndex) => {
        const file = await render.publish(image);
        files.push({ position, file });
        const event: FrameEvent = { kind: 'frame', transition: i, position, index: imageIndex, file, key };
        // A cache-only pass announces a transition only once all of it was found.
        if (emitted.has(i)) (job.cacheOnly ? held.push(event) : ctx.event(event));
      },
      (d, t, c) => {
        done.set(i, d);
        totals.set(i, t);
        computed.set(i, c);
        report();
      },
    );
    const result = job.cacheOnly
      ? await rendered.catch((error: unknown) => {
          if (isNotCached(error)) return undefined;
          throw error;
        })
      : await rendered;
    if (!result) {
      previous = undefined;
      continue;
    }
    for (const event of held) ctx.event(event);
    // The shared keyframe was computed by the previous transition: count it once, as plan does.
    const sharedSteps = previous && sharesKeyframeWithPrevious(project, i) && keyframeCostsSteps(project, i) ? result.steps : 0;
    previous = result;
    files.sort((a, b) => a.position - b.position);
    unetEvaluations += result.unetEvaluations - sharedSteps;
    computedEvaluations += result.computedEvaluations;
    const positions = files.map((f) => f.position);
    results.push({ index: i, images: files.length, unetEvaluations: result.unetEvaluations, computedEvaluations: result.computedEvaluations, positions, files: files.map((f) => f.file) });
    finals[i] = { positions, files: files.map((f) => f.file), distances: result.distances };
  }
  const out: RenderJobResult = {
    kind: 'render',
    scope: job.scope,
    fromCache: computedEvaluations === 0,
    provider: main.provider,
    modelName: main.info.name,
    transitions: results.filter((r) => emitted.has(r.index)),
    stats: { unetCalls: main.stats.unetCalls - callsBefore, unetEvaluations, computedEvaluations, totalMs: 0 },
  };
  if (job.framesDir) {
    tracker.report('writing frames');
    out.frames = await writeMovieFrames(project, finals, job.framesDir, ctx.signal);
    out.framesDir = job.framesDir;
  }
  out.stats.totalMs = performance.now() - started;
  return out;
}

