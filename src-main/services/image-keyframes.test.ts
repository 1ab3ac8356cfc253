import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fitImage, type ImageFit } from '../engine/image-fit';
import type { RgbImage } from '../engine/image';
import { ModelPool } from '../engine/jobs/models';
import { makeContext } from '../engine/jobs/context';
import { decodePng, encodePng } from '../media/png';
import type { FrameEntry } from './render/frame-folders';
import { runPlanJob } from './render/plan-job';
import { runRenderJob } from './render/render-job';
import type { RenderJobResult } from './render/render-spec';

const root = mkdtempSync(join(tmpdir(), 'lbs-image-keyframes-'));
const models = new ModelPool();
afterAll(async () => {
  await models.dispose();
  rmSync(root, { recursive: true, force: true });
});

const SIZE = 256;
const N = 12; // the 'lowest' preset

/** A picture the prompts would never give: a smooth colour ramp with a disc, in the given size. */
function picture(width: number, height: number, hue: 0 | 1): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inDisc = (x - width * 0.6) ** 2 + (y - height * 0.4) ** 2 < (Math.min(width, height) * 0.2) ** 2;
      const ramp = Math.round((255 * x) / (width - 1));
      const rgb = inDisc ? (hue ? [250, 240, 40] : [30, 220, 240]) : hue ? [40, ramp, 200] : [ramp, 60, 30];
      data.set(rgb, (y * width + x) * 3);
    }
  }
  return { width, height, data };
}

type KeyframeExtra = { image?: string; imageFit?: ImageFit; mask?: string };

function projectJson(extras: KeyframeExtra[] = [{}, {}]) {
  const prompts = ['a red sunset over the ocean', 'a dark green forest at night', 'snowy mountains under a blue sky'].slice(0, extras.length);
  return {
    format: 'latent-blending-studio',
    version: 1,
    name: 'pictures',
    model: { id: 'demo' },
    provider: 'cpu',
    width: SIZE,
    height: SIZE,
    fps: 8,
    keyframes: prompts.map((prompt, i) => ({ id: `k${i + 1}`, prompt, seed: 10 + i, ...extras[i] })),
    transitions: prompts.slice(1).map(() => ({ duration: 2, depthStrength: 0.5, mode: { kind: 'fixed', preset: 'lowest' } })),
  };
}

function project(name: string, json: object, files: Record<string, Buffer | string> = {}): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [f, bytes] of Object.entries(files)) writeFileSync(join(dir, f), bytes);
  const file = join(dir, `${name}.lbs.json`);
  writeFileSync(file, JSON.stringify(json, null, 2));
  return file;
}

function context() {
  const events: Record<string, unknown>[] = [];
  let progressed = 0;
  const ctx = makeContext({ signal: new AbortController().signal, models, onProgress: () => progressed++, onEvent: (e) => events.push(e) });
  return { ctx, events, progressed: () => progressed };
}

async function renderFrames(file: string, framesDir: string): Promise<{ result: RenderJobResult; frames: RgbImage[] }> {
  const result = await runRenderJob({ kind: 'render', projectFile: file, scope: { kind: 'movie' }, framesDir }, context().ctx);
  const { frames } = JSON.parse(readFileSync(join(framesDir, 'frames.json'), 'utf8')) as { frames: FrameEntry[] };
  return { result, frames: frames.map((f) => decodePng(readFileSync(join(framesDir, f.file)))) };
}

function meanAbsDiff(a: RgbImage, b: RgbImage): number {
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i] - b.data[i]);
  return sum / a.data.length;
}

/** The picture as the demo VAE gives it back: encode, then decode. */
async function throughVae(image: RgbImage): Promise<RgbImage> {
  const sd = await models.get({ kind: 'demo' }, { provider: 'cpu' });
  const [decoded] = await sd.decode(await sd.encodeImage(image));
  return decoded;
}

