import { describe, expect, it } from 'vitest';
import { parseProject } from '../project/parse';
import { planTransition, projectTiming, transitionEndIsStill } from './transition-specs';

const keyframes = (n: number) => Array.from({ length: n }, (_, i) => ({ prompt: `p${i}`, seed: i }));

describe('plan timing (issue 9: the same numbers in plan as in the export)', () => {
  it('reports each transition where the movie shows it: 3 × 3 s at 24 fps is 216 frames, keyframe 2 on frame 72', () => {
    const project = parseProject({ format: 'latent-blending-studio', version: 1, fps: 24, keyframes: keyframes(4), transitions: [{ duration: 3 }, { duration: 3 }, { duration: 3 }] });
    const timing = { tStep: 1, tDecode: 0 };
    expect(project.transitions.map((_, i) => planTransition(project, i, timing)).map((t) => [t.startFrame, t.frames])).toEqual([
      [0, 72],
      [72, 72],
      [144, 72],
    ]);
    expect(projectTiming(project)).toMatchObject({ totalFrames: 216, keyframeFrames: [0, 72, 144, 215] });
  });
});

describe('transitionEndIsStill', () => {
  it('is true for plain ends and false where inpainting, keyframe crossfeed or an imported picture makes the end differ from the still', () => {
    const base = { format: 'latent-blending-studio', version: 1, keyframes: keyframes(3) };
    const plain = parseProject(base);
    expect([transitionEndIsStill(plain, 0, 0), transitionEndIsStill(plain, 0, 1), transitionEndIsStill(plain, 1, 0), transitionEndIsStill(plain, 1, 1)]).toEqual([true, true, true, true]);
    const crossfed = parseProject({ ...base, transitions: [{ crossfeed: { keyframe: {} } }, {}] });
    // K2 is pulled toward K1 by transition 1's keyframe crossfeed: as its end and as transition 2's start.
    expect([transitionEndIsStill(crossfed, 0, 0), transitionEndIsStill(crossfed, 0, 1), transitionEndIsStill(crossfed, 1, 0), transitionEndIsStill(crossfed, 1, 1)]).toEqual([true, false, false, true]);
    const masked = parseProject({ ...base, keyframes: [{ prompt: 'a', mask: 'm.png' }, { prompt: 'b' }, { prompt: 'c', image: 'c.png' }] });
    expect([transitionEndIsStill(masked, 0, 0), transitionEndIsStill(masked, 0, 1), transitionEndIsStill(masked, 1, 0), transitionEndIsStill(masked, 1, 1)]).toEqual([false, false, true, false]);
  });
});
