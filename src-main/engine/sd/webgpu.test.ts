import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderTransition } from '../blend/transition';
import type { TransitionSpec } from '../blend/transition-spec';
import { writeFixtureModel } from '../testing/fixture-model';
import type { RgbImage } from '../image';
import { useSwiftShader } from '../testing/swiftshader';
import { loadStableDiffusion } from './pipeline';
import type { StableDiffusion } from './types';

// The engine on ONNX Runtime's WebGPU EP. In CI (no GPU) that is Dawn over SwiftShader, the
// software Vulkan Debian's Chromium ships; `.ci/run` sets the environment, this makes `npx vitest`
// work too. Few and small: a UNet call of the conformance model takes ≈ 6 s on SwiftShader.
useSwiftShader();

const CONFORMANCE = join(__dirname, '../../../../shared/conformance/sd2-tiny-diffusers/model');
const TWO_OVER_255 = 2;

function maxPixelDiff(a: RgbImage, b: RgbImage): number {
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  let m = 0;
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs(a.data[i] - b.data[i]));
  return m;
}

async function keyframe(sd: StableDiffusion, w: number, h: number, steps: number): Promise<RgbImage> {
  const cond = await sd.encodePrompt('a photo of an astronaut riding a horse on mars');
  const uncond = await sd.encodePrompt('blurry, low quality');
  const [t] = await sd.runTrajectories(
    [{ startLatent: sd.initialNoise(0, w, h), startStep: 0, cond: cond.embedding, uncond: uncond.embedding, guidance: 7.5 }],
    sd.makeSchedule('ddim', steps),
  );
  const [image] = await sd.decode(t.final);
  return image;
}

describe('WebGPU EP on the SD 2.x conformance model (diffusers classes)', () => {
  let gpu: StableDiffusion;
  let cpu: StableDiffusion;
  beforeAll(async () => {
    gpu = await loadStableDiffusion(CONFORMANCE, { provider: 'webgpu' });
    cpu = await loadStableDiffusion(CONFORMANCE, { provider: 'cpu' });
  }, 300_000);
  afterAll(async () => void (await Promise.all([gpu?.dispose(), cpu?.dispose()])));

  it('runs on the adapter it reports, without a fallback', () => {
    expect(gpu.provider).toMatchObject({ requested: 'webgpu', active: 'webgpu', fallbackReason: undefined, adapter: { architecture: 'swiftshader', software: true } });
  });

  it('renders a keyframe within 2/255 of the CPU provider', { timeout: 400_000 }, async () => {
    const [a, b] = [await keyframe(gpu, 64, 64, 2), await keyframe(cpu, 64, 64, 2)];
    const diff = maxPixelDiff(a, b);
    expect(diff).toBeLessThanOrEqual(TWO_OVER_255);
    // The image is a real render, not a constant that would agree trivially.
    expect(new Set(a.data).size).toBeGreaterThan(50);
  });
});

describe('WebGPU EP on the tiny fixtures', () => {
  const root = mkdtempSync(join(tmpdir(), 'lbs-webgpu-'));

  it('renders the fp32 fixture within 2/255 of the CPU provider', async () => {
    const dir = join(root, 'fp32');
    await writeFixtureModel(dir, {});
    const gpu = await loadStableDiffusion(dir, { provider: 'webgpu' });
    const cpu = await loadStableDiffusion(dir, { provider: 'cpu' });
    try {
      expect(gpu.provider.active).toBe('webgpu');
      expect(maxPixelDiff(await keyframe(gpu, 64, 64, 4), await keyframe(cpu, 64, 64, 4))).toBeLessThanOrEqual(TWO_OVER_255);
    } finally {
      await Promise.all([gpu.dispose(), cpu.dispose()]);
    }
  });

  it('runs an fp16 model on the CPU, with the reason, where the adapter has no shader-f16', async () => {
    const dir = join(root, 'fp16');
    await writeFixtureModel(dir, { precision: 'fp16', timestep: 'float16' });
    const sd = await loadStableDiffusion(dir, { provider: 'webgpu' });
    try {
      expect(sd.provider.active).toBe('cpu');
      expect(sd.provider.fallbackReason).toMatch(/^WebGPU: this is an fp16 model and SwiftShader Device Subzero \(software\) · Vulkan has no shader-f16 .* use the fp32 export/);
      // And it still renders, on the CPU.
      expect((await keyframe(sd, 64, 64, 2)).data.length).toBe(64 * 64 * 3);
    } finally {
      await sd.dispose();
    }
  });
  it('renders a short transition end to end that matches the CPU frame by frame', { timeout: 240_000 }, async () => {
    const spec: TransitionSpec = {
      a: { prompt: 'a red house on a hill', seed: 1 },
      b: { prompt: 'a blue lake in the mountains', seed: 2 },
      guidance: 5,
      guidanceMidDamper: 0.6,
      scheduler: 'ddim',
      width: 64,
      height: 64,
      mode: { kind: 'fixed', preset: 'lowest', frames: 4, depthStrength: 0.5, steps: 10 },
    };
    const dir = join(root, 'transition');
    await writeFixtureModel(dir, {});
    const gpu = await loadStableDiffusion(dir, { provider: 'webgpu' });
    const cpu = await loadStableDiffusion(dir, { provider: 'cpu' });
    const [onGpu, onCpu] = await (async () => {
      try {
        return [await renderTransition(gpu, spec), await renderTransition(cpu, spec)];
      } finally {
        await Promise.all([gpu.dispose(), cpu.dispose()]);
      }
    })();
    expect(onGpu.images.length).toBeGreaterThanOrEqual(3);
    expect(onGpu.images.length).toBe(onCpu.images.length);
    onGpu.images.forEach((img, i) => expect(maxPixelDiff(img.image, onCpu.images[i].image), `frame ${i}`).toBeLessThanOrEqual(TWO_OVER_255));
    expect(maxPixelDiff(onGpu.images[0].image, onGpu.images.at(-1)!.image)).toBeGreaterThan(10);
  });
});
