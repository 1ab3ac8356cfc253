import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MASK_DISK, MASK_SIZE, inpaintMask } from '../../examples/make-inpaint-mask';
import { decodePng, decodePngGray } from '../media/png';
import { resolveProjectPaths } from './create';
import { effectiveSteps, presetFinalImages, transitionFrameCount } from './quality';
import { loadProject } from './store';

const examples = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../examples');

describe('example projects', () => {
  it('transition.lbs.json: two keyframes on the demo model at 512²', async () => {
    const p = await loadProject(path.join(examples, 'transition.lbs.json'));
    expect(p.keyframes).toHaveLength(2);
    expect(p.transitions).toHaveLength(1);
    expect([p.model, p.width, p.height]).toEqual([{ id: 'demo' }, 512, 512]);
  });

  it('movie.lbs.json: four keyframes, fixed and adaptive transitions', async () => {
    const p = await loadProject(path.join(examples, 'movie.lbs.json'));
    expect(p.keyframes).toHaveLength(4);
    expect(p.transitions.map((t) => t.mode.kind)).toEqual(['fixed', 'fixed', 'adaptive']);
    expect(new Set(p.keyframes.map((k) => k.seed)).size).toBe(4);
  });

  it('examples stay small enough to render in about a minute on two CPU cores', async () => {
    // Budget: keyframes cost N steps each, and a fixed tree's F images cost at most N steps
    // each; at ~12 ms per 512² demo step that stays far below a minute per project.
    for (const name of ['transition', 'movie', 'inpaint']) {
      const p = await loadProject(path.join(examples, `${name}.lbs.json`));
      const n = effectiveSteps(p);
      let images = p.keyframes.length;
      for (const t of p.transitions) {
        images += t.mode.kind === 'fixed' ? presetFinalImages(t.mode.preset, transitionFrameCount(t.duration, p.fps)) : (t.mode.maxImages ?? 0);
      }
      expect(n * images, name).toBeLessThanOrEqual(2000);
    }
  });

  it('inpaint.lbs.json: keyframe A has a mask and no image (A is rendered from its prompt first)', async () => {
    const file = path.join(examples, 'inpaint.lbs.json');
    const p = await loadProject(file);
    expect(p.keyframes[0].mask).toBe('inpaint-mask.png');
    expect(p.keyframes[0].image).toBeUndefined();
    expect(p.inpaintingModel).toEqual({ id: 'demo-inpainting' });
    const maskFile = resolveProjectPaths(p, file).keyframes[0].mask!;
    const mask = decodePngGray(await readFile(maskFile));
    expect([mask.width, mask.height]).toEqual([p.width, p.height]);
    // Binary: white = regenerate, black = keep.
    expect(mask.data.every((v) => v === 0 || v === 1)).toBe(true);
    const at = (x: number, y: number) => mask.data[y * mask.width + x];
    expect(at(MASK_DISK.cx, MASK_DISK.cy)).toBe(1);
    expect([at(0, 0), at(511, 0), at(0, 511), at(511, 511), at(256, 400)]).toEqual([0, 0, 0, 0, 0]);
    // The white area is the disk: π r² within 1 %.
    const white = mask.data.reduce((n, v) => n + v, 0);
    expect(Math.abs(white - Math.PI * MASK_DISK.r ** 2) / (Math.PI * MASK_DISK.r ** 2)).toBeLessThan(0.01);
  });

  it('the committed mask is what examples/make-inpaint-mask.ts draws', async () => {
    const committed = decodePng(await readFile(path.join(examples, 'inpaint-mask.png')));
    const drawn = inpaintMask();
    expect([committed.width, committed.height]).toEqual([MASK_SIZE, MASK_SIZE]);
    expect(Buffer.from(committed.data).equals(Buffer.from(drawn.data))).toBe(true);
  });
});
