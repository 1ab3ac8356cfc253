/**
 * Where the timeline draws its cards and transition blocks, and the zoom that fits a whole
 * movie in view. Positions are computed, not measured, so the playhead, scrolling and the fit
 * need no DOM reads. A transition block is as wide as its duration at the zoom (pixels per
 * second), never narrower than a block that still shows its duration.
 */

export interface TimelineSizes {
  /** Width of a keyframe card. */
  readonly card: number;
  /** The narrowest a transition block gets, however short it is. */
  readonly minBlock: number;
}

/** Cards with the still and two lines of prompt. */
export const FULL_SIZES: TimelineSizes = { card: 136, minBlock: 104 };
/** Below COMPACT_BELOW px/s the cards show the still alone, so long movies fit on a laptop. */
export const COMPACT_SIZES: TimelineSizes = { card: 56, minBlock: 32 };
export const COMPACT_BELOW = 24;
export const ZOOM_MIN = 2;
export const ZOOM_MAX = 160;

export function sizesAt(pxPerSecond: number): TimelineSizes {
  return pxPerSecond < COMPACT_BELOW ? COMPACT_SIZES : FULL_SIZES;
}

export interface TimelineGeometry {
  readonly compact: boolean;
  readonly card: number;
  /** Left edge of each keyframe card. */
  readonly cards: readonly number[];
  readonly blocks: ReadonlyArray<{ readonly left: number; readonly width: number; readonly hold?: number }>;
  /** The last keyframe's hold, drawn after its card (a movie that does not loop); null without one. */
  readonly tail?: { readonly left: number; readonly width: number } | null;
  /** From the first card's left edge to the last card's right edge. */
  readonly width: number;
}

/**
 * Cards and blocks in movie order: card 1, transition 1 → 2, card 2, … (durations in seconds).
 * `holds` (seconds, one per keyframe) widen the block after each keyframe by its hold, drawn at
 * the block's start (`hold` pixels); the last keyframe's hold follows its card as `tail`.
 * With `loop`, the last block follows the last card and returns to the first.
 */
export function timelineGeometry(durations: readonly number[], pxPerSecond: number, holds: readonly number[] = [], loop = false): TimelineGeometry {
  const { card, minBlock } = sizesAt(pxPerSecond);
  const cards: number[] = [];
  const blocks: Array<{ left: number; width: number; hold: number }> = [];
  let x = 0;
  let tail: { left: number; width: number } | null = null;
  // A looping movie has one transition per keyframe: the last block leads back to card 1.
  const cardCount = loop ? durations.length : durations.length + 1;
  for (let i = 0; i < cardCount; i++) {
    cards.push(x);
    x += card;
    const hold = (holds[i] ?? 0) * pxPerSecond;
    if (i < durations.length) {
      const width = Math.max(minBlock, durations[i] * pxPerSecond) + hold;
      blocks.push({ left: x, width, hold });
      x += width;
    } else if (hold > 0) {
      tail = { left: x, width: hold };
      x += hold;
    }
  }
  return { compact: pxPerSecond < COMPACT_BELOW, card, cards, blocks, tail, width: x };
}

/**
 * The largest zoom in [ZOOM_MIN, ZOOM_MAX] at which the whole timeline fits `available`
 * pixels; ZOOM_MIN when even that is too wide. The width never shrinks as the zoom grows
 * (compact sizes are smaller than full ones), so bisection finds the edge.
 */
export function fitZoom(durations: readonly number[], available: number, holds: readonly number[] = [], loop = false): number {
  if (!(available > 0)) throw new Error(`fitZoom: the visible width must be a positive number of pixels, got ${available}`);
  const fits = (zoom: number) => timelineGeometry(durations, zoom, holds, loop).width <= available;
  if (fits(ZOOM_MAX)) return ZOOM_MAX;
  if (!fits(ZOOM_MIN)) return ZOOM_MIN;
  let lo = ZOOM_MIN;
  let hi = ZOOM_MAX;
  // 40 halvings of 158 px/s leave the edge known to far below a pixel.
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}
