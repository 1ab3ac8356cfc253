/**
 * Placing a transition's final images in time (spec §4). A transition needs a fixed number of
 * frames; the final images are shown once each, in order, and the frames in between are pixel
 * crossfades of the two neighbours. Extra frames go to the gaps in proportion to how far apart
 * the neighbours are — in f, or in perceptual distance to move at an even perceived speed —
 * rounded by largest remainder (ties to the earlier gap), so the same input always gives the
 * same frames. (The original drew the split at random, spec §6.)
 */
import type { RgbImage } from '../image';
import { easedGapWeights, type Easing } from './easing';
import { badArgument, requireInteger } from './errors';
import type { MovieTiming, TransitionTiming } from './movie-timing';

export type FramePick =
  | { readonly kind: 'image'; readonly index: number }
  | { readonly kind: 'crossfade'; readonly from: number; readonly to: number; readonly alpha: number };

export interface FillOptions {
  /** Perceptual distance of each neighbouring pair (length = images − 1): frames are spread by it. */
  readonly distances?: readonly number[];
  /**
   * How the transition's progress advances over its time (engine/blend/easing): each gap gets
   * the time the curve takes to cross it. Absent or linear: time in proportion to the gap.
   */
  readonly easing?: Easing;
}

export function fillFrames(finalPositions: readonly number[], frameCount: number, options: FillOptions = {}): FramePick[] {
  const where = 'fillFrames';
  const M = finalPositions.length;
  if (M < 2) throw badArgument(where, `need at least 2 final images, got ${M}`);
  for (let i = 1; i < M; i++) {
    if (!(finalPositions[i] > finalPositions[i - 1])) {
      throw badArgument(where, `finalPositions must be strictly increasing; entry ${i} is ${finalPositions[i]} after ${finalPositions[i - 1]}`);
    }
  }
  requireInteger(where, 'frameCount', frameCount, 2);
  const weights = easedWeights(gapWeights(finalPositions, options.distances), options.easing);
  if (frameCount < M) return pickSubset(weights, frameCount);

  const extra = distributeLargestRemainder(frameCount - M, weights);
  const out: FramePick[] = [];
  for (let i = 0; i < M; i++) {
    out.push({ kind: 'image', index: i });
    if (i === M - 1) break;
    for (let j = 1; j <= extra[i]; j++) out.push({ kind: 'crossfade', from: i, to: i + 1, alpha: j / (extra[i] + 1) });
  }
  return out;
}

function gapWeights(positions: readonly number[], distances: readonly number[] | undefined): number[] {
  const gaps = positions.slice(1).map((p, i) => p - positions[i]);
  if (!distances) return gaps;
  if (distances.length !== gaps.length) {
    throw badArgument('fillFrames', `distances must have one entry per neighbouring pair (${gaps.length}), got ${distances.length}`);
  }
  distances.forEach((d, i) => {
    if (!Number.isFinite(d) || d < 0) throw badArgument('fillFrames', `distances[${i}] must be a finite number ≥ 0, got ${d}`);
  });
  // Identical images everywhere: nothing to weigh by, so fall back to equal time per gap.
  return distances.some((d) => d > 0) ? [...distances] : distances.map(() => 1);
}

function easedWeights(weights: number[], easing: Easing | undefined): number[] {
  // Linear curves keep the plain gaps, so frames stay exactly as they were before easing existed.
  if (!easing || easing.curve === 'linear' || easing.curve === 'even-perceived-speed') return weights;
  return easedGapWeights(weights, easing);
}

/**
 * A transition's picks for every movie frame it covers: its start keyframe held for
 * `timing.hold` frames, the moving picks (fillFrames over `timing.samples`, minus the end
 * keyframe when the next transition shows it), then the end keyframe held for `timing.tail`.
 */
export function heldPicks(motion: readonly FramePick[], timing: TransitionTiming): FramePick[] {
  const hold = timing.hold ?? 0;
  const tail = timing.tail ?? 0;
  if (motion.length !== timing.samples) throw badArgument('heldPicks', `need ${timing.samples} picks (the transition's samples), got ${motion.length}`);
  const first = motion[0];
  const last = motion[motion.length - 1];
  const moving = motion.slice(0, timing.frames - hold - tail);
  return [...Array.from({ length: hold }, () => first), ...moving, ...Array.from({ length: tail }, () => last)];
}