describe('image keyframes in movie renders', () => {
  const wide = picture(384, 256, 0); // not the project's aspect: the fit decides what is kept

  it('start the movie from the fitted picture, not from the prompt', async () => {
    const plain = await renderFrames(project('plain', projectJson()), join(root, 'plain-frames'));
    const file = project('one-picture', projectJson([{ image: 'a.png' }, {}]), { 'a.png': encodePng(wide) });
    const { result, frames } = await renderFrames(file, join(root, 'one-picture-frames'));
    const expected = await throughVae(fitImage(wide, SIZE, SIZE, 'crop')); // crop is the default fit
    const fromPicture = meanAbsDiff(frames[0], expected);
    const fromPrompt = meanAbsDiff(plain.frames[0], expected);
    expect(meanAbsDiff(frames[0], plain.frames[0])).toBeGreaterThan(10);
    expect(fromPicture).toBeLessThan(4);
    expect(fromPicture).toBeLessThan(fromPrompt / 5);
    // The picture's trajectory runs no UNet step: K1 costs nothing, K2 is shared.
    expect(result.stats.computedEvaluations).toBe(plain.result.stats.computedEvaluations - N);
    // A project without pictures renders exactly as before (same cache, nothing recomputed).
    const again = await renderFrames(project('plain', projectJson()), join(root, 'plain-frames'));
    expect(again.result.stats.computedEvaluations).toBe(0);
  });

  it('re-renders when the fit choice or the picture content changes', async () => {
    const name = 'refit';
    const dir = join(root, `${name}-frames`);
    const crop = await renderFrames(project(name, projectJson([{ image: 'a.png', imageFit: 'crop' }, {}]), { 'a.png': encodePng(wide) }), dir);
    const fit = await renderFrames(project(name, projectJson([{ image: 'a.png', imageFit: 'fit' }, {}])), dir);
    expect(fit.result.stats.computedEvaluations).toBeGreaterThan(0);
    expect(meanAbsDiff(fit.frames[0], await throughVae(fitImage(wide, SIZE, SIZE, 'fit')))).toBeLessThan(4);
    expect(meanAbsDiff(fit.frames[0], crop.frames[0])).toBeGreaterThan(5);
    // Same path, new pixels: the cache must not serve the old picture.
    const other = picture(384, 256, 1);
    const changed = await renderFrames(project(name, projectJson([{ image: 'a.png', imageFit: 'fit' }, {}]), { 'a.png': encodePng(other) }), dir);
    expect(changed.result.stats.computedEvaluations).toBeGreaterThan(0);
    expect(meanAbsDiff(changed.frames[0], await throughVae(fitImage(other, SIZE, SIZE, 'fit')))).toBeLessThan(4);
  });

  it('blend two pictures: both ends are the pictures, the images between are new', async () => {
    const a = picture(SIZE, SIZE, 0);
    const b = picture(200, 320, 1);
    const file = project('two-pictures', projectJson([{ image: 'a.png' }, { image: 'b.png', imageFit: 'fill' }]), { 'a.png': encodePng(a), 'b.png': encodePng(b) });
    const { result, frames } = await renderFrames(file, join(root, 'two-pictures-frames'));
    const va = await throughVae(a);
    const vb = await throughVae(fitImage(b, SIZE, SIZE, 'fill'));
    expect(meanAbsDiff(frames[0], va)).toBeLessThan(4);
    expect(meanAbsDiff(frames.at(-1)!, vb)).toBeLessThan(4);
    const middle = frames[Math.floor(frames.length / 2)];
    expect(meanAbsDiff(middle, va)).toBeGreaterThan(5);
    expect(meanAbsDiff(middle, vb)).toBeGreaterThan(5);
    // Only the branches ran: neither keyframe cost a UNet step, and plan says the same.
    const plan = await runPlanJob({ kind: 'plan', projectFile: file }, context().ctx);
    expect(result.stats.computedEvaluations).toBe(plan.unetEvaluations);
    expect(plan.transitions[0].unetEvaluations).toBe(result.transitions[0].unetEvaluations);
  });
});

describe('two pictures on a time budget', () => {
  it('plans the adaptive tree from the measured speed of this machine, since neither keyframe runs a step', async () => {
    const json = projectJson([{ image: 'a.png' }, { image: 'b.png' }]);
    json.transitions[0].mode = { kind: 'adaptive', budgetSeconds: 2 } as never;
    const file = project('budget-pictures', json, { 'a.png': encodePng(picture(SIZE, SIZE, 0)), 'b.png': encodePng(picture(SIZE, SIZE, 1)) });
    const { result, frames } = await renderFrames(file, join(root, 'budget-pictures-frames'));
    expect(result.transitions[0].images).toBeGreaterThan(2);
    expect(meanAbsDiff(frames[0], await throughVae(picture(SIZE, SIZE, 0)))).toBeLessThan(4);
  });
});

describe('bad keyframe pictures fail before any work', () => {
  const good = encodePng(picture(SIZE, SIZE, 0));
  const cases: { name: string; files: Record<string, Buffer | string>; extra: KeyframeExtra; message: string }[] = [
    { name: 'missing', files: {}, extra: { image: 'gone.png' }, message: 'gone.png cannot be read (keyframe 2)' },
    { name: 'not-png', files: { 'photo.png': 'GIF89a not really a png' }, extra: { image: 'photo.png' }, message: 'photo.png is not a readable PNG' },
    { name: 'truncated', files: { 'cut.png': good.subarray(0, Math.floor(good.length / 2)) }, extra: { image: 'cut.png' }, message: 'cut.png is not a readable PNG' },
    { name: 'missing-mask', files: {}, extra: { mask: 'nomask.png' }, message: 'Mask' },
  ];
  for (const c of cases) {
    it(`${c.name}: the render and plan refuse with the file named, no model loaded`, async () => {
      const file = project(`bad-${c.name}`, projectJson([{}, c.extra, {}]), c.files);
      const render = context();
      const error = { code: 'INVALID_PROJECT', message: expect.stringContaining(c.message), hint: expect.any(String) };
      await expect(runRenderJob({ kind: 'render', projectFile: file, scope: { kind: 'movie' } }, render.ctx)).rejects.toMatchObject(error);
      expect(render.progressed()).toBe(0);
      expect(render.events).toEqual([]);
      const plan = context();
      await expect(runPlanJob({ kind: 'plan', projectFile: file }, plan.ctx)).rejects.toMatchObject(error);
      expect(plan.progressed()).toBe(0);
    });
  }

  it('a bad picture outside the rendered scope does not block a keyframe still', async () => {
    const file = project('bad-elsewhere', projectJson([{}, { image: 'gone.png' }]));
    const result = await runRenderJob({ kind: 'render', projectFile: file, scope: { kind: 'keyframe', index: 0 } }, context().ctx);
    expect(result.scope).toEqual({ kind: 'keyframe', index: 0 });
  });
});
