/**
 * Movie time ↔ x on the timeline. Cards have a fixed width whatever the time, so the mapping is
 * piecewise linear between anchors: a keyframe's card centre is the frame that shows it, the
 * end of a block's hold strip is the frame its transition starts moving, the end of the last
 * keyframe's hold (or of the loop-back block) is the end of the movie. The playhead, the audio
 * lane (waveform, beats) and the ruler all place time through it, so they line up.
 */
import type { MovieLayout } from './player-timing';
import type { TimelineGeometry } from './timeline-layout';

export interface TimeAnchor {
  readonly x: number;
  /** Movie frame (fractional between frames). */
  readonly frame: number;
}

/** Anchors in increasing x and frame; needs a geometry and a layout of the same project. */
export function timeAnchors(g: TimelineGeometry, layout: MovieLayout): TimeAnchor[] {
  const centre = (k: number) => g.cards[k] + g.card / 2;
  const out: TimeAnchor[] = [];
  const push = (x: number, frame: number) => {
    const last = out[out.length - 1];
    if (!last || (x > last.x && frame >= last.frame)) out.push({ x, frame });
  };
  layout.keyframeFrames.forEach((kf, k) => {
    push(centre(k), kf);
    const span = layout.spans[k];
    const block = g.blocks[k];
    if (span && block && (span.hold ?? 0) > 0) push(block.left + (block.hold ?? 0), span.start + (span.hold ?? 0));
  });
  const loopBlock = layout.spans.length === layout.keyframeFrames.length ? g.blocks[layout.spans.length - 1] : undefined;
  if (loopBlock) push(loopBlock.left + loopBlock.width, layout.totalFrames);
  else push(g.tail ? g.tail.left + g.tail.width : g.width, layout.totalFrames);
  return out;
}

function interpolate(anchors: readonly TimeAnchor[], value: number, from: 'x' | 'frame', to: 'x' | 'frame'): number {
  if (anchors.length === 0) return 0;
  if (value <= anchors[0][from]) return anchors[0][to];
  for (let i = 1; i < anchors.length; i++) {
    const a = anchors[i - 1];
    const b = anchors[i];
    if (value <= b[from]) {
      const span = b[from] - a[from];
      return span > 0 ? a[to] + ((value - a[from]) / span) * (b[to] - a[to]) : b[to];
    }
  }
  return anchors[anchors.length - 1][to];
}

/** x of a (fractional) movie frame. */
export function xOfFrame(anchors: readonly TimeAnchor[], frame: number): number {
  return interpolate(anchors, frame, 'frame', 'x');
}

/** The (fractional) movie frame at x. */
export function frameOfX(anchors: readonly TimeAnchor[], x: number): number {
  return interpolate(anchors, x, 'x', 'frame');
}

/** Steps the ruler labels, in seconds: the first whose ticks are far enough apart everywhere is used. */
export const RULER_STEPS = [0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600] as const;

export interface RulerTick {
  readonly x: number;
  readonly seconds: number;
  readonly label: string;
}

/** "1:05", or "0:02.5" for steps under a second. */
export function rulerLabel(seconds: number, step: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds - m * 60;
  const whole = Math.floor(s + 1e-9);
  const hundredths = Math.round((s - whole) * 100);
  // Fractions only where there is one: "0:01", "0:01.5", "0:01.25".
  const frac = step < 1 && hundredths > 0 ? `.${String(hundredths).padStart(2, '0').replace(/0$/, '')}` : '';
  return `${m}:${String(whole).padStart(2, '0')}${frac}`;
}

/**
 * Labelled ticks from 0 to the end of the movie, at the smallest step whose ticks are at least
 * `minSpacing` pixels apart everywhere on the timeline (cards stretch some stretches of time).
 */
export function rulerTicks(anchors: readonly TimeAnchor[], fps: number, totalFrames: number, minSpacing = 64): RulerTick[] {
  if (anchors.length === 0 || !(fps > 0)) return [];
  const end = totalFrames / fps;
  for (const step of RULER_STEPS) {
    const ticks: RulerTick[] = [];
    for (let k = 0; k * step <= end + 1e-9; k++) {
      const seconds = k * step;
      ticks.push({ x: xOfFrame(anchors, seconds * fps), seconds, label: rulerLabel(seconds, step) });
    }
    const tight = ticks.some((t, i) => i > 0 && t.x - ticks[i - 1].x < minSpacing);
    if (!tight || step === RULER_STEPS[RULER_STEPS.length - 1]) return ticks;
  }
  return [];
}
