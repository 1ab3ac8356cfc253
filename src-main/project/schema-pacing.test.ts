import { describe, expect, it } from 'vitest';
import { parseProject } from './parse';
import { CURRENT_PROJECT_VERSION } from './schema';

const doc = (extra: Record<string, unknown>) => ({ format: 'latent-blending-studio', version: CURRENT_PROJECT_VERSION, ...extra });
const three = [{ prompt: 'a' }, { prompt: 'b' }, { prompt: 'c' }];

describe('holds, easing and loop in the project file (issue 12)', () => {
  it('fills in a loop-back transition when transitions are left out, one per keyframe', () => {
    const p = parseProject(doc({ loop: true, keyframes: three }));
    expect(p.loop).toBe(true);
    expect(p.transitions).toHaveLength(3);
    expect(parseProject(doc({ keyframes: three })).transitions).toHaveLength(2);
  });

  it('says a looping file needs one transition per keyframe, and why', () => {
    expect(() => parseProject(doc({ loop: true, keyframes: three, transitions: [{}, {}] }))).toThrow(
      /transitions: has 2 entries but 3 keyframes need exactly 3 .*the last one back to the first because "loop" is true\); add 1/,
    );
  });

  it('refuses a loop of one keyframe, keyframe crossfeed on the loop-back transition and a mask on the last keyframe', () => {
    expect(() => parseProject(doc({ loop: true, keyframes: [{ prompt: 'a' }] }))).toThrow(/loop: needs at least 2 keyframes/);
    expect(() => parseProject(doc({ loop: true, keyframes: three, transitions: [{}, {}, { crossfeed: { keyframe: {} } }] }))).toThrow(
      /transitions\[2\]\.crossfeed\.keyframe: keyframe crossfeed on the loop-back transition/,
    );
    expect(() => parseProject(doc({ loop: true, keyframes: [{ prompt: 'a' }, { prompt: 'b', mask: 'm.png' }] }))).toThrow(/keyframes\[1\]\.mask: a mask on the last keyframe of a looping movie/);
  });

  it('checks holds and easing fields with the allowed values in the message', () => {
    expect(() => parseProject(doc({ keyframes: [{ hold: -1 }, {}] }))).toThrow(/keyframes\[0\]\.hold/);
    expect(() => parseProject(doc({ keyframes: three, transitions: [{ easing: { curve: 'bounce' } }, {}] }))).toThrow(/transitions\[0\]\.easing\.curve.*ease-in/s);
    expect(() => parseProject(doc({ keyframes: three, transitions: [{ easing: { strength: 2 } }, {}] }))).toThrow(/transitions\[0\]\.easing\.strength/);
  });
});
