import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDemoModels } from '../demo/demo-model';
import { EngineError } from '../errors';
import { FIXTURE_VARIANTS, writeFixtureModel } from '../testing/fixture-model';
import { loadStableDiffusion } from './pipeline';
import { sizeProblem } from './size-rule';

const here = path.dirname(fileURLToPath(import.meta.url));
/** diffusers' UNet2DConditionModel with the SD 2 block layout, exported to ONNX (shared/conformance). */
const CONFORMANCE_MODEL = path.resolve(here, '../../../../shared/conformance/sd2-tiny-diffusers/model');

const root = mkdtempSync(join(tmpdir(), 'lbs-size-rule-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function refusal(run: () => unknown): EngineError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    return error as EngineError;
  }
  throw new Error('the size was accepted');
}

describe('the sizes a UNet accepts, read from the model', () => {
  it('an SD 2 UNet exported by diffusers: multiples of 64, read from its graph, and refused before ONNX Runtime fails', async () => {
    const sd = await loadStableDiffusion(CONFORMANCE_MODEL, { provider: 'cpu' });
    try {
      expect(sd.info.sizeRule).toEqual({ kind: 'multiple', multiple: 64, halvings: 3, from: 'graph' });
      const error = refusal(() => sd.initialNoise(0, 96, 64));
      expect(error.code).toBe('MODEL_SIZE_UNSUPPORTED');
      expect(error.message).toBe(
        `96×64 does not fit ${sd.info.name}: this model's UNet takes sizes in multiples of 64 px (its graph halves the latent 3 times); use width 64 or 128.`,
      );
      expect(sd.initialNoise(0, 128, 64).dims).toEqual([1, 4, 8, 16]);
    } finally {
      await sd.dispose();
    }
    // The rule is the UNet's own: at 96×64 its skip connections cannot be joined.
    const session = await ort.InferenceSession.create(join(CONFORMANCE_MODEL, 'unet', 'model.onnx'));
    const hidden = session.inputMetadata.find((m) => m.name === 'encoder_hidden_states');
    const width = hidden?.isTensor && typeof hidden.shape[2] === 'number' ? hidden.shape[2] : 32;
    const feeds = (h: number, w: number) => ({
      sample: new ort.Tensor('float32', new Float32Array(4 * h * w), [1, 4, h, w]),
      timestep: new ort.Tensor('int64', BigInt64Array.from([1n]), [1]),
      encoder_hidden_states: new ort.Tensor('float32', new Float32Array(77 * width), [1, 77, width]),
    });
    await expect(session.run(feeds(8, 12))).rejects.toThrow();
    await expect(session.run(feeds(8, 16))).resolves.toBeDefined();
    await session.release();
  });

  it('the demo model: any multiple of 8 (its UNet never downsamples)', async () => {
    const dirs = await ensureDemoModels(process.env.LBS_CACHE_DIR ?? join(root, 'demo'));
    for (const dir of [dirs.text2img, dirs.inpainting]) {
      const sd = await loadStableDiffusion(dir, { provider: 'cpu' });
      try {
        expect(sd.info.sizeRule).toEqual({ kind: 'multiple', multiple: 8, halvings: 0, from: 'graph' });
        expect(sd.initialNoise(0, 264, 200).dims).toEqual([1, 4, 25, 33]);
      } finally {
        await sd.dispose();
      }
    }
  });

  it('the fixture models: symbolic sizes take multiples of 8, a fixed export only its own size', async () => {
    for (const [name, options] of Object.entries(FIXTURE_VARIANTS).filter(([n]) => n !== 'cuda-only')) {
      const dir = join(root, name);
      await writeFixtureModel(dir, options);
      const sd = await loadStableDiffusion(dir, { provider: 'cpu' });
      try {
        if (options.fixedLatentSize) {
          expect(sd.info.sizeRule, name).toEqual({ kind: 'fixed', width: 64, height: 64 });
          const error = refusal(() => sd.initialNoise(0, 128, 64));
          expect(error.message).toBe(`128×64 does not fit ${sd.info.name}: this model's UNet was exported for 64×64 only.`);
          expect(error.hint).toMatch(/Set the project's size to 64×64/);
        } else {
          expect(sd.info.sizeRule, name).toEqual({ kind: 'multiple', multiple: 8, halvings: 0, from: 'graph' });
        }
        expect(sd.initialNoise(0, 64, 64).dims).toEqual([1, 4, 8, 8]);
      } finally {
        await sd.dispose();
      }
    }
  });

  it('names the nearest sizes that fit, per side', () => {
    const sd2 = { kind: 'multiple', multiple: 64, halvings: 3, from: 'sd2-default' } as const;
    expect(sizeProblem(sd2, 512, 512)).toBeNull();
    expect(sizeProblem(sd2, 520, 768)).toBe("this model's UNet takes sizes in multiples of 64 px (as every SD 2 UNet, it halves the latent 3 times); use width 512 or 576");
    expect(sizeProblem(sd2, 40, 700)).toBe("this model's UNet takes sizes in multiples of 64 px (as every SD 2 UNet, it halves the latent 3 times); use width 64, height 640 or 704");
  });
});
