import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodePng } from '../media/png';
import { movieFrames, planMovie, type RenderedTransition } from './movie-frames';

const dir = mkdtempSync(join(tmpdir(), 'lbs-movie-frames-'));

function flat(name: string, value: number): string {
  const file = join(dir, `${name}.png`);
  writeFileSync(file, encodePng({ width: 16, height: 16, data: new Uint8Array(16 * 16 * 3).fill(value) }));
  return file;
}

/** Frames of the transition that fall strictly between final images i and i+1. */
function framesInGap(picks: Awaited<ReturnType<typeof planMovie>>['picks'][number], gap: number): number {
  return picks.filter((p) => p.kind === 'crossfade' && p.from === gap).length;
}

describe('movie frame placement', () => {
  // Black → near-black is a small perceptual step, near-black → white a large one, though both are half the transition in f.
  const frames = [
    { position: 0, file: flat('a', 0) },
    { position: 0.5, file: flat('b', 20) },
    { position: 1, file: flat('c', 255) },
  ];
  const base: RenderedTransition = { duration: 2, frames };

  it('spreads fill frames evenly over f by default', async () => {
    const plan = await planMovie([base], 12);
    expect(plan.totalFrames).toBe(24);
    expect(Math.abs(framesInGap(plan.picks[0], 0) - framesInGap(plan.picks[0], 1))).toBeLessThanOrEqual(1);
  });

  it('gives the perceptually larger gap more frames under even perceived speed', async () => {
    const plan = await planMovie([{ ...base, easing: { curve: 'even-perceived-speed', strength: 0.5 } }], 12);
    expect(plan.totalFrames).toBe(24);
    expect(framesInGap(plan.picks[0], 1)).toBeGreaterThan(3 * framesInGap(plan.picks[0], 0));
  });
});

describe('movie timing (issue 9: a keyframe lands on its second)', () => {
  // Three 3 s transitions with distinct keyframe colours: K1 = 0, K2 = 80, K3 = 160, K4 = 240.
  const transition = (a: number, b: number): RenderedTransition => ({
    duration: 3,
    frames: [
      { position: 0, file: flat(`k${a}`, a) },
      { position: 0.5, file: flat(`m${a}`, a + 40) },
      { position: 1, file: flat(`k${b}`, b) },
    ],
  });
  const movie = [transition(0, 80), transition(80, 160), transition(160, 240)];

  it('3 × 3 s at 24 fps is 216 frames with keyframe k on frame 72·k and the last keyframe on the last frame', async () => {
    const plan = await planMovie(movie, 24);
    expect(plan.totalFrames).toBe(216);
    const shown: { value: number; kind: string; transition: number }[] = [];
    for await (const f of movieFrames(plan)) shown.push({ value: f.image.data[0], kind: f.kind, transition: f.transition });
    expect(shown).toHaveLength(216);
    const keyframes = shown.flatMap((f, n) => (f.kind === 'keyframe' ? [[n, f.value]] : []));
    expect(keyframes).toEqual([
      [0, 0],
      [72, 80],
      [144, 160],
      [215, 240],
    ]);
    expect(plan.timing.keyframeFrames).toEqual([0, 72, 144, 215]);
  });

  it('re-timing to another fps keeps every keyframe on round(t_k · fps)', async () => {
    const plan = await planMovie(movie, 25);
    const kinds: string[] = [];
    for await (const f of movieFrames(plan)) kinds.push(f.kind);
    expect(kinds).toHaveLength(225);
    expect(kinds.flatMap((k, n) => (k === 'keyframe' ? [n] : []))).toEqual([0, 75, 150, 224]);
  });

  it('holds keep a keyframe on screen and count in t_k: the held keyframe lands on its second and stays, with no re-render', async () => {
    // Keyframe 2 held 1 s, the last one 0.5 s: keyframes at 0, 3, 7, 10 s.
    const plan = await planMovie(movie, 24, { holds: [0, 0, 1, 0.5] });
    expect(plan.totalFrames).toBe(252);
    const shown: { value: number; kind: string }[] = [];
    for await (const f of movieFrames(plan)) shown.push({ value: f.image.data[0], kind: f.kind });
    expect(shown).toHaveLength(252);
    const keyframeFrames = (value: number) => shown.flatMap((f, n) => (f.kind === 'keyframe' && f.value === value ? [n] : []));
    expect(keyframeFrames(80)).toEqual([72]);
    // Keyframe 3 from its landing on frame 144 through the frame its transition starts moving on (168).
    expect(keyframeFrames(160)).toEqual(Array.from({ length: 25 }, (_, i) => 144 + i));
    expect(keyframeFrames(240)).toEqual(Array.from({ length: 12 }, (_, i) => 240 + i));
    expect(plan.timing.keyframeFrames).toEqual([0, 72, 144, 240]);
  });

  it('easing re-times the same images: ease in gives the start more frames than the end', async () => {
    const eased = await planMovie([{ ...transition(0, 80), easing: { curve: 'ease-in', strength: 0.5 } }], 24);
    const linear = await planMovie([transition(0, 80)], 24);
    // Linear: 72 frames + the end keyframe = 73 samples, 3 images, 70 crossfades split 35/35 (the last sample is the next transition's).
    expect(Math.abs(framesInGap(linear.picks[0], 0) - framesInGap(linear.picks[0], 1))).toBeLessThanOrEqual(1);
    expect(framesInGap(eased.picks[0], 0)).toBeGreaterThan(framesInGap(eased.picks[0], 1));
    expect(eased.totalFrames).toBe(linear.totalFrames);
  });
});
