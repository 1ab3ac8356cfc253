import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStableDiffusion } from '../sd/pipeline';
import { buildSdSizeUnet, buildSdSizeVaeDecoder, scaledWidth, writeSdSizeModel } from './sd-size-model';

describe('the SD 2.1-size benchmark model', () => {
  it('has exactly the parameter counts of SD 2.1-base (UNet) and SD\'s VAE decoder at full size', () => {
    // diffusers: UNet2DConditionModel of stabilityai/stable-diffusion-2-1-base has 865,910,724
    // parameters; AutoencoderKL's decoder + post_quant_conv 49,490,199. Equal counts mean the
    // same blocks, widths, heads and cross-attention dims.
    expect(buildSdSizeUnet({}, true).parameters).toBe(865_910_724);
    expect(buildSdSizeVaeDecoder({}, true).parameters).toBe(49_490_199);
  });

  it('refuses a scale that would make a block narrower than one attention head', () => {
    expect(scaledWidth(320, 0.2)).toBe(64);
    expect(() => scaledWidth(320, 0.05)).toThrow(/narrower than 64 channels/);
  });

  it('writes a reduced model that loads as an SD 2 folder and denoises with finite values', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'lbs-sd-size-')), 'model');
    const { unetParameters } = await writeSdSizeModel(dir, { scale: 0.2 });
    expect(unetParameters).toBeGreaterThan(30e6);
    const sd = await loadStableDiffusion(dir, { provider: 'cpu' });
    try {
      expect(sd.info).toMatchObject({ unetInChannels: 4, textHiddenSize: 1024, textLength: 77 });
      const c = await sd.encodePrompt('a cat');
      const [t] = await sd.runTrajectories([{ startLatent: sd.initialNoise(0, 64, 64), startStep: 0, stopStep: 1, cond: c.embedding, uncond: c.embedding, guidance: 7.5 }], sd.makeSchedule('ddim', 10));
      expect(t.final.dims).toEqual([1, 4, 8, 8]);
      const [image] = await sd.decode(t.final);
      expect([image.width, image.height]).toEqual([64, 64]);
      // Random weights, yet not a flat picture: the layout carries signal through.
      expect(new Set(image.data).size).toBeGreaterThan(20);
    } finally {
      await sd.dispose();
    }
  });
});
