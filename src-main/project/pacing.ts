import type { MoviePacing } from '../engine/blend/movie-timing';
import type { Project } from './schema';

/**
 * The re-timing a project asks for beyond its durations: keyframe holds and the loop-back
 * transition. Every place that lays out the movie (export, frames.json, plan, CLI,
 * player) passes this to movieTiming, so they agree on every frame.
 */
export function projectPacing(project: Pick<Project, 'keyframes'> & { loop?: boolean }): MoviePacing {
  return { holds: project.keyframes.map((k) => k.hold), loop: project.loop === true };
}

/**
 * The keyframe transition `index` ends on: the next one, or keyframe 0 for the loop-back
 * transition of a looping project (the last transition when `loop` is set).
 */
export function endKeyframeIndex(project: Pick<Project, 'keyframes'>, index: number): number {
  return (index + 1) % project.keyframes.length;
}
