/**
 * Where every frame of a movie sits in time — the one rule the player, the timeline, `plan`,
 * `frames.json` and every export share (docs/project-format.md, "Timing").
 *
 * With t_k the sum of the durations before keyframe k and T the sum of all durations, keyframe
 * k is shown at frame round(t_k · fps) and the movie has round(T · fps) frames, frame n lasting
 * from n/fps to (n + 1)/fps. Creators cut to music: a keyframe lands on its second, and a
 * movie of 3 × 3 s at 24 fps is 216 frames, not one frame shorter per join.
 *
 * Transition i (keyframe i → i + 1) covers the frames from keyframe i's frame up to, not
 * including, keyframe i + 1's: its frame j is at position f = j / frames. The last keyframe
 * would fall on frame round(T · fps), one past the end, so the last transition ends on it
 * instead: its last frame (the movie's last) shows the last keyframe and its frame j is at
 * f = j / (frames − 1).
 *
 * Too short to hold a frame (duration · fps below 1): a transition still shows its first
 * keyframe for one frame and the last transition its two keyframes, so the keyframes after it
 * move later by the frames that takes. Nothing is ever shown twice or skipped.
 *
 * Pure: the renderer bundles it through the contract.
 */
import { badArgument } from './errors';

export interface TransitionTiming {
  /** Transition index (between keyframe `index` and `index + 1`). */
  readonly index: number;
  /** Movie frame of its first frame, which shows keyframe `index`. */
  readonly start: number;
  /** Movie frames it covers. */
  readonly frames: number;
  /**
   * Frames to place its final images on, both keyframes included: `frames + 1` for all but
   * the last transition, whose end keyframe is the next transition's first frame; `frames`
   * for the last. Movie frame `start + j` shows sample j, at f = j / (samples − 1).
   */
  readonly samples: number;
}

export interface MovieTiming {
  readonly fps: number;
  /** Frames of the whole movie: round(Σ durations · fps). */
  readonly totalFrames: number;
  /** The frame that shows keyframe k; the last keyframe's is the movie's last frame. */
  readonly keyframeFrames: readonly number[];
  readonly transitions: readonly TransitionTiming[];
}

/**
 * round(seconds · fps), ties up. The tolerance keeps values that float arithmetic lands a hair
 * below an integer or a half (0.29 · 100 = 28.999999999999996) on the side their decimal
 * value is on.
 */
export function framesAt(seconds: number, fps: number): number {
  return Math.floor(seconds * fps + 0.5 + 1e-9);
}

function checkFps(where: string, fps: number): void {
  if (!(typeof fps === 'number' && Number.isFinite(fps) && fps > 0)) throw badArgument(where, `fps must be a positive number, got ${String(fps)}`);
}

/** The movie's frame layout for transitions of `durations` seconds at `fps`. */
export function movieTiming(durations: readonly number[], fps: number): MovieTiming {
  checkFps('movieTiming', fps);
  durations.forEach((d, i) => {
    if (!(typeof d === 'number' && Number.isFinite(d) && d > 0)) throw badArgument('movieTiming', `durations[${i}] must be a positive number of seconds, got ${String(d)}`);
  });
  const n = durations.length;
  if (n === 0) return { fps, totalFrames: 1, keyframeFrames: [0], transitions: [] };
  // Keyframe frames from the running sum of durations (summed in order, as the timeline does).
  const keyframeFrames: number[] = [0];
  let t = 0;
  for (let k = 1; k < n; k++) {
    t += durations[k - 1];
    keyframeFrames.push(Math.max(framesAt(t, fps), keyframeFrames[k - 1] + 1));
  }
  t += durations[n - 1];
  const totalFrames = Math.max(framesAt(t, fps), keyframeFrames[n - 1] + 2);
  keyframeFrames.push(totalFrames - 1);
  const transitions = durations.map((_, index) => {
    const start = keyframeFrames[index];
    const last = index === n - 1;
    const frames = last ? totalFrames - start : keyframeFrames[index + 1] - start;
    return { index, start, frames, samples: last ? frames : frames + 1 };
  });
  return { fps, totalFrames, keyframeFrames, transitions };
}

/** Position f (0 = keyframe A, 1 = keyframe B) of a transition's frame j (0 ≤ j < frames). */
export function positionOfFrame(transition: TransitionTiming, j: number): number {
  return j / (transition.samples - 1);
}

/** What movie frame `frame` shows: its transition and frame within it (clamped to the movie). */
export function frameInMovie(timing: MovieTiming, frame: number): { transition: number; frame: number } | null {
  if (timing.transitions.length === 0) return null;
  const n = Math.min(Math.max(0, Math.round(frame)), timing.totalFrames - 1);
  // Transitions are sorted by start: binary search for the last one starting at or before n.
  let lo = 0;
  let hi = timing.transitions.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (timing.transitions[mid].start <= n) lo = mid;
    else hi = mid - 1;
  }
  return { transition: lo, frame: n - timing.transitions[lo].start };
}
