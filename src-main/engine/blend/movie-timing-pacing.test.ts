import { describe, expect, it } from 'vitest';
import { fillFrames, heldPicks, movieTimeline } from './fill-frames';
import { movieTiming, positionOfFrame } from './movie-timing';

describe('movieTiming with holds', () => {
  it('counts holds in t_k: keyframe k lands on round(t_k · fps) and its transition moves after the hold', () => {
    // Keyframe 1 held 1 s between two 3 s transitions at 24 fps: keyframes at 0, 3 s and 7 s.
    const t = movieTiming([3, 3], 24, { holds: [0, 1, 0] });
    expect(t.keyframeFrames).toEqual([0, 72, 167]);
    expect(t.totalFrames).toBe(168);
    expect(t.transitions.map((x) => [x.start, x.hold ?? 0, x.frames, x.samples, x.tail ?? 0])).toEqual([
      [0, 0, 72, 73, 0],
      [72, 24, 96, 72, 0],
    ]);
    // The held frames show keyframe 1 (f = 0), then it moves.
    expect(positionOfFrame(t.transitions[1], 0)).toBe(0);
    expect(positionOfFrame(t.transitions[1], 24)).toBe(0);
    expect(positionOfFrame(t.transitions[1], 25)).toBeCloseTo(1 / 71, 12);
    expect(positionOfFrame(t.transitions[1], 95)).toBe(1);
  });

  it('holds the first keyframe from frame 0 and the last to the end of the movie', () => {
    const t = movieTiming([2], 10, { holds: [0.5, 1] });
    // 0.5 s + 2 s + 1 s = 35 frames: keyframe 0 on 0–5, moving until keyframe 1 on frame 25, held to 34.
    expect(t.totalFrames).toBe(35);
    expect(t.keyframeFrames).toEqual([0, 25]);
    expect(t.transitions[0]).toMatchObject({ start: 0, hold: 5, frames: 35, samples: 21, tail: 9 });
  });

  it('without holds (or with a last hold under half a frame) is exactly the old rule', () => {
    for (const [durations, fps] of [[[3, 3, 3], 24], [[0.7, 2.2, 1.05, 4], 30], [[0.01, 1, 0.01], 24]] as const) {
      const plain = movieTiming(durations, fps);
      const zero = movieTiming(durations, fps, { holds: Array(durations.length + 1).fill(0) });
      const tiny = movieTiming(durations, fps, { holds: [...Array(durations.length).fill(0), 0.4 / fps] });
      expect(zero).toEqual(plain);
      expect(tiny).toEqual(plain);
    }
  });

  it('tiles the movie: every frame belongs to exactly one transition, with holds and loops alike', () => {
    const cases = [
      movieTiming([0.7, 2.2, 1.05], 30, { holds: [0.3, 0, 1.2, 0.5] }),
      movieTiming([1, 1, 1], 24, { holds: [0, 2, 0], loop: true }),
      movieTiming([0.01, 0.01], 24, { holds: [0.01, 0.01], loop: true }),
    ];
    for (const t of cases) {
      let next = 0;
      for (const x of t.transitions) {
        expect(x.start).toBe(next);
        expect(x.samples).toBeGreaterThanOrEqual(2);
        next += x.frames;
      }
      expect(next).toBe(t.totalFrames);
      expect(movieTimeline(t).frames).toHaveLength(t.totalFrames);
    }
  });

  it('refuses holds of the wrong count or sign', () => {
    expect(() => movieTiming([1, 1], 24, { holds: [0, 1] })).toThrow(/holds must have one entry per keyframe \(3\), got 2/);
    expect(() => movieTiming([1], 24, { holds: [0, -1] })).toThrow(/holds\[1\] must be a number of seconds ≥ 0, got -1/);
  });
});

describe('movieTiming with a loop', () => {
  it('closes the movie with a transition back to keyframe 0, whose end is frame 0 of the next pass', () => {
    const t = movieTiming([3, 3, 3], 24, { loop: true });
    expect(t.totalFrames).toBe(216);
    expect(t.keyframeFrames).toEqual([0, 72, 144]);
    expect(t.transitions.map((x) => [x.start, x.frames, x.samples])).toEqual([
      [0, 72, 73],
      [72, 72, 73],
      [144, 72, 73],
    ]);
    // The last frame is one step before keyframe 0, not a keyframe.
    expect(positionOfFrame(t.transitions[2], 71)).toBeCloseTo(71 / 72, 12);
  });

  it('needs two keyframes', () => {
    expect(() => movieTiming([1], 24, { loop: true })).toThrow(/looping movie needs at least 2 keyframes/);
  });
});

describe('heldPicks', () => {
  it('pads a transition\'s moving picks with its holds and drops the end keyframe the next transition shows', () => {
    const t = movieTiming([1, 1], 4, { holds: [0.5, 0, 0.5] });
    const motion0 = fillFrames([0, 0.5, 1], t.transitions[0].samples);
    const picks0 = heldPicks(motion0, t.transitions[0]);
    expect(picks0).toHaveLength(t.transitions[0].frames);
    expect(picks0.slice(0, 3).every((p) => p.kind === 'image' && p.index === 0)).toBe(true);
    expect(picks0[picks0.length - 1]).not.toEqual({ kind: 'image', index: 2 });
    const last = t.transitions[1];
    const picks1 = heldPicks(fillFrames([0, 1], last.samples), last);
    expect(picks1).toHaveLength(last.frames);
    // Frame n shows the movie at n/fps: the last keyframe from its landing (frame 10) for its 0.5 s hold, to the end.
    expect(t.keyframeFrames[2]).toBe(10);
    expect(picks1.slice(-3)).toEqual([{ kind: 'crossfade', from: 0, to: 1, alpha: 0.75 }, { kind: 'image', index: 1 }, { kind: 'image', index: 1 }]);
    expect(() => heldPicks(motion0.slice(1), t.transitions[0])).toThrow(/need 5 picks/);
  });
});