/** Split `total` into integers proportional to weights; leftovers to the largest remainders (earlier first on ties). */
export function distributeLargestRemainder(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const quotas = weights.map((w) => (sum > 0 ? (total * w) / sum : total / weights.length));
  const out = quotas.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = quotas.map((q, i) => ({ i, r: q - Math.floor(q) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let j = 0; left > 0; j++, left--) out[order[j % order.length].i]++;
  return out;
}

/** Fewer frames than images: show the images nearest to evenly spaced points, keeping both ends. */
function pickSubset(weights: readonly number[], frameCount: number): FramePick[] {
  const cum = [0];
  for (const w of weights) cum.push(cum[cum.length - 1] + w);
  const M = cum.length;
  const total = cum[M - 1];
  const out: FramePick[] = [];
  let prev = -1;
  for (let q = 0; q < frameCount; q++) {
    const target = (q * total) / (frameCount - 1);
    let best = 0;
    for (let i = 1; i < M; i++) if (Math.abs(cum[i] - target) < Math.abs(cum[best] - target)) best = i;
    const index = Math.min(Math.max(best, prev + 1), M - frameCount + q);
    out.push({ kind: 'image', index });
    prev = index;
  }
  return out;
}

export interface MovieFrame {
  readonly transition: number;
  /** Frame index within that transition's own frames. */
  readonly frame: number;
}

/**
 * The movie's frames in order: transition i's first `frames` samples (movieTiming). Every
 * transition but the last stops before its end keyframe, which the next one starts on, so a
 * shared keyframe is shown once and on its own frame, round(t_k · fps).
 */
export function movieTimeline(timing: MovieTiming): { totalFrames: number; frames: MovieFrame[] } {
  if (timing.transitions.length === 0) throw badArgument('movieTimeline', 'a movie needs at least one transition');
  const frames: MovieFrame[] = [];
  for (const t of timing.transitions) {
    for (let f = 0; f < t.frames; f++) frames.push({ transition: t.index, frame: f });
  }
  return { totalFrames: frames.length, frames };
}

/** Pixel crossfade: round(a·(1 − α) + b·α) per channel; α = 0 gives a, α = 1 gives b exactly. */
export function crossfade(a: RgbImage, b: RgbImage, alpha: number): RgbImage {
  if (a.width !== b.width || a.height !== b.height) {
    throw badArgument('crossfade', `images differ in size (${a.width}×${a.height} vs ${b.width}×${b.height})`);
  }
  if (!(alpha >= 0 && alpha <= 1)) throw badArgument('crossfade', `alpha must be in [0, 1], got ${alpha}`);
  const data = new Uint8Array(a.data.length);
  for (let i = 0; i < data.length; i++) data[i] = Math.round(a.data[i] * (1 - alpha) + b.data[i] * alpha);
  return { width: a.width, height: a.height, data };
}

/** What a movie frame is: a keyframe's own image, a diffused in-between image, or a crossfade of two. */
export type FrameKind = 'keyframe' | 'diffusion' | 'fill';

/**
 * Where a pick sits along its transition (a crossfade's position interpolated between its two
 * images) and what kind of frame it is: frames.json's `position` and `kind`, and the player's
 * caption, from one rule. `positions`: the transition's final images' positions, in order.
 */
export function describePick(pick: FramePick, positions: readonly number[]): { position: number; kind: FrameKind } {
  if (pick.kind === 'crossfade') {
    const [a, b] = [positions[pick.from], positions[pick.to]];
    return { position: a + (b - a) * pick.alpha, kind: 'fill' };
  }
  const position = positions[pick.index];
  return { position, kind: position === 0 || position === 1 ? 'keyframe' : 'diffusion' };
}

/** The image a pick stands for, given the transition's final images in order. */
export function frameImage(pick: FramePick, images: readonly RgbImage[]): RgbImage {
  if (pick.kind === 'image') return images[pick.index];
  return crossfade(images[pick.from], images[pick.to], pick.alpha);
}
