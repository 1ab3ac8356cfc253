import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFastDemoModel } from '../demo/demo-model';
import { loadStableDiffusion } from '../sd/pipeline';
import type { StableDiffusion } from '../sd/types';
import { loadDemoPipelines } from '../testing/demo-pipelines';
import { buildFixedTree, planFixedTree, unetEvaluations } from './fixed-tree';
import { builtinDistance } from './perceptual';
import { renderTransition } from './transition';
import type { TransitionSpec } from './transition-spec';

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

describe('fast mode on the few-step demo model', () => {
  let fast: StableDiffusion;
  beforeAll(async () => {
    fast = await loadStableDiffusion(await ensureFastDemoModel(process.env.LBS_CACHE_DIR ?? undefined), { provider: 'cpu' });
  });
  afterAll(() => fast?.dispose());

  const spec = (scheduler: TransitionSpec['scheduler']): TransitionSpec => ({
    ...base,
    guidance: 0,
    scheduler,
    mode: { kind: 'fast', steps: 4, depthStrength: 0.5, branches: 9 },
  });

  for (const scheduler of [undefined, 'euler-ancestral'] as const) {
    it(`${scheduler ?? "the folder's own Euler"}: smooth, deterministic, at a fraction of the medium preset's evaluations`, async () => {
      expect(fast.info.scheduler.kind).toBe('euler');
      const result = await renderTransition(fast, spec(scheduler));
      expect(result.unetEvaluations).toBe(2 * 4 + 7 * 2);
      const medium = unetEvaluations(buildFixedTree(planFixedTree({ preset: 'medium', frames: 72, depthStrength: 0.5 })));
      expect(result.unetEvaluations).toBeLessThan(0.3 * medium);
      const again = await renderTransition(fast, spec(scheduler));
      result.images.forEach((img, i) => expect(Buffer.from(img.image.data).equals(Buffer.from(again.images[i].image.data))).toBe(true));
      const d = result.images.slice(1).map((img, i) => builtinDistance(result.images[i].image, img.image));
      const mean = d.reduce((a, b) => a + b, 0) / d.length;
      const endToEnd = builtinDistance(result.images[0].image, result.images[8].image);
      expect(Math.max(...d)).toBeLessThan(2 * mean);
      expect(Math.max(...d)).toBeLessThan(0.4 * endToEnd);
    });
  }
});
