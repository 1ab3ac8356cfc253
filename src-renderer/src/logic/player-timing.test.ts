import { describe, expect, it } from 'vitest';
import {
  formatTimecode,
  frameAtTime,
  layoutMovie,
  locateFrame,
  nearestImage,
  playbackFrame,
  shuttleRate,
  expectedFinalImages,
  timeOfFrame,
  unrenderedStretches,
  inStretches,
} from './player-timing';

describe('layoutMovie', () => {
  it('puts keyframe k on frame round(t_k·fps): the same timing as every export', () => {
    // 2 s and 1.5 s at 24 fps: keyframe 2 at 48, the movie round(3.5 · 24) = 84 frames.
    const layout = layoutMovie([2, 1.5], 24);
    expect(layout.spans).toEqual([
      { index: 0, start: 0, frames: 48, samples: 49 },
      { index: 1, start: 48, frames: 36, samples: 36 },
    ]);
    expect(layout.totalFrames).toBe(84);
    expect(layout.keyframeFrames).toEqual([0, 48, 83]);
  });

  it('shows 0:06.00 for 3 s + 3 s and keyframe 2 at 0:03.00 (issue 9)', () => {
    const layout = layoutMovie([3, 3], 24);
    expect(formatTimecode(layout.totalFrames, 24)).toBe('0:06.00');
    expect(locateFrame(72, layout)).toEqual({ kind: 'keyframe', keyframe: 1 });
    expect(formatTimecode(72, 24)).toBe('0:03.00');
    expect(layoutMovie([3, 3, 3], 24).totalFrames).toBe(216);
  });

  it('gives a transition at least one frame, the last its two keyframes, and a lone keyframe one frame', () => {
    expect(layoutMovie([0.01], 24).spans[0].frames).toBe(2);
    expect(layoutMovie([0.01, 1], 24).spans[0].frames).toBe(1);
    expect(layoutMovie([], 24).totalFrames).toBe(1);
  });

  it('rejects a non-positive fps with a message naming it', () => {
    expect(() => layoutMovie([1], 0)).toThrow(/fps must be a positive number/);
  });
});

describe('frame ↔ time', () => {
  it('maps frame n to n/fps and back, including exact multiples that float arithmetic undershoots', () => {
    for (const fps of [24, 25, 30, 29.97, 60]) {
      for (let n = 0; n < 500; n += 7) expect(frameAtTime(timeOfFrame(n, fps), fps)).toBe(n);
    }
    // 0.1·30 = 3.0000000000000004 and 0.7·10 = 7.000000000000001 but 0.29·100 = 28.999999999999996.
    expect(frameAtTime(0.29, 100)).toBe(29);
  });

  it('shows a frame for its whole 1/fps interval', () => {
    expect(frameAtTime(0.999 / 24, 24)).toBe(0);
    expect(frameAtTime(1.5 / 24, 24)).toBe(1);
  });
});

describe('locateFrame', () => {
  const layout = layoutMovie([1, 1], 5); // 2 s at 5 fps = 10 frames, keyframe 2 on frame 5

  it('puts keyframes at transition starts and the last frame', () => {
    expect(layout.totalFrames).toBe(10);
    expect(locateFrame(0, layout)).toEqual({ kind: 'keyframe', keyframe: 0 });
    expect(locateFrame(5, layout)).toEqual({ kind: 'keyframe', keyframe: 1 });
    expect(locateFrame(9, layout)).toEqual({ kind: 'keyframe', keyframe: 2 });
  });

  it('gives frame j the position j/F, and the last transition j/(F − 1) so it ends on its keyframe', () => {
    expect(locateFrame(1, layout)).toEqual({ kind: 'transition', transition: 0, f: 0.2 });
    expect(locateFrame(4, layout)).toEqual({ kind: 'transition', transition: 0, f: 0.8 });
    expect(locateFrame(8, layout)).toEqual({ kind: 'transition', transition: 1, f: 0.75 });
  });

  it('clamps frames outside the movie', () => {
    expect(locateFrame(-3, layout)).toEqual({ kind: 'keyframe', keyframe: 0 });
    expect(locateFrame(99, layout)).toEqual({ kind: 'keyframe', keyframe: 2 });
  });
});

