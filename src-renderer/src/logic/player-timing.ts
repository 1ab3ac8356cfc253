/**
 * Player timing: where each transition sits in the movie, frame index ↔ time, and which
 * rendered image stands in for a frame while a transition is still filling in.
 *
 * Frame layout: the engine's one timing rule (engine/blend/movie-timing, through the contract),
 * so the player, the timeline and every export agree on every frame — keyframe k on frame
 * round(t_k · fps), round(Σ durations · fps) frames, the last keyframe on the last frame.
 */
import {
  MIN_FINAL_IMAGES,
  fastFinalImages,
  fillFrames,
  heldPicks,
  movieTiming,
  positionOfFrame,
  presetFinalImages,
  transitionFrameCount,
  type Easing,
  type FramePick,
  type MoviePacing,
  type QualityPreset,
  type TransitionTiming,
} from '../../../src-main/contract/contract';

/** A transition's place in the movie: the engine's timing rule (movieTiming), as the player uses it. */
export type TransitionSpan = TransitionTiming;

export interface MovieLayout {
  readonly fps: number;
  readonly spans: readonly TransitionSpan[];
  readonly totalFrames: number;
  /** The frame that shows keyframe k. */
  readonly keyframeFrames: readonly number[];
}

/** Frames a transition of this duration plans its final images for (the quality presets' input). */
export function framesForDuration(durationSeconds: number, fps: number): number {
  return transitionFrameCount(durationSeconds, fps);
}

/** `pacing`: the project's holds and loop, so the player lays frames out as every export does. */
export function layoutMovie(durations: readonly number[], fps: number, pacing: MoviePacing = {}): MovieLayout {
  const timing = movieTiming(durations, fps, pacing);
  return { fps, spans: timing.transitions, totalFrames: timing.totalFrames, keyframeFrames: timing.keyframeFrames };
}

/**
 * The frame on screen at `seconds`. A small tolerance keeps exact multiples of 1/fps (which
 * floating point can land a hair below) on their own frame rather than the previous one.
 */
export function frameAtTime(seconds: number, fps: number): number {
  return Math.max(0, Math.floor(seconds * fps + 1e-6));
}

export function timeOfFrame(frame: number, fps: number): number {
  return frame / fps;
}

export function clampFrame(frame: number, layout: MovieLayout): number {
  return Math.min(Math.max(0, Math.round(frame)), layout.totalFrames - 1);
}

/** What a movie frame shows: a keyframe, or position f inside a transition. */
export type FrameLocation =
  | { readonly kind: 'keyframe'; readonly keyframe: number }
  | { readonly kind: 'transition'; readonly transition: number; readonly f: number };

export function locateFrame(frame: number, layout: MovieLayout): FrameLocation {
  const n = clampFrame(frame, layout);
  if (layout.spans.length === 0) return { kind: 'keyframe', keyframe: 0 };
  // Spans are sorted by start: binary search for the last one starting at or before n.
  let lo = 0;
  let hi = layout.spans.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (layout.spans[mid].start <= n) lo = mid;
    else hi = mid - 1;
  }
  const span = layout.spans[lo];
  const f = positionOfFrame(span, n - span.start);
  // Held frames show their keyframe; a looping movie's last transition ends on keyframe 0.
  if (f <= 0) return { kind: 'keyframe', keyframe: span.index };
  if (f >= 1) return { kind: 'keyframe', keyframe: (span.index + 1) % layout.keyframeFrames.length };
  return { kind: 'transition', transition: span.index, f };
}

export interface RenderedImage {
  /** Position along the transition, 0 = keyframe A, 1 = keyframe B. */
  readonly f: number;
  readonly url: string;
}

/**
 * The rendered image that stands in for position f: the nearest one by f (ties go to the
 * earlier image, so playback never shows the future). With more images the choice gets
 * finer, which is how a transition "fills in coarse to fine" while it renders. `null` when
 * nothing is rendered yet.
 */
export function nearestImage(images: readonly RenderedImage[], f: number): RenderedImage | null {
  let best: RenderedImage | null = null;
  let bestDistance = Infinity;
  for (const image of images) {
    const d = Math.abs(image.f - f);
    if (d < bestDistance - 1e-12 || (Math.abs(d - bestDistance) <= 1e-12 && best !== null && image.f < best.f)) {
      best = image;
      bestDistance = d;
    }
  }
  return best;
}

/** A picture on screen: one image, or a crossfade drawn as `overlay` over `url` at opacity `alpha`. */
export interface ShownImage {
  readonly url: string;
  readonly overlay?: { readonly url: string; readonly alpha: number };
}

/**
 * How a finished transition's images fill its frames: the export's own fill-up (fillFrames over
 * the transition's samples, spread by `distances` under equal perceptual spacing), so frame j
 * of the player is frame j of every export. `null` when
 * the images cannot be placed (both keyframe ends needed, positions strictly increasing).
 */
export function finishedTransitionPicks(
  images: readonly RenderedImage[],
  span: TransitionSpan,
  distances?: readonly number[],
  easing?: Easing,
): FramePick[] | null {
  const positions = images.map((i) => i.f);
  if (positions.length < 2 || positions[0] !== 0 || positions[positions.length - 1] !== 1) return null;
  if (positions.some((f, i) => i > 0 && !(f > positions[i - 1]))) return null;
  if (distances && distances.length !== positions.length - 1) return null;
  // One pick per frame the span covers: its holds around the export's fill-up (heldPicks).
  return heldPicks(fillFrames(positions, span.samples, distances ? { distances } : { easing }), span);
}

