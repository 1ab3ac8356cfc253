import { usesPerceptualProgress, type Easing } from '../engine/blend/easing';
import { describePick, fillFrames, frameImage, heldPicks, movieTimeline, type FrameKind, type FramePick } from '../engine/blend/fill-frames';
import { BuiltinPerceptualMetric } from '../engine/blend/perceptual';
import { EngineError } from '../engine/errors';
import { readPngFile } from '../media/png';
import type { RgbImage } from '../engine/image';
import { movieTiming, type MoviePacing, type MovieTiming } from '../engine/blend/movie-timing';
import type { Project } from '../project/schema';

/**
 * Rendered final images → the movie's frames at some fps (spec §4). One implementation for the
 * render job's frame folder, the CLI's export and the studio's export, so all three show the
 * same frames. No diffusion: fps and durations only re-time.
 */

export interface RenderedTransition {
  duration: number;
  /** Final images sorted by position, both keyframes included (positions 0 and 1). */
  frames: readonly { position: number; file: string }[];
  /** How its images are spread over its time (absent = linear); "even-perceived-speed" spreads them by perceptual distance. */
  easing?: Easing;
  /** Neighbours' perceptual distances when the render measured them (adaptive trees); else measured here. */
  distances?: readonly number[];
}

export interface MovieFrame {
  image: RgbImage;
  transition: number;
  /** Position f in the transition; a crossfade's is interpolated between its two images. */
  position: number;
  kind: FrameKind;
}

export interface MoviePlan {
  fps: number;
  totalFrames: number;
  /** Where each keyframe and transition sits (the one timing rule: engine/blend/movie-timing). */
  timing: MovieTiming;
  /** Per transition, which final image (or crossfade of two) each of its frames shows. */
  picks: FramePick[][];
  timeline: ReturnType<typeof movieTimeline>['frames'];
  transitions: readonly RenderedTransition[];
  /** Decodes one transition's final images, keeping only the last transition's in memory. */
  images: (transition: number) => Promise<RgbImage[]>;
}

/** How the rendered final images become a movie at `fps` (deterministic); `pacing`: holds and loop (projectPacing). */
export async function planMovie(transitions: readonly RenderedTransition[], fps: number, pacing: MoviePacing = {}): Promise<MoviePlan> {
  const images = finalImages(transitions);
  const timing = movieTiming(transitions.map((t) => t.duration), fps, pacing);
  const picks: FramePick[][] = [];
  for (const [t, transition] of transitions.entries()) {
    const positions = transition.frames.map((f) => f.position);
    const count = timing.transitions[t].samples;
    let distances = transition.distances;
    const perceptual = usesPerceptualProgress(transition.easing);
    if (perceptual && !distances) {
      // Fixed trees have no distances: measure neighbouring final images with the built-in metric.
      distances = await neighbourDistances(await images(t));
    }
    const motion = fillFrames(positions, count, perceptual ? { distances } : { easing: transition.easing });
    picks.push(heldPicks(motion, timing.transitions[t]));
  }
  const { totalFrames, frames } = movieTimeline(timing);
  return { fps, totalFrames, timing, picks, timeline: frames, transitions, images };
}

/**
 * Perceptual distance of each neighbouring pair of final images (built-in metric): how equal
 * perceptual spacing spreads frames in the studio's export, and in its player (renders.frames).
 */
export async function neighbourDistances(images: readonly RgbImage[]): Promise<number[]> {
  const metric = new BuiltinPerceptualMetric();
  return Promise.all(images.slice(1).map((img, j) => metric.distance(images[j], img)));
}

/** neighbourDistances of a transition's final image files, in position order. */
export async function neighbourDistancesOfFiles(files: readonly string[]): Promise<number[]> {
  return neighbourDistances(await Promise.all(files.map((f) => readPngFile(f))));
}

/** The movie's frames in order, decoded lazily: one transition's final images in memory at a time. */
export async function* movieFrames(plan: MoviePlan, signal?: AbortSignal): AsyncGenerator<MovieFrame> {
  for (const { transition, frame } of plan.timeline) {
    if (signal?.aborted) throw new EngineError('CANCELLED', 'Writing frames was cancelled.');
    const pick = plan.picks[transition][frame];
    const image = frameImage(pick, await plan.images(transition));
    const { position, kind } = describePick(pick, plan.transitions[transition].frames.map((f) => f.position));
    yield { image, transition, position, kind };
  }
}

/** Just the pictures, e.g. for media.exportVideo. */
export async function* movieImages(plan: MoviePlan, signal?: AbortSignal): AsyncGenerator<RgbImage> {
  for await (const { image } of movieFrames(plan, signal)) yield image;
}

function finalImages(transitions: readonly RenderedTransition[]): (transition: number) => Promise<RgbImage[]> {
  let loaded: { transition: number; images: Promise<RgbImage[]> } | undefined;
  return (transition) => {
    if (loaded?.transition !== transition) {
      loaded = { transition, images: Promise.all(transitions[transition].frames.map((f) => readPngFile(f.file))) };
    }
    return loaded.images;
  };
}

/** A project's transitions with their final images (positions and files in the same order). */
export function renderedTransitions(project: Project, finals: readonly FinalImages[]): RenderedTransition[] {
  return project.transitions.map((t, i) => ({
    duration: t.duration,
    frames: finals[i].positions.map((position, j) => ({ position, file: finals[i].files[j] })),
    easing: t.easing,
    distances: finals[i].distances,
  }));
}

export interface FinalImages {
  readonly positions: readonly number[];
  readonly files: readonly string[];
  readonly distances?: readonly number[];
}
