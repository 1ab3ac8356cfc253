import { describe, expect, it } from 'vitest';
import { COMPACT_BELOW, COMPACT_SIZES, FULL_SIZES, fitZoom, timelineGeometry, ZOOM_MAX, ZOOM_MIN } from './timeline-layout';

const tenKeyframes = Array.from({ length: 9 }, () => 3);

describe('timelineGeometry', () => {
  it('lays cards and blocks end to end in movie order, blocks as long as their duration at the zoom', () => {
    const g = timelineGeometry([4, 12], 48);
    expect(g.compact).toBe(false);
    expect(g.blocks.map((b) => b.width)).toEqual([4 * 48, 12 * 48]);
    expect(g.blocks[0].left).toBe(g.cards[0] + g.card);
    expect(g.cards[1]).toBe(g.blocks[0].left + g.blocks[0].width);
    expect(g.blocks[1].left).toBe(g.cards[1] + g.card);
    expect(g.cards[2]).toBe(g.blocks[1].left + g.blocks[1].width);
    expect(g.width).toBe(g.cards[2] + g.card);
  });

  it('keeps a short transition wide enough to read, and one keyframe is one card', () => {
    expect(timelineGeometry([0.5], 48).blocks[0].width).toBe(FULL_SIZES.minBlock);
    expect(timelineGeometry([], 48)).toMatchObject({ cards: [0], blocks: [], width: FULL_SIZES.card });
  });

  it('goes compact below the compact zoom', () => {
    expect(timelineGeometry([3], COMPACT_BELOW)).toMatchObject({ compact: false, card: FULL_SIZES.card });
    expect(timelineGeometry([3], COMPACT_BELOW - 0.5)).toMatchObject({ compact: true, card: COMPACT_SIZES.card });
  });

  it('never gets narrower as the zoom grows (what fitZoom relies on)', () => {
    const durations = [0.2, 3, 40, 7.5];
    let previous = 0;
    for (let zoom = ZOOM_MIN; zoom <= ZOOM_MAX; zoom += 0.25) {
      const width = timelineGeometry(durations, zoom).width;
      expect(width).toBeGreaterThanOrEqual(previous);
      previous = width;
    }
  });
});

describe('fitZoom', () => {
  it('fits ten keyframes on a laptop-wide timeline, and no larger zoom would', () => {
    const available = 872;
    const zoom = fitZoom(tenKeyframes, available);
    expect(timelineGeometry(tenKeyframes, zoom).width).toBeLessThanOrEqual(available);
    expect(timelineGeometry(tenKeyframes, zoom + 0.01).width).toBeGreaterThan(available);
    expect(timelineGeometry(tenKeyframes, zoom).compact).toBe(true);
  });

  it('keeps full cards when they fit', () => {
    const durations = [5, 5];
    // Room for 5 s blocks at 30 px/s (150 px, above the narrowest block) beside three full cards.
    const available = 3 * FULL_SIZES.card + 2 * 5 * 30;
    const zoom = fitZoom(durations, available);
    expect(zoom).toBeCloseTo(30, 6);
    expect(timelineGeometry(durations, zoom).compact).toBe(false);
  });

  it('zooms in no further than the slider goes, and out no further either', () => {
    expect(fitZoom([1], 10_000)).toBe(ZOOM_MAX);
    expect(fitZoom(Array.from({ length: 99 }, () => 3), 500)).toBe(ZOOM_MIN);
  });

  it('refuses a visible width that is not a positive number', () => {
    expect(() => fitZoom([3], 0)).toThrow(/visible width must be a positive number of pixels, got 0/);
    expect(() => fitZoom([3], Number.NaN)).toThrow(/got NaN/);
  });
});
