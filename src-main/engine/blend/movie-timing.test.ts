import { describe, expect, it } from 'vitest';
import { framesAt, frameInMovie, movieTiming, positionOfFrame } from './movie-timing';

describe('movieTiming', () => {
  it('puts keyframe k on frame round(t_k · fps) and makes the movie round(Σ durations · fps) frames', () => {
    // The case from issue 9: three 3 s transitions at 24 fps.
    const t = movieTiming([3, 3, 3], 24);
    expect(t.totalFrames).toBe(216);
    expect(t.keyframeFrames).toEqual([0, 72, 144, 215]);
    expect(t.transitions.map((x) => [x.start, x.frames, x.samples])).toEqual([
      [0, 72, 73],
      [72, 72, 73],
      [144, 72, 72],
    ]);
  });

  it('rounds the running time, not each duration, so rounding errors never add up', () => {
    // 1.3 s each at 24 fps is 31.2 frames: three of them end at 93.6 → 94, not 3 × 31 = 93.
    const t = movieTiming([1.3, 1.3, 1.3], 24);
    expect(t.keyframeFrames.slice(0, 3)).toEqual([0, 31, 62]);
    expect(t.totalFrames).toBe(94);
    // 29.97 fps, 2.5 s each: 74.925 → 75, 149.85 → 150.
    expect(movieTiming([2.5, 2.5], 29.97).keyframeFrames).toEqual([0, 75, 149]);
    expect(movieTiming([2.5, 2.5], 29.97).totalFrames).toBe(150);
  });

  it('covers every frame exactly once: transitions tile the movie', () => {
    for (const [durations, fps] of [[[0.7, 2.2, 1.05, 4], 30], [[0.1, 0.2, 0.3], 10], [[5], 60], [[1 / 3, 1 / 3, 1 / 3], 24]] as const) {
      const t = movieTiming(durations, fps);
      let next = 0;
      for (const x of t.transitions) {
        expect(x.start).toBe(next);
        expect(x.start).toBe(t.keyframeFrames[x.index]);
        next += x.frames;
      }
      expect(next).toBe(t.totalFrames);
      expect(t.keyframeFrames[durations.length]).toBe(t.totalFrames - 1);
    }
  });

  it('keeps a transition shorter than a frame on screen for one frame and moves later keyframes instead of dropping one', () => {
    // 0.01 s at 24 fps is 0.24 of a frame: keyframe 1 would share frame 0 with keyframe 0.
    const t = movieTiming([0.01, 1, 0.01], 24);
    expect(t.keyframeFrames).toEqual([0, 1, 24, 25]);
    expect(t.transitions.map((x) => x.frames)).toEqual([1, 23, 2]);
    expect(t.totalFrames).toBe(26);
  });

  it('gives a lone keyframe one frame', () => {
    expect(movieTiming([], 24)).toEqual({ fps: 24, totalFrames: 1, keyframeFrames: [0], transitions: [] });
  });

  it('rejects bad fps and durations with what was wrong', () => {
    expect(() => movieTiming([1], 0)).toThrow(/fps must be a positive number, got 0/);
    expect(() => movieTiming([1, Number.NaN], 24)).toThrow(/durations\[1\] must be a positive number of seconds, got NaN/);
  });
});

describe('positions and lookup', () => {
  const t = movieTiming([1, 1], 4); // keyframes at 0, 4, 7

  it('places frame j of a transition at j/frames, the last transition ending on its keyframe', () => {
    expect([0, 1, 2, 3].map((j) => positionOfFrame(t.transitions[0], j))).toEqual([0, 0.25, 0.5, 0.75]);
    expect([0, 1, 2, 3].map((j) => positionOfFrame(t.transitions[1], j))).toEqual([0, 1 / 3, 2 / 3, 1]);
  });

  it('finds the transition and local frame of a movie frame, clamped to the movie', () => {
    expect(frameInMovie(t, 3)).toEqual({ transition: 0, frame: 3 });
    expect(frameInMovie(t, 4)).toEqual({ transition: 1, frame: 0 });
    expect(frameInMovie(t, 99)).toEqual({ transition: 1, frame: 3 });
    expect(frameInMovie(t, -2)).toEqual({ transition: 0, frame: 0 });
    expect(frameInMovie(movieTiming([], 24), 0)).toBeNull();
  });

  it('rounds frames from seconds as the decimal value reads', () => {
    expect(framesAt(0.29, 100)).toBe(29);
    expect(framesAt(1.5, 1)).toBe(2);
    expect(framesAt(0.1 + 0.2, 5)).toBe(2); // 1.5000000000000002
    expect(framesAt(2.5 / 24, 24)).toBe(3);
  });
});
