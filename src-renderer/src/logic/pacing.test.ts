import { describe, expect, it } from 'vitest';
import { finishedTransitionPicks, layoutMovie, locateFrame } from './player-timing';
import { timelineGeometry } from './timeline-layout';
import { frameOfX, timeAnchors, xOfFrame } from './timeline-time';

describe('player timing with holds and a loop (issue 12)', () => {
  it('shows a held keyframe on every frame of its hold, then moves', () => {
    // 2 s, hold 1 s on keyframe 2, 2 s at 10 fps: keyframe 2 lands on 20 and moves from 30.
    const layout = layoutMovie([2, 2], 10, { holds: [0, 1, 0] });
    for (const n of [20, 25, 30]) expect(locateFrame(n, layout)).toEqual({ kind: 'keyframe', keyframe: 1 });
    expect(locateFrame(31, layout)).toMatchObject({ kind: 'transition', transition: 1 });
    expect(locateFrame(layout.totalFrames - 1, layout)).toEqual({ kind: 'keyframe', keyframe: 2 });
  });

  it('in a loop, the last frame is inside the transition back to keyframe 1', () => {
    const layout = layoutMovie([1, 1], 10, { loop: true });
    expect(layout.totalFrames).toBe(20);
    expect(locateFrame(19, layout)).toEqual({ kind: 'transition', transition: 1, f: 0.9 });
    expect(locateFrame(10, layout)).toEqual({ kind: 'keyframe', keyframe: 1 });
  });

  it('gives a finished transition one pick per frame it covers, holds included, with the easing the export uses', () => {
    const layout = layoutMovie([2], 10, { holds: [0.5, 0.5] });
    const span = layout.spans[0];
    const images = [0, 0.25, 0.5, 0.75, 1].map((f) => ({ f, url: `data:,${f}` }));
    const picks = finishedTransitionPicks(images, span, undefined, { curve: 'ease-in', strength: 0.5 })!;
    expect(picks).toHaveLength(span.frames);
    expect(picks.slice(0, 6).every((p) => p.kind === 'image' && p.index === 0)).toBe(true);
    expect(picks.slice(-5).every((p) => p.kind === 'image' && p.index === 4)).toBe(true);
    // Ease in: more frames between the first two images than between the last two.
    const gap = (i: number) => picks.filter((p) => p.kind === 'crossfade' && p.from === i).length;
    expect(gap(0)).toBeGreaterThan(gap(3));
  });
});

describe('timeline time ↔ x', () => {
  it('puts each keyframe frame on its card centre and the motion start at the end of the hold strip', () => {
    const layout = layoutMovie([2, 2], 10, { holds: [0, 1, 0] });
    const g = timelineGeometry([2, 2], 50, [0, 1, 0]);
    const anchors = timeAnchors(g, layout);
    expect(xOfFrame(anchors, 0)).toBe(g.cards[0] + g.card / 2);
    expect(xOfFrame(anchors, 20)).toBe(g.cards[1] + g.card / 2);
    expect(g.blocks[1].hold).toBe(50);
    expect(xOfFrame(anchors, 30)).toBe(g.blocks[1].left + 50);
    expect(xOfFrame(anchors, layout.totalFrames - 1)).toBe(g.cards[2] + g.card / 2);
    // Monotonic and invertible between anchors.
    for (const n of [3, 22.5, 35]) expect(frameOfX(anchors, xOfFrame(anchors, n))).toBeCloseTo(n, 9);
  });

  it('draws a loop\'s last block after the last card, ending the movie', () => {
    const layout = layoutMovie([1, 1, 1], 10, { loop: true });
    const g = timelineGeometry([1, 1, 1], 50, [], true);
    expect(g.cards).toHaveLength(3);
    expect(g.blocks).toHaveLength(3);
    const anchors = timeAnchors(g, layout);
    expect(xOfFrame(anchors, layout.totalFrames)).toBe(g.blocks[2].left + g.blocks[2].width);
  });
});