/** The picture of a transition's frame j under the export's picks. */
export function pickedImage(picks: readonly FramePick[], images: readonly RenderedImage[], j: number): ShownImage {
  const pick = picks[Math.min(Math.max(0, j), picks.length - 1)];
  if (pick.kind === 'image') return { url: images[pick.index].url };
  return { url: images[pick.from].url, overlay: { url: images[pick.to].url, alpha: pick.alpha } };
}

/**
 * Stretches of a transition still waiting for images: the gaps between consecutive rendered
 * images (keyframe ends included) that are wider than the spacing of a finished render with
 * `expectedImages` images. Returned as merged `[from, to]` ranges of f; a finished transition
 * has none. Frames between final images are crossfades by design, so only missing *images*
 * count, not missing frames.
 */
export function unrenderedStretches(
  images: readonly RenderedImage[],
  expectedImages: number,
  finished: boolean,
): Array<[number, number]> {
  if (finished) return [];
  const fs = images.map((i) => i.f).sort((a, b) => a - b);
  if (fs.length === 0) return [[0, 1]];
  const spacing = 1 / Math.max(1, expectedImages - 1);
  const edges = [0, ...fs, 1];
  const out: Array<[number, number]> = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const [a, b] = [edges[i], edges[i + 1]];
    const missingEdge = (i === 0 && fs[0] > 0) || (i + 2 === edges.length && fs[fs.length - 1] < 1);
    if (b - a > spacing + 1e-9 || (missingEdge && b > a)) {
      const last = out[out.length - 1];
      if (last && Math.abs(last[1] - a) < 1e-12) last[1] = b;
      else out.push([a, b]);
    }
  }
  return out;
}

/** Whether position f lies inside one of the stretches. */
export function inStretches(stretches: ReadonlyArray<readonly [number, number]>, f: number): boolean {
  return stretches.some(([a, b]) => f > a + 1e-12 && f < b - 1e-12);
}

/**
 * "1:02.54" style clock at `frame`: minutes, seconds and hundredths of a second. Decimal
 * seconds rather than a frame count after the dot: "0:02.23" must not read as 2.23 s when it
 * means 2 s and 23 frames, and a creator lines cuts up with music in seconds.
 */
export function formatTimecode(frame: number, fps: number): string {
  const centis = Math.round((Math.max(0, frame) / fps) * 100);
  const seconds = Math.floor(centis / 100);
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${String(s).padStart(2, '0')}.${String(centis % 100).padStart(2, '0')}`;
}

/**
 * The frame to show `elapsedSeconds` after playback started at `startFrame`, at `rate` times
 * normal speed (negative plays backwards: the J of J/K/L). Playback is paced by the clock, not
 * by counting animation frames, so a slow display drops frames instead of playing slower.
 */
export function playbackFrame(
  startFrame: number,
  elapsedSeconds: number,
  fps: number,
  totalFrames: number,
  loop: boolean,
  rate = 1,
): { frame: number; ended: boolean } {
  const moved = frameAtTime(elapsedSeconds * Math.abs(rate), fps) * Math.sign(rate);
  const frame = startFrame + moved;
  if (frame >= 0 && frame < totalFrames) return { frame, ended: false };
  if (loop) return { frame: ((frame % totalFrames) + totalFrames) % totalFrames, ended: false };
  return { frame: frame < 0 ? 0 : totalFrames - 1, ended: true };
}

/** J/K/L shuttle: L speeds up forwards (1, 2, 4×), J backwards, K stops; reversing starts at 1×. */
export function shuttleRate(current: number, key: 'j' | 'k' | 'l'): number {
  if (key === 'k') return 0;
  const dir = key === 'l' ? 1 : -1;
  if (Math.sign(current) !== dir) return dir;
  return dir * Math.min(4, Math.abs(current) * 2);
}

export type TransitionModeLike =
  | { readonly kind: 'fixed'; readonly preset: QualityPreset }
  | { readonly kind: 'adaptive'; readonly budgetSeconds?: number; readonly maxImages?: number }
  | { readonly kind: 'fast'; readonly branches?: number; readonly budgetSeconds?: number; readonly maxImages?: number };

/**
 * Final images a finished transition will have (the engine's preset table, never fewer than
 * MIN_FINAL_IMAGES); an adaptive transition up to its maxImages, else (time budget only) one
 * per frame at most.
 */
export function expectedFinalImages(mode: TransitionModeLike, frames: number): number {
  // Fast (few-step models): its count, else as many images as medium (quality.ts fastFinalImages).
  if (mode.kind === 'fast') return mode.branches ?? (mode.maxImages !== undefined || mode.budgetSeconds !== undefined ? Math.max(MIN_FINAL_IMAGES, Math.min(mode.maxImages ?? frames, frames)) : fastFinalImages(frames));
  if (mode.kind === 'adaptive') return Math.max(MIN_FINAL_IMAGES, Math.min(mode.maxImages ?? frames, frames));
  return Math.max(MIN_FINAL_IMAGES, presetFinalImages(mode.preset, frames));
}
