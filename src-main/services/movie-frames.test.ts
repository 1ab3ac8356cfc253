import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodePng } from '../media/png';
import { planMovie, type RenderedTransition } from './movie-frames';

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

  it('gives the perceptually larger gap more frames with equal perceptual spacing', async () => {
    const plan = await planMovie([{ ...base, equalPerceptualSpacing: true }], 12);
    expect(plan.totalFrames).toBe(24);
    expect(framesInGap(plan.picks[0], 1)).toBeGreaterThan(3 * framesInGap(plan.picks[0], 0));
  });
});
