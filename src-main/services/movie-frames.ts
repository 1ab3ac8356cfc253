import { readFile } from 'node:fs/promises';
import { fillFrames, frameImage, movieTimeline, type FramePick } from '../engine/blend/fill-frames';
import { decodePng, type RgbImage } from '../media/png';
import { transitionFrameCount } from '../project/quality';

export interface RenderedTransition {
  duration: number;
  /** Final images sorted by position, both keyframes included (positions 0 and 1). */
  frames: readonly { position: number; file: string }[];
}

export interface MoviePlan {
  totalFrames: number;
  /** Per transition, which final image (or crossfade of two) each of its frames shows. */
  picks: FramePick[][];
  timeline: ReturnType<typeof movieTimeline>['frames'];
}

/** How the rendered final images become a movie at `fps` (no diffusion: fps and durations only re-time). */
export function planMovie(transitions: readonly RenderedTransition[], fps: number): MoviePlan {
  const counts = transitions.map((t) => transitionFrameCount(t.duration, fps));
  const picks = transitions.map((t, i) => fillFrames(t.frames.map((f) => f.position), counts[i]));
  const { totalFrames, frames } = movieTimeline(counts.map((frameCount) => ({ frameCount })));
  return { totalFrames, picks, timeline: frames };
}

/** The movie's frames, decoded lazily: only one transition's final images are in memory at a time. */
export async function* movieFrames(transitions: readonly RenderedTransition[], plan: MoviePlan): AsyncGenerator<RgbImage> {
  let loaded = -1;
  let images: RgbImage[] = [];
  for (const { transition, frame } of plan.timeline) {
    if (transition !== loaded) {
      images = await Promise.all(transitions[transition].frames.map(async (f) => decodePng(await readFile(f.file))));
      loaded = transition;
    }
    yield frameImage(plan.picks[transition][frame], images);
  }
}
