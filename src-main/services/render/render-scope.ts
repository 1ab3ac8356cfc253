import { EngineError } from '../../engine/errors';
import { assertNotSystemFolder } from '../../media/system-folders';
import { endKeyframeIndex } from '../../project/pacing';
import type { Project } from '../../project/schema';
import { sharesKeyframeWithPrevious } from '../transition-specs';
import type { RenderJob, RenderScopeSpec } from './render-spec';

/** Transitions to render for a scope; keyframe crossfeed chains pull in the earlier ones. */
export function transitionsFor(project: Project, scope: RenderScopeSpec): number[] {
  if (scope.kind === 'movie') return project.transitions.map((_, i) => i);
  if (scope.kind === 'keyframe') return [];
  let first = scope.index;
  // K(i) depends on K(i−1) through transition i−1's keyframe crossfeed: render that chain too.
  while (first > 0 && project.transitions[first - 1].crossfeed.keyframe && sharesKeyframeWithPrevious(project, first)) first--;
  return Array.from({ length: scope.index - first + 1 }, (_, i) => first + i);
}

/** Keyframes whose image or mask a job reads (a cache-only pass looks at every keyframe's still). */
export function keyframesFor(project: Project, job: RenderJob): number[] {
  if (job.scope.kind === 'movie' || job.cacheOnly) return project.keyframes.map((_, i) => i);
  if (job.scope.kind === 'keyframe') return [job.scope.index];
  return [...new Set(transitionsFor(project, job.scope).flatMap((t) => [t, endKeyframeIndex(project, t)]))];
}

export function checkJob(project: Project, { scope, framesDir, seeds }: RenderJob): void {
  if (framesDir && scope.kind !== 'movie') {
    // Checked before any diffusion, not after it.
    throw new EngineError('BAD_ARGUMENT', `Frames can only be written for the whole movie, not for a ${scope.kind}.`, { hint: "Render with scope 'movie', or leave out framesDir." });
  }
  if (framesDir) assertNotSystemFolder(framesDir, 'dir');
  if (scope.kind === 'keyframe' && (scope.index < 0 || scope.index >= project.keyframes.length)) {
    throw new EngineError('BAD_ARGUMENT', `Keyframe ${scope.index} does not exist (the project has ${project.keyframes.length}).`);
  }
  if (scope.kind === 'transition' && (scope.index < 0 || scope.index >= project.transitions.length)) {
    throw new EngineError('BAD_ARGUMENT', `Transition ${scope.index} does not exist (the project has ${project.transitions.length}).`);
  }
  if (seeds) checkSeedVariants(project, scope, seeds);
}

function checkSeedVariants(project: Project, scope: RenderScopeSpec, seeds: number[]): void {
  if (scope.kind !== 'keyframe') throw new EngineError('BAD_ARGUMENT', `Seeds can only be tried for a keyframe, not for a ${scope.kind}.`, { hint: "Render with scope 'keyframe', or leave out seeds." });
  if (seeds.length === 0) throw new EngineError('BAD_ARGUMENT', 'Trying seeds needs at least one seed.');
  if (project.keyframes[scope.index].image) {
    throw new EngineError('BAD_ARGUMENT', `Keyframe ${scope.index + 1} shows an imported picture, so its seed does not change its still.`, { hint: 'Remove the picture to try seeds.' });
  }
}
