import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineError } from '../errors';
import { FIXTURE_VARIANTS, writeFixtureModel, type FixtureOptions } from '../testing/fixture-model';
import { inspectModel } from './inspect';
import { loadStableDiffusion } from './pipeline';
import type { StableDiffusion } from './types';

const root = mkdtempSync(join(tmpdir(), 'lbs-fixtures-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function fixture(name: string, options: FixtureOptions): Promise<string> {
  const dir = join(root, name);
  await writeFixtureModel(dir, options);
  return dir;
}

async function loadError(dir: string): Promise<EngineError> {
  const error = await loadStableDiffusion(dir, { provider: 'cpu' }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EngineError);
  return error as EngineError;
}

/** Two denoising steps and a decode at 64×64: enough to run every input and output once. */
async function smokeRun(sd: StableDiffusion) {
  const schedule = sd.makeSchedule('ddim', 2);
  const cond = await sd.encodePrompt('a small test');
  const uncond = await sd.encodePrompt('');
  const inpaint =
    sd.info.unetInChannels === 9
      ? await sd.inpaintCondition(
          { width: 64, height: 64, data: new Uint8Array(64 * 64 * 3).fill(128) },
          { width: 64, height: 64, data: new Float32Array(64 * 64).fill(1) },
        )
      : undefined;
  const before = sd.stats.unetCalls;
  const [t] = await sd.runTrajectories(
    [{ startLatent: sd.initialNoise(0, 64, 64), startStep: 0, cond: cond.embedding, uncond: uncond.embedding, guidance: 7.5, inpaint }],
    schedule,
  );
  const calls = sd.stats.unetCalls - before;
  const [image] = await sd.decode(t.final);
  return { t, image, calls };
}

const runnable = Object.entries(FIXTURE_VARIANTS).filter(([name]) => name !== 'cuda-only');

describe('model folder loader on every I/O variant', () => {
  it.each(runnable)('%s loads and runs with shapes read from the sessions', async (name, options) => {
    const sd = await loadStableDiffusion(await fixture(name, options), { provider: 'cpu' });
    try {
      expect(sd.info.unetInChannels).toBe(options.unetChannels ?? 4);
      expect(sd.info.textHiddenSize).toBe(options.hiddenSize ?? 32);
      expect(sd.info.predictionType).toBe(options.prediction ?? 'epsilon');
      expect(sd.info.hasVaeEncoder).toBe(options.vaeEncoder !== 'none');
      const { t, image, calls } = await smokeRun(sd);
      expect(t.final.dims).toEqual([1, 4, 8, 8]);
      expect(t.final.data.every(Number.isFinite)).toBe(true);
      expect([image.width, image.height, image.data.length]).toEqual([64, 64, 64 * 64 * 3]);
      // CFG: one batched call per step, or a call per row when the export fixes batch 1.
      expect(calls).toBe(options.fixedBatch ? 4 : 2);
      if (options.vaeEncoder !== 'none') {
        const latent = await sd.encodeImage(image);
        expect(latent.dims).toEqual([1, 4, 8, 8]);
      }
    } finally {
      await sd.dispose();
    }
  });

  it('refuses a model with a CUDA-only fused operator on the CPU, naming the operator and the file', async () => {
    const dir = await fixture('cuda-only', FIXTURE_VARIANTS['cuda-only']);
    const error = await loadError(dir);
    expect(error.code).toBe('MODEL_UNSUPPORTED_OP');
    expect(error.message).toContain(join(dir, 'unet', 'model.onnx'));
    expect(error.message).toMatch(/GroupNorm/);
    expect(error.message).toMatch(/CPU provider cannot run/);
    expect(error.hint).toMatch(/CUDA|re-export/);
  });

  it('says a model without a VAE encoder cannot encode images, and why', async () => {
    const sd = await loadStableDiffusion(await fixture('no-encoder-2', { vaeEncoder: 'none' }), { provider: 'cpu' });
    const error = await sd.encodeImage({ width: 64, height: 64, data: new Uint8Array(64 * 64 * 3) }).catch((e: unknown) => e);
    expect((error as EngineError).code).toBe('MODEL_FILE_MISSING');
    expect((error as EngineError).message).toMatch(/vae_encoder\/model\.onnx/);
    await sd.dispose();
  });
});

describe('loader errors name the file and the problem', () => {
  it('a file that is not ONNX', async () => {
    const dir = await fixture('not-onnx', {});
    writeFileSync(join(dir, 'unet', 'model.onnx'), 'this is not a protobuf');
    const error = await loadError(dir);
    expect(error.code).toBe('MODEL_NOT_ONNX');
    expect(error.message).toBe(`${join(dir, 'unet', 'model.onnx')} is not an ONNX model (it could not be parsed).`);
  });

  it('missing external weights', async () => {
    const dir = await fixture('ext-missing', { externalData: 'model.onnx_data' });
    rmSync(join(dir, 'unet', 'model.onnx_data'));
    const error = await loadError(dir);
    expect(error.code).toBe('MODEL_EXTERNAL_DATA');
    expect(error.message).toContain(join(dir, 'unet', 'model.onnx'));
    expect(error.hint).toMatch(/same folder/);
  });

  it('a graph with unexpected inputs', async () => {
    const dir = await fixture('wrong-io', {});
    copyFileSync(join(dir, 'text_encoder', 'model.onnx'), join(dir, 'unet', 'model.onnx'));
    const error = await loadError(dir);
    expect(error.code).toBe('MODEL_BAD_IO');
    expect(error.message).toContain(join(dir, 'unet', 'model.onnx'));
    expect(error.message).toMatch(/expected 'sample'.*found inputs \{input_ids: int32/);
  });

  it('a broken scheduler config and a missing tokenizer file', async () => {
    const dir = await fixture('bad-config', {});
    writeFileSync(join(dir, 'scheduler', 'scheduler_config.json'), '{ "beta_start": ');
    const bad = await loadError(dir);
    expect(bad.code).toBe('MODEL_BAD_CONFIG');
    expect(bad.message).toContain(join(dir, 'scheduler', 'scheduler_config.json'));
    const dir2 = await fixture('no-vocab', {});
    rmSync(join(dir2, 'tokenizer', 'vocab.json'));
    const tok = await loadError(dir2);
    expect(tok.message).toContain(join(dir2, 'tokenizer'));
    expect(tok.message).toMatch(/vocab\.json/);
  });

  it('inspect collects every problem instead of stopping at the first', async () => {
    const dir = await fixture('inspect-two-problems', {});
    writeFileSync(join(dir, 'vae_decoder', 'model.onnx'), 'garbage');
    writeFileSync(join(dir, 'scheduler', 'scheduler_config.json'), '[]');
    const report = await inspectModel(dir, 'cpu');
    expect(report.loads).toBe(false);
    expect(report.errors.map((e) => e.code).sort()).toEqual(['MODEL_BAD_CONFIG', 'MODEL_NOT_ONNX']);
    expect(report.components.find((c) => c.component === 'unet')?.inputs?.map((i) => i.name)).toEqual(['sample', 'timestep', 'encoder_hidden_states']);
  });

  it('inspect and the pipeline name the scheduler used without --scheduler: PNDM falls back to DDIM with the reason, Euler is the folder\'s own', async () => {
    const pndm = await fixture('inspect-pndm', { scheduler: 'pndm' });
    const report = await inspectModel(pndm, 'cpu');
    expect(report.defaultScheduler).toEqual({ kind: 'ddim', className: 'PNDMScheduler', fallbackReason: expect.stringMatching(/PNDMScheduler is not one of the engine's schedulers/) });
    expect(report.fewStep).toBeUndefined();
    const turbo = await fixture('inspect-turbo', {});
    writeFileSync(join(turbo, 'scheduler', 'scheduler_config.json'), JSON.stringify({ _class_name: 'EulerDiscreteScheduler', beta_schedule: 'scaled_linear', beta_start: 0.00085, beta_end: 0.012, timestep_spacing: 'trailing', steps_offset: 1 }));
    const turboReport = await inspectModel(turbo, 'cpu');
    expect(turboReport.defaultScheduler).toEqual({ kind: 'euler', className: 'EulerDiscreteScheduler' });
    expect(turboReport.fewStep).toMatchObject({ steps: 4, guidance: 0, mode: 'fast' });
    const sd = await loadStableDiffusion(turbo, { provider: 'cpu' });
    try {
      expect(sd.info.scheduler.kind).toBe('euler');
      expect(sd.info.fewStep?.reason).toMatch(/EulerDiscreteScheduler with "trailing" timesteps/);
      expect(sd.makeSchedule('euler', 4).timesteps).toEqual([999, 749, 499, 249]);
    } finally {
      await sd.dispose();
    }
  });
});