describe('which rendered image to show', () => {
  const coarse = [
    { f: 0, url: 'a' },
    { f: 1, url: 'b' },
  ];
  const finer = [...coarse, { f: 0.5, url: 'mid' }];

  it('shows nothing before anything is rendered', () => {
    expect(nearestImage([], 0.3)).toBeNull();
  });

  it('picks the nearest image, and refines as more images arrive', () => {
    expect(nearestImage(coarse, 0.4)?.url).toBe('a');
    expect(nearestImage(finer, 0.4)?.url).toBe('mid');
    expect(nearestImage(finer, 0.8)?.url).toBe('b');
  });

  it('breaks ties toward the earlier image', () => {
    expect(nearestImage(coarse, 0.5)?.url).toBe('a');
  });

  it('marks gaps wider than a finished render would leave', () => {
    // Five images expected: spacing 0.25. Only the keyframe ends → the whole inside is missing.
    expect(unrenderedStretches(coarse, 5, false)).toEqual([[0, 1]]);
    const quarter = [...finer, { f: 0.25, url: 'q' }];
    expect(unrenderedStretches(quarter, 5, false)).toEqual([[0.5, 1]]);
    expect(unrenderedStretches([...quarter, { f: 0.75, url: 'r' }], 5, false)).toEqual([]);
    // Three expected (spacing 0.5): the midpoint completes it.
    expect(unrenderedStretches(finer, 3, false)).toEqual([]);
  });

  it('marks everything before the first image, and nothing once the render finished', () => {
    expect(unrenderedStretches([], 5, false)).toEqual([[0, 1]]);
    expect(unrenderedStretches([{ f: 0.5, url: 'm' }], 3, false)).toEqual([[0, 1]]);
    expect(unrenderedStretches([], 5, true)).toEqual([]);
  });

  it('tells whether a position is inside a stretch', () => {
    expect(inStretches([[0.25, 0.5]], 0.3)).toBe(true);
    expect(inStretches([[0.25, 0.5]], 0.5)).toBe(false);
  });
});

describe('playback', () => {
  it('advances by the clock at fps and stops on the last frame', () => {
    expect(playbackFrame(10, 0.5, 24, 100, false)).toEqual({ frame: 22, ended: false });
    expect(playbackFrame(90, 1, 24, 100, false)).toEqual({ frame: 99, ended: true });
  });

  it('wraps around when looping', () => {
    expect(playbackFrame(90, 1, 24, 100, true)).toEqual({ frame: 14, ended: false });
    expect(playbackFrame(5, 1, 24, 100, true, -1)).toEqual({ frame: 81, ended: false });
  });

  it('plays backwards and faster with a rate, stopping at the first frame', () => {
    expect(playbackFrame(50, 0.5, 24, 100, false, 2)).toEqual({ frame: 74, ended: false });
    expect(playbackFrame(50, 0.5, 24, 100, false, -1)).toEqual({ frame: 38, ended: false });
    expect(playbackFrame(5, 1, 24, 100, false, -1)).toEqual({ frame: 0, ended: true });
  });

  it('shuttles with J/K/L like an editing deck', () => {
    expect(shuttleRate(0, 'l')).toBe(1);
    expect(shuttleRate(1, 'l')).toBe(2);
    expect(shuttleRate(4, 'l')).toBe(4);
    expect(shuttleRate(2, 'j')).toBe(-1);
    expect(shuttleRate(-1, 'j')).toBe(-2);
    expect(shuttleRate(-2, 'k')).toBe(0);
  });
});

describe('formatTimecode', () => {
  it('shows minutes, seconds and hundredths of a second', () => {
    expect(formatTimecode(0, 24)).toBe('0:00.00');
    expect(formatTimecode(24 * 62 + 13, 24)).toBe('1:02.54'); // 62 + 13/24 = 62.5417 s
    expect(formatTimecode(9, 10)).toBe('0:00.90');
    expect(formatTimecode(143, 24)).toBe('0:05.96'); // 5.9583 s rounds to the nearest hundredth
    expect(formatTimecode(2 * 30 * 60 + 30, 30)).toBe('2:01.00');
  });
});

describe('expectedFinalImages (spec §3a table)', () => {
  it('follows the preset table', () => {
    expect(expectedFinalImages({ kind: 'fixed', preset: 'lowest' }, 72)).toBe(5);
    expect(expectedFinalImages({ kind: 'fixed', preset: 'low' }, 72)).toBe(4); // 72 // 16
    expect(expectedFinalImages({ kind: 'fixed', preset: 'medium' }, 72)).toBe(9);
    expect(expectedFinalImages({ kind: 'fixed', preset: 'high' }, 72)).toBe(18);
    expect(expectedFinalImages({ kind: 'fixed', preset: 'ultra' }, 72)).toBe(36);
    expect(expectedFinalImages({ kind: 'fixed', preset: 'low' }, 24)).toBe(3); // never below 3
  });

  it('uses maxImages for an adaptive transition', () => {
    expect(expectedFinalImages({ kind: 'adaptive', maxImages: 12 }, 72)).toBe(12);
    expect(expectedFinalImages({ kind: 'adaptive', budgetSeconds: 20 }, 72)).toBe(72);
  });
});
