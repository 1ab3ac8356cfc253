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
 * Holds (docs/project-format.md, "Timing"): keyframe k may stay on screen h_k seconds before
 * its next transition starts. Holds count in the running time: t_k is the sum of the holds and
 * durations before keyframe k, T the sum of all of them, and keyframe k still lands on frame
 * round(t_k · fps). Its transition starts moving on frame round((t_k + h_k) · fps); the frames
 * in between belong to that transition (its `hold`) and show keyframe k. The last keyframe's
 * hold comes after the last transition (its `tail`), which then ends on the last keyframe's
 * own frame instead of the movie's last.
 *
 * Loop: one more transition, from the last keyframe back to the first, ends where the movie
 * starts again: its end keyframe would be frame totalFrames, which is frame 0 of the next
 * pass, so the last frame steps into the first like any other frame.
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
  /** Leading frames that hold keyframe `index` before the transition moves (its hold); 0 without one. */
  readonly hold?: number;
  /** Trailing frames that hold the end keyframe (the last keyframe's hold); 0 but for the last transition. */
  readonly tail?: number;
}

/** Re-timing that never re-renders: holds per keyframe and the loop-back transition. */
export interface MoviePacing {
  /** Seconds each keyframe stays on screen before its next transition starts (one per keyframe; absent = none). */
  readonly holds?: readonly number[];
  /**
   * A transition from the last keyframe back to the first closes the movie: `durations` then has
   * one entry per keyframe, the last being that loop-back transition.
   */
  readonly loop?: boolean;
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

/**
 * The movie's frame layout for transitions of `durations` seconds at `fps`. Without a loop
 * there is one keyframe more than transitions; with `pacing.loop`, one per transition.
 */
export function movieTiming(durations: readonly number[], fps: number, pacing: MoviePacing = {}): MovieTiming {
  checkFps('movieTiming', fps);
  durations.forEach((d, i) => {
    if (!(typeof d === 'number' && Number.isFinite(d) && d > 0)) throw badArgument('movieTiming', `durations[${i}] must be a positive number of seconds, got ${String(d)}`);
  });
  const n = durations.length;
  const loop = pacing.loop === true;
  const keyframeCount = loop ? n : n + 1;
  if (loop && n < 2) throw badArgument('movieTiming', `a looping movie needs at least 2 keyframes (one transition each), got ${n}`);
  const holds = pacing.holds ?? [];
  if (pacing.holds !== undefined && holds.length !== keyframeCount) {
    throw badArgument('movieTiming', `holds must have one entry per keyframe (${keyframeCount}), got ${holds.length}`);
  }
  holds.forEach((h, i) => {
    if (!(typeof h === 'number' && Number.isFinite(h) && h >= 0)) throw badArgument('movieTiming', `holds[${i}] must be a number of seconds ≥ 0, got ${String(h)}`);
  });
  const holdOf = (k: number) => holds[k] ?? 0;
  if (n === 0) {
    const frames = Math.max(1, framesAt(holdOf(0), fps));
    return { fps, totalFrames: frames, keyframeFrames: [0], transitions: [] };
  }
  // Running time summed in order (as the timeline does): keyframe frames and motion starts.
  // Each transition moves for at least one frame, so nothing is shown twice or skipped.
  const keyframeFrames: number[] = [0];
  const moveFrom: number[] = [];
  let t = 0;
  for (let k = 0; k < n; k++) {
    t += holdOf(k);
    moveFrom.push(Math.max(framesAt(t, fps), keyframeFrames[k]));
    t += durations[k];
    if (k + 1 < keyframeCount) keyframeFrames.push(Math.max(framesAt(t, fps), moveFrom[k] + 1));
  }
  let totalFrames: number;
  let tail = 0;
  if (loop) {
    totalFrames = Math.max(framesAt(t, fps), moveFrom[n - 1] + 1);
  } else {
    t += holdOf(n);
    // The last keyframe needs its own frame: past the end without a hold, it takes the last one.
    totalFrames = Math.max(framesAt(t, fps), moveFrom[n - 1] + 2);
    keyframeFrames[n] = Math.min(keyframeFrames[n], totalFrames - 1);
    tail = totalFrames - 1 - keyframeFrames[n];
  }
  const transitions = durations.map((_, index) => {
    const start = index === 0 ? 0 : keyframeFrames[index];
    const hold = moveFrom[index] - start;
    const last = index === n - 1;
    const end = last ? (loop ? totalFrames : keyframeFrames[n]) : keyframeFrames[index + 1];
    const moving = end - moveFrom[index];
    // The end keyframe is the next transition's first frame, except the last one of a movie that does not loop.
    const endShownHere = last && !loop;
    const frames = hold + moving + (endShownHere ? 1 + tail : 0);
    const held = endShownHere ? tail : 0;
    // Only present when there is one, so an unpaced movie's layout reads as before holds existed.
    return { index, start, frames, samples: moving + 1, ...(hold > 0 ? { hold } : {}), ...(held > 0 ? { tail: held } : {}) };
  });
  return { fps, totalFrames, keyframeFrames, transitions };
}

/**
 * Position f (0 = keyframe A, 1 = keyframe B) of a transition's frame j (0 ≤ j < frames), as
 * time runs (before easing): 0 while A is held, 1 while B is.
 */
export function positionOfFrame(transition: TransitionTiming, j: number): number {
  const u = (j - (transition.hold ?? 0)) / (transition.samples - 1);
  return Math.min(1, Math.max(0, u));
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
