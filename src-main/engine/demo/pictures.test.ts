import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RgbImage } from '../image';
import { writeDemoModel } from './demo-model';
import { type DemoSessions, decodeLatent, embedPrompt, fromRgb, loadDemoSessions, sampleLatent, toRgb } from './demo-sampling';
import { VAE_SCALE } from './prior';

let root: string;
let s: DemoSessions;
let uncond: Float32Array;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lbs-pictures-'));
  await writeDemoModel(root, 'text2img');
  s = await loadDemoSessions(root);
  uncond = await embedPrompt(s, '');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const SUNSET = 'a red sunset over the ocean';
const FOREST = 'a dark green forest at night';

async function picture(prompt: string, seed: number, guidance = 7.5, size = 256): Promise<RgbImage> {
  const cond = await embedPrompt(s, prompt);
  const h = size / 8;
  const latent = await sampleLatent(s.unet, { cond, uncond, seed, steps: 20, guidance, latentHeight: h, latentWidth: h });
  return decodeLatent(s.vaeDecoder, latent, h, h);
}

function meanAbsDifference(a: RgbImage, b: RgbImage): number {
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i] - b.data[i]);
  return sum / a.data.length;
}

function meanColour(image: RgbImage): [number, number, number] {
  const sum = [0, 0, 0];
  for (let i = 0; i < image.data.length; i++) sum[i % 3] += image.data[i];
  const n = image.data.length / 3;
  return [sum[0] / n, sum[1] / n, sum[2] / n];
}

/** Pearson correlation of the grey levels: how alike two layouts are, whatever their colours. */
function layoutCorrelation(a: RgbImage, b: RgbImage): number {
  const grey = (im: RgbImage) => Array.from({ length: im.data.length / 3 }, (_, i) => im.data[3 * i] + im.data[3 * i + 1] + im.data[3 * i + 2]);
  const x = grey(a);
  const y = grey(b);
  const mx = x.reduce((p, v) => p + v, 0) / x.length;
  const my = y.reduce((p, v) => p + v, 0) / y.length;
  let xy = 0;
  let xx = 0;
  let yy = 0;
  for (let i = 0; i < x.length; i++) {
    xy += (x[i] - mx) * (y[i] - my);
    xx += (x[i] - mx) ** 2;
    yy += (y[i] - my) ** 2;
  }
  return xy / Math.sqrt(xx * yy);
}

/** Mean over pixels of max(R,G,B) − min(R,G,B). */
function chroma(image: RgbImage): number {
  let sum = 0;
  for (let i = 0; i < image.data.length; i += 3) {
    const px = [image.data[i], image.data[i + 1], image.data[i + 2]];
    sum += Math.max(...px) - Math.min(...px);
  }
  return sum / (image.data.length / 3);
}

describe('demo pictures', () => {
  it('makes clearly different pictures for different prompts and related ones for different seeds', async () => {
    // At 512×512, the size the prior is tuned for (smaller latents let seeds wander further).
    const sunset1 = await picture(SUNSET, 1, 7.5, 512);
    const sunset2 = await picture(SUNSET, 2, 7.5, 512);
    const forest1 = await picture(FOREST, 1, 7.5, 512);
    const seeds = meanAbsDifference(sunset1, sunset2);
    const prompts = meanAbsDifference(sunset1, forest1);
    expect(seeds).toBeGreaterThan(4); // visibly different…
    expect(prompts).toBeGreaterThan(2.5 * seeds); // …but far less than another prompt
    expect(layoutCorrelation(sunset1, sunset2)).toBeGreaterThan(layoutCorrelation(sunset1, forest1) + 0.2);

    // Colour words push the colours the obvious way.
    const [r, g, b] = meanColour(sunset1);
    expect(r).toBeGreaterThan(g + 30);
    expect(r).toBeGreaterThan(b + 30);
    const [fr, fg, fb] = meanColour(forest1);
    expect(fg).toBeGreaterThan(fr + 20);
    expect(fr + fg + fb).toBeLessThan(r + g + b - 60); // "dark … at night" is darker
  });

  it('looks washed out without guidance, like Stable Diffusion at CFG 1', async () => {
    const guided = await picture(SUNSET, 5, 7.5);
    const unguided = await picture(SUNSET, 5, 1);
    expect(chroma(unguided)).toBeLessThan(0.5 * chroma(guided));
  });

  it('encodes and decodes an image back to about the same colours', async () => {
    const size = 128;
    const colours = [
      [200, 60, 40],
      [40, 120, 200],
      [90, 160, 70],
      [230, 220, 200],
    ];
    const data = new Uint8Array(size * size * 3);
    const quadrant = (x: number, y: number) => (y < size / 2 ? 0 : 2) + (x < size / 2 ? 0 : 1);
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) data.set(colours[quadrant(x, y)], (y * size + x) * 3);
    const encoded = await s.vaeEncoder.run({ sample: new ort.Tensor('float32', fromRgb({ width: size, height: size, data }), [1, 3, size, size]) });
    const parameters = encoded.latent_parameters.data as Float32Array;
    const h = size / 8;
    const latent = parameters.slice(0, 4 * h * h).map((v) => v * VAE_SCALE); // the mean, as the pipeline scales it
    const decoded = await decodeLatent(s.vaeDecoder, latent, h, h);
    for (let q = 0; q < 4; q++) {
      // Inside each quadrant, away from the edges the 8× upsampling blurs.
      const sum = [0, 0, 0];
      let n = 0;
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const inner = x % (size / 2) >= 16 && x % (size / 2) < size / 2 - 16 && y % (size / 2) >= 16 && y % (size / 2) < size / 2 - 16;
          if (!inner || quadrant(x, y) !== q) continue;
          for (let c = 0; c < 3; c++) sum[c] += decoded.data[(y * size + x) * 3 + c];
          n++;
        }
      }
      sum.forEach((v, c) => expect(Math.abs(v / n - colours[q][c]), `quadrant ${q} channel ${c}`).toBeLessThan(8));
    }
  });

  it.each([
    [512, 512],
    [768, 768],
    [512, 768],
  ])('runs at %i×%i', async (height, width) => {
    const h = height / 8;
    const w = width / 8;
    const cond = await embedPrompt(s, SUNSET);
    const latent = await sampleLatent(s.unet, { cond, uncond, seed: 1, steps: 2, guidance: 7.5, latentHeight: h, latentWidth: w });
    const out = await s.vaeDecoder.run({ latent_sample: new ort.Tensor('float32', latent.map((v) => v / VAE_SCALE), [1, 4, h, w]) });
    expect(out.sample.dims).toEqual([1, 3, height, width]);
    const image = toRgb(out.sample.data as Float32Array, width, height);
    expect(meanColour(image)[0]).toBeGreaterThan(50);
  });
});
