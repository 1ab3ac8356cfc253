import { describe, expect, it } from 'vitest';
import { crossfade, distributeLargestRemainder, fillFrames, frameImage, movieTimeline, type FramePick } from './fill-frames';
import { movieTiming } from './movie-timing';
import { describePick } from './fill-frames';

const img = (i: number): FramePick => ({ kind: 'image', index: i });
const cf = (from: number, alpha: number): FramePick => ({ kind: 'crossfade', from, to: from + 1, alpha });

describe('fillFrames', () => {
  it('shows each image once and fills equal gaps equally', () => {
    // 3 images, 7 frames: 4 extra over gaps .5/.5 → 2 + 2; alphas 1/3, 2/3.
    expect(fillFrames([0, 0.5, 1], 7)).toEqual([img(0), cf(0, 1 / 3), cf(0, 2 / 3), img(1), cf(1, 1 / 3), cf(1, 2 / 3), img(2)]);
  });

  it('gives longer gaps in f more frames (largest remainder)', () => {
    // 8 frames, 5 extra, gaps .25/.75 → quotas 1.25/3.75 → floors 1/3, the leftover to .75 → [1, 4]
    const picks = fillFrames([0, 0.25, 1], 8);
    expect(picks.filter((p) => p.kind === 'crossfade' && p.from === 0)).toHaveLength(1);
    expect(picks.filter((p) => p.kind === 'crossfade' && p.from === 1)).toHaveLength(4);
    expect(picks[0]).toEqual(img(0));
    expect(picks[7]).toEqual(img(2));
  });

  it('spreads by perceptual distance when given', () => {
    // distances 3/1 → quotas 3.75/1.25 → [4, 1]
    const picks = fillFrames([0, 0.25, 1], 8, { distances: [3, 1] });
    expect(picks.filter((p) => p.kind === 'crossfade' && p.from === 0)).toHaveLength(4);
    expect(picks.filter((p) => p.kind === 'crossfade' && p.from === 1)).toHaveLength(1);
  });

  it('breaks ties toward the earlier gap, the same way every time', () => {
    // 6 frames, 3 extra, quotas 1.5/1.5 → [2, 1]
    const a = fillFrames([0, 0.5, 1], 6);
    expect(a).toEqual([img(0), cf(0, 1 / 3), cf(0, 2 / 3), img(1), cf(1, 1 / 2), img(2)]);
    expect(fillFrames([0, 0.5, 1], 6)).toEqual(a);
  });

  it('picks a spread subset, ends included, when there are more images than frames', () => {
    // cumulative f = [0, .25, .5, .75, 1]; targets 0, .5, 1 → images 0, 2, 4
    expect(fillFrames([0, 0.25, 0.5, 0.75, 1], 3)).toEqual([img(0), img(2), img(4)]);
    expect(fillFrames([0, 0.1, 0.2, 1], 2)).toEqual([img(0), img(3)]);
  });

  it('rejects bad input', () => {
    expect(() => fillFrames([0, 0.5, 0.5, 1], 10)).toThrow(/strictly increasing; entry 2/);
    expect(() => fillFrames([0, 1], 1)).toThrow(/frameCount must be an integer ≥ 2/);
    expect(() => fillFrames([0, 0.5, 1], 9, { distances: [1] })).toThrow(/one entry per neighbouring pair \(2\)/);
    expect(() => fillFrames([0, 0.5, 1], 9, { distances: [1, -1] })).toThrow(/distances\[1\]/);
  });
});

describe('distributeLargestRemainder', () => {
  it('always sums to the total', () => {
    // quotas 10·[1,1,1]/3 = 3.33 each → floors 3,3,3 and one leftover to the first
    expect(distributeLargestRemainder(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(distributeLargestRemainder(0, [2, 5])).toEqual([0, 0]);
  });
});

describe('movieTimeline', () => {
  it('shows each keyframe once, on its own frame, and the last one on the last frame', () => {
    // 1 s + 1 s + 1 s at 4 fps: keyframes at frames 0, 4, 8 and the last on frame 11.
    const { totalFrames, frames } = movieTimeline(movieTiming([1, 1, 1], 4));
    expect(totalFrames).toBe(12);
    expect(frames.slice(3, 5)).toEqual([{ transition: 0, frame: 3 }, { transition: 1, frame: 0 }]);
    expect(frames.filter((f) => f.frame === 0).map((f) => frames.indexOf(f))).toEqual([0, 4, 8]);
    expect(frames[11]).toEqual({ transition: 2, frame: 3 });
  });
  it('rejects an empty movie', () => {
    expect(() => movieTimeline(movieTiming([], 24))).toThrow(/at least one transition/);
  });
});

describe('crossfade', () => {
  const a = { width: 1, height: 1, data: Uint8Array.from([0, 100, 255]) };
  const b = { width: 1, height: 1, data: Uint8Array.from([255, 200, 0]) };
  it('blends per channel and is exact at the ends', () => {
    // .25: 0·.75 + 255·.25 = 63.75 → 64; 100·.75 + 200·.25 = 125; 255·.75 = 191.25 → 191
    expect(Array.from(crossfade(a, b, 0.25).data)).toEqual([64, 125, 191]);
    expect(Array.from(crossfade(a, b, 0).data)).toEqual([0, 100, 255]);
    expect(Array.from(crossfade(a, b, 1).data)).toEqual([255, 200, 0]);
    expect(Array.from(frameImage({ kind: 'crossfade', from: 0, to: 1, alpha: 0.25 }, [a, b]).data)).toEqual([64, 125, 191]);
  });
  it('rejects different sizes', () => {
    expect(() => crossfade(a, { width: 2, height: 1, data: new Uint8Array(6) }, 0.5)).toThrow(/differ in size/);
  });
});

describe('describePick (frames.json and the player caption)', () => {
  it('gives an image its own position and kind, a crossfade its interpolated position', () => {
    const positions = [0, 0.25, 1];
    expect(describePick(img(0), positions)).toEqual({ position: 0, kind: 'keyframe' });
    expect(describePick(img(1), positions)).toEqual({ position: 0.25, kind: 'diffusion' });
    expect(describePick(img(2), positions)).toEqual({ position: 1, kind: 'keyframe' });
    expect(describePick(cf(1, 0.5), positions)).toEqual({ position: 0.625, kind: 'fill' });
  });
});
