import { describe, expect, it } from 'vitest';
import { framesAt, movieTiming } from './movie-timing';
import { snapToBeats } from './snap-to-beats';

/** 128 bpm from 0.21 s on: a beat every 0.46875 s. */
const beats = Array.from({ length: 80 }, (_, i) => 0.21 + i * (60 / 128));

describe('snapToBeats', () => {
  it('puts every keyframe after the first on the beat nearest to it, so each lands on that beat\'s frame', () => {
    const durations = [3, 2.2, 4];
    const holds = [0, 0.5, 0, 0.25];
    const { durations: snapped, beatIndices, snapped: count } = snapToBeats({ durations, holds, beats });
    expect(count).toBe(3);
    const timing = movieTiming(snapped, 24, { holds });
    beatIndices.forEach((b, i) => expect(timing.keyframeFrames[i + 1]).toBe(framesAt(beats[b!], 24)));
    // Nearest: keyframe 2 was at 3 s, the beats around it are 2.97 and 3.44 s.
    expect(beatIndices[0]).toBe(6);
    // Holds are kept, and durations move by less than half a beat each.
    snapped.forEach((d, i) => expect(Math.abs(d - durations[i])).toBeLessThan(60 / 128));
  });

  it('uses every n-th beat from the given first beat', () => {
    const { beatIndices } = snapToBeats({ durations: [3, 3], holds: [0, 0, 0], beats, every: 4, firstBeat: 2 });
    expect(beatIndices.every((b) => b !== null && (b - 2) % 4 === 0)).toBe(true);
  });

  it('never makes a transition shorter than it may be, and never reuses a beat', () => {
    const { durations, beatIndices } = snapToBeats({ durations: [0.1, 0.1, 0.1], holds: [0, 0, 0, 0], beats, minDurations: [1, 1, 1] });
    expect(durations.every((d) => d >= 1)).toBe(true);
    expect(new Set(beatIndices).size).toBe(3);
  });

  it('snaps the end of a looping movie too, so it repeats on the beat', () => {
    const { durations, beatIndices } = snapToBeats({ durations: [2, 2, 2], holds: [0, 0, 0], loop: true, beats });
    const timing = movieTiming(durations, 30, { loop: true, holds: [0, 0, 0] });
    expect(timing.totalFrames).toBe(framesAt(beats[beatIndices[2]!], 30));
  });

  it('keeps the durations past the end of the music and says how many it snapped', () => {
    const r = snapToBeats({ durations: [3, 3, 3], holds: [0, 0, 0, 0], beats: beats.slice(0, 10) });
    expect(r.snapped).toBe(1);
    expect(r.beatIndices).toEqual([6, null, null]);
    expect(r.durations.slice(1)).toEqual([3, 3]);
  });

  it('refuses bad input with what was wrong', () => {
    expect(() => snapToBeats({ durations: [1], holds: [0], beats })).toThrow(/holds must have one entry per keyframe \(2\), got 1/);
    expect(() => snapToBeats({ durations: [1], holds: [0, 0], beats: [1, 0.5] })).toThrow(/beats must be increasing/);
    expect(() => snapToBeats({ durations: [1], holds: [0, 0], beats, every: 0 })).toThrow(/every must be a whole number ≥ 1/);
  });
});
