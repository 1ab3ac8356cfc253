import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StableDiffusion } from '../sd/types';
import { loadDemoPipelines } from '../testing/demo-pipelines';
import { builtinDistance } from './perceptual';
import { renderTransition, type TransitionSpec } from './transition';

// The transition engine on the real ONNX path (demo model: tokenizer, text encoder, CFG UNet, VAE).
let sd: StableDiffusion;
let inpaint: StableDiffusion;
const W = 128;
const H = 128;

let dispose: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ sd, inpaint, dispose } = await loadDemoPipelines());
});

afterAll(() => dispose?.());

const base: TransitionSpec = {
  a: { prompt: 'a red house on a hill', seed: 1 },
  b: { prompt: 'a blue lake in the mountains', seed: 2 },
  guidance: 5,
  guidanceMidDamper: 0.6,
  scheduler: 'ddim',
  width: W,
  height: H,
  mode: { kind: 'adaptive', steps: 20, depthStrength: 0.4, maxImages: 9 },
  parentalCrossfeed: { power: 0.3, range: 0.6, decay: 0.9 },
};

describe('renderTransition on the demo model', () => {
  it('ends on the keyframe renders and has no jump between neighbours', async () => {
    const result = await renderTransition(sd, base);
    expect(result.images).toHaveLength(9);
    // endpoints: the keyframes rendered on their own
    for (const [i, k] of [[0, base.a], [8, base.b]] as const) {
      const [t] = await sd.runTrajectories(
        [{ startLatent: sd.initialNoise(k.seed, W, H), startStep: 0, cond: (await sd.encodePrompt(k.prompt)).embedding, uncond: (await sd.encodePrompt('')).embedding, guidance: base.guidance }],
        sd.makeSchedule('ddim', 20),
      );
      const [img] = await sd.decode(t.final);
      expect(Buffer.from(result.images[i].image.data).equals(Buffer.from(img.data))).toBe(true);
    }
    // smoothness (spec §7): the largest neighbour distance is close to the mean
    const d = result.images.slice(1).map((img, i) => builtinDistance(result.images[i].image, img.image));
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    const max = Math.max(...d);
    const endToEnd = builtinDistance(result.images[0].image, result.images[8].image);
    expect(max).toBeLessThan(1.5 * mean);
    expect(max).toBeLessThan(0.35 * endToEnd);
  });

  it('keeps the kept region still in an inpainting transition', async () => {
    const image = { width: W, height: H, data: new Uint8Array(W * H * 3) };
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) image.data.set([x * 2, y * 2, 128], (y * W + x) * 3);
    const mask = { width: W, height: H, data: new Float32Array(W * H) };
    for (let y = 32; y < 96; y++) for (let x = 32; x < 96; x++) mask.data[y * W + x] = 1;
    const result = await renderTransition(inpaint, {
      ...base,
      a: { ...base.a, inpaint: { image, mask } },
      mode: { kind: 'fixed', preset: 'lowest', frames: 10, depthStrength: 0.5 },
    });
    let changedInside = false;
    for (const img of result.images) {
      for (let p = 0; p < W * H; p++) {
        const i = p * 3;
        if (mask.data[p] === 0) {
          expect(img.image.data[i]).toBe(image.data[i]);
          expect(img.image.data[i + 1]).toBe(image.data[i + 1]);
          expect(img.image.data[i + 2]).toBe(image.data[i + 2]);
        } else if (img.image.data[i] !== result.images[0].image.data[i]) {
          changedInside = true;
        }
      }
    }
    expect(changedInside).toBe(true);
  });
});
