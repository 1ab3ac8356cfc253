import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinDistance } from '../../engine/blend/perceptual';
import { isCancelled } from '../../engine/errors';
import { generateKeyframe } from '../../engine/jobs/keyframe';
import { ModelPool } from '../../engine/jobs/models';
import { makeContext } from '../../engine/jobs/context';
import { decodePng, encodePng } from '../../media/png';
import type { FrameEntry } from './frame-folders';
import { runPlanJob } from './plan-job';
import { runRenderJob } from './render-job';
import type { RenderJobResult } from './render-spec';

const root = mkdtempSync(join(tmpdir(), 'lbs-render-'));
const models = new ModelPool();
afterAll(async () => {
  await models.dispose();
  rmSync(root, { recursive: true, force: true });
});

const SIZE = 256;
const N = 12; // the 'lowest' preset: 12 steps, 5 final images whatever the duration

function projectJson(overrides: { prompts?: string[]; fps?: number; guidance?: number; durations?: number[]; mask?: string } = {}) {
  const prompts = overrides.prompts ?? ['a red sunset over the ocean', 'a dark green forest at night', 'snowy mountains under a blue sky'];
  return {
    format: 'latent-blending-studio',
    version: 1,
    name: 'test',
    model: { id: 'demo' },
    provider: 'cpu',
    width: SIZE,
    height: SIZE,
    fps: overrides.fps ?? 8,
    guidance: overrides.guidance ?? 7.5,
    keyframes: prompts.map((prompt, i) => ({ id: `k${i + 1}`, prompt, seed: 10 + i, ...(i === 0 && overrides.mask ? { mask: overrides.mask } : {}) })),
    transitions: prompts.slice(1).map((_, i) => ({ duration: overrides.durations?.[i] ?? 2, depthStrength: 0.5, mode: { kind: 'fixed', preset: 'lowest' } })),
  };
}

function writeProject(name: string, json: object): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.lbs.json`);
  writeFileSync(file, JSON.stringify(json, null, 2));
  return file;
}

function context(signal = new AbortController().signal, onProgress: (done: number) => void = () => {}) {
  const events: Record<string, unknown>[] = [];
  const ctx = makeContext({ signal, models, onProgress: (p) => onProgress(p.done), onEvent: (e) => events.push(e) });
  return { ctx, events };
}

async function render(file: string, framesDir?: string): Promise<RenderJobResult> {
  return runRenderJob({ kind: 'render', projectFile: file, scope: { kind: 'movie' }, framesDir }, context().ctx);
}

function readFrames(dir: string): { frames: FrameEntry[]; fps: number } {
  return JSON.parse(readFileSync(join(dir, 'frames.json'), 'utf8')) as { frames: FrameEntry[]; fps: number };
}

describe('rendering a project file', () => {
  const file = writeProject('movie', projectJson());
  const framesDir = join(root, 'movie-frames');
  let first: RenderJobResult;

  it('renders every transition, announces each final image, and writes frames at the project fps', async () => {
    const { ctx, events } = context();
    first = await runRenderJob({ kind: 'render', projectFile: file, scope: { kind: 'movie' }, framesDir }, ctx);
    expect(first.transitions.map((t) => t.index)).toEqual([0, 1]);
    // Each transition's plan: 2 keyframes × 12 steps + branches; K2 is shared and computed once.
    expect(first.stats.computedEvaluations).toBe(first.stats.unetEvaluations);
    expect(first.stats.unetEvaluations).toBe(first.transitions[0].unetEvaluations + first.transitions[1].unetEvaluations - N);
    const frameEvents = events.filter((e) => e.kind === 'frame');
    expect(frameEvents).toHaveLength(first.transitions[0].images + first.transitions[1].images);
    // Keyframes come first (coarse), then the tree fills in (finer).
    expect(frameEvents.slice(0, 2).map((e) => e.position).sort()).toEqual([0, 1]);

    const { frames, fps } = readFrames(framesDir);
    expect(fps).toBe(8);
    // 2 s + 2 s at 8 fps = 32 frames; keyframe 2 on frame round(2 · 8) = 16, shown once.
    expect(frames).toHaveLength(32);
    frames.forEach((f, n) => {
      expect(f.file).toBe(`${String(n).padStart(5, '0')}.png`);
      expect(f.time).toBeCloseTo(n / 8, 10);
    });
    expect(frames[0]).toMatchObject({ transition: 0, position: 0, kind: 'keyframe' });
    expect(frames[15]).toMatchObject({ transition: 0, position: 15 / 16 });
    expect(frames[16]).toMatchObject({ transition: 1, position: 0, kind: 'keyframe', time: 2 });
    expect(frames.filter((f) => f.kind === 'keyframe').map((f) => frames.indexOf(f))).toEqual([0, 16, 31]);
    expect(frames.at(-1)).toMatchObject({ transition: 1, position: 1, kind: 'keyframe' });
    for (let n = 1; n < frames.length; n++) {
      if (frames[n].transition === frames[n - 1].transition) expect(frames[n].position).toBeGreaterThan(frames[n - 1].position);
    }
    expect(new Set(frames.map((f) => f.kind))).toEqual(new Set(['keyframe', 'diffusion', 'fill']));
  });

  it('refuses a frames folder in a system folder before any diffusion', async () => {
    const { ctx, events } = context();
    await expect(runRenderJob({ kind: 'render', projectFile: file, scope: { kind: 'movie' }, framesDir: '/usr/share/frames' }, ctx)).rejects.toMatchObject({
      code: 'SYSTEM_FOLDER',
      message: expect.stringContaining('/usr is a system folder'),
    });
    expect(events.filter((e) => e.kind === 'frame')).toEqual([]);
  });

  it('starts and ends exactly on the keyframe renders', async () => {
    const sd = await models.get({ kind: 'demo' }, { provider: 'cpu' });
    const json = projectJson();
    const still = async (i: number) =>
      (await generateKeyframe(sd, { kind: 'keyframe', model: { kind: 'demo' }, prompt: json.keyframes[i].prompt, negativePrompt: '', seed: json.keyframes[i].seed, steps: N, guidance: 7.5, width: SIZE, height: SIZE, scheduler: 'ddim' }, context().ctx)).image;
    const frames = readFrames(framesDir).frames;
    expect(Buffer.from(encodePng(await still(0))).equals(readFileSync(join(framesDir, frames[0].file)))).toBe(true);
    expect(Buffer.from(encodePng(await still(2))).equals(readFileSync(join(framesDir, frames.at(-1)!.file)))).toBe(true);
  });

  it('has no jump: the largest consecutive-frame distance stays close to the mean', () => {
    const frames = readFrames(framesDir).frames;
    const images = frames.map((f) => decodePng(readFileSync(join(framesDir, f.file))));
    const d = images.slice(1).map((img, i) => builtinDistance(images[i], img));
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    expect(Math.max(...d)).toBeLessThan(3 * mean);
  });

  it('re-renders an unchanged project with zero UNet evaluations and identical frames', async () => {
    const before = readFileSync(join(framesDir, '00007.png'));
    const again = await render(file, framesDir);
    expect(again.stats.computedEvaluations).toBe(0);
    expect(again.stats.unetCalls).toBe(0);
    expect(again.fromCache).toBe(true);
    expect(readFileSync(join(framesDir, '00007.png')).equals(before)).toBe(true);
  });

  it('agrees with plan on the UNet evaluations of every transition', async () => {
    const plan = await runPlanJob({ kind: 'plan', projectFile: file }, context().ctx);
    expect(plan.transitions.map((t) => t.unetEvaluations)).toEqual(first.transitions.map((t) => t.unetEvaluations));
    expect(plan.unetEvaluations).toBe(first.stats.unetEvaluations);
    expect(plan.transitions.map((t) => t.images)).toEqual(first.transitions.map((t) => t.images));
    expect(plan.etaSeconds).toBeGreaterThan(0);
  });

  it('after editing the middle keyframe re-renders only what depends on it', async () => {
    const json = projectJson();
    json.keyframes[1].prompt = 'a golden desert at noon';
    writeFileSync(file, JSON.stringify(json));
    const edited = await render(file);
    // K1 and K3 come from the cache; K2 and every branch of both transitions are new.
    expect(edited.stats.computedEvaluations).toBe(edited.stats.unetEvaluations - 2 * N);
  });

  it('after editing the last keyframe leaves the first transition untouched', async () => {
    const json = projectJson();
    json.keyframes[1].prompt = 'a golden desert at noon';
    json.keyframes[2].seed = 99;
    writeFileSync(file, JSON.stringify(json));
    const edited = await render(file);
    expect(edited.stats.computedEvaluations).toBe(edited.transitions[1].unetEvaluations - N);
  });

  it('changing fps or durations runs no diffusion', async () => {
    const json = { ...projectJson({ fps: 12, durations: [3, 1.5] }) };
    json.keyframes[1].prompt = 'a golden desert at noon';
    json.keyframes[2].seed = 99;
    writeFileSync(file, JSON.stringify(json));
    const retimed = await render(file, framesDir);
    expect(retimed.stats.computedEvaluations).toBe(0);
    const retimedFrames = readFrames(framesDir).frames;
    // round((3 + 1.5) · 12) = 54 frames, keyframe 2 on round(3 · 12) = 36.
    expect(retimedFrames).toHaveLength(54);
    expect(retimedFrames[36]).toMatchObject({ transition: 1, position: 0, kind: 'keyframe' });
  });

  it('holds and easing re-time with no diffusion: a held keyframe lands on round(t_k · fps) and stays (issue 12)', async () => {
    const json = { ...projectJson({ fps: 12, durations: [3, 1.5] }), version: 2 } as Record<string, any>;
    json.keyframes[1].prompt = 'a golden desert at noon';
    json.keyframes[2].seed = 99;
    json.keyframes[1].hold = 1;
    json.transitions[0].easing = { curve: 'ease-in-out' };
    writeFileSync(file, JSON.stringify(json));
    const retimed = await render(file, framesDir);
    expect(retimed.stats.computedEvaluations).toBe(0);
    const frames = readFrames(framesDir).frames;
    // (3 + 1 + 1.5) · 12 = 66 frames; keyframe 2 lands on frame 36 and shows until its transition moves on frame 48.
    expect(frames).toHaveLength(66);
    expect(frames.slice(36, 49).every((f) => f.kind === 'keyframe' && f.position === 0 && f.transition === 1)).toBe(true);
    expect(frames[49].kind).not.toBe('keyframe');
    expect(readFileSync(join(framesDir, frames[36].file)).equals(readFileSync(join(framesDir, frames[48].file)))).toBe(true);
  });

  it('a loop adds one transition back to keyframe 1 that reuses both keyframe trajectories, and the last frame steps into the first', async () => {
    const json = { ...projectJson({ fps: 12, durations: [3, 1.5] }), version: 2, loop: true } as Record<string, any>;
    json.keyframes[1].prompt = 'a golden desert at noon';
    json.keyframes[2].seed = 99;
    json.transitions.push({ duration: 2, depthStrength: 0.5, mode: { kind: 'fixed', preset: 'lowest' } });
    writeFileSync(file, JSON.stringify(json));
    const looped = await render(file, framesDir);
    expect(looped.transitions.map((t) => t.index)).toEqual([0, 1, 2]);
    // Only the loop-back transition's own branches are new: K3 and K1 come from the cache.
    expect(looped.stats.computedEvaluations).toBe(looped.transitions[2].unetEvaluations - 2 * N);
    const frames = readFrames(framesDir).frames;
    expect(frames).toHaveLength((3 + 1.5 + 2) * 12);
    expect(frames.at(-1)).toMatchObject({ transition: 2 });
    expect(frames.at(-1)!.kind).not.toBe('keyframe');
    const images = frames.map((f) => decodePng(readFileSync(join(framesDir, f.file))));
    const steps = images.slice(1).map((img, i) => builtinDistance(images[i], img));
    const mean = steps.reduce((a, b) => a + b, 0) / steps.length;
    // Last → first is an ordinary step of the movie, not a cut.
    expect(builtinDistance(images.at(-1)!, images[0])).toBeLessThan(3 * mean);
  });

  it('changing the guidance re-renders everything', async () => {
    const json = projectJson({ guidance: 5 });
    json.keyframes[1].prompt = 'a golden desert at noon';
    json.keyframes[2].seed = 99;
    writeFileSync(file, JSON.stringify(json));
    const changed = await render(file);
    expect(changed.stats.computedEvaluations).toBe(changed.stats.unetEvaluations);
  });
});

describe('cancel and resume', () => {
  it('a cancelled render resumes from the cache and gives the same frames as an uninterrupted one', async () => {
    const json = projectJson({ prompts: ['ocean waves', 'a field of sunflowers'] });
    const whole = writeProject('whole', json);
    const wholeFrames = join(root, 'whole-frames');
    await render(whole, wholeFrames);

    const interrupted = writeProject('interrupted', json);
    const controller = new AbortController();
    const { ctx } = context(controller.signal, (done) => {
      if (done >= 30) controller.abort();
    });
    const error = await runRenderJob({ kind: 'render', projectFile: interrupted, scope: { kind: 'movie' } }, ctx).catch((e: unknown) => e);
    expect(isCancelled(error)).toBe(true);
    const resumedFrames = join(root, 'resumed-frames');
    const resumed = await render(interrupted, resumedFrames);
    expect(resumed.stats.computedEvaluations).toBeGreaterThan(0);
    expect(resumed.stats.computedEvaluations).toBeLessThan(resumed.stats.unetEvaluations);
    const a = readFrames(wholeFrames).frames;
    const b = readFrames(resumedFrames).frames;
    expect(b).toEqual(a);
    for (const f of a) expect(readFileSync(join(resumedFrames, f.file)).equals(readFileSync(join(wholeFrames, f.file)))).toBe(true);
  });
});

describe('cache writes behind the render', () => {
  it('a cache write that fails fails the render instead of losing the entry', async () => {
    const file = writeProject('unwritable', projectJson({ prompts: ['a quiet pond', 'a busy street'] }));
    const cacheDir = join(root, 'unwritable-cache');
    mkdirSync(cacheDir, { recursive: true });
    // A file where the latents folder must go: every trajectory write fails.
    writeFileSync(join(cacheDir, 'latents'), 'not a folder');
    const error = await runRenderJob({ kind: 'render', projectFile: file, cacheDir, scope: { kind: 'movie' } }, context().ctx).catch((e: unknown) => e);
    expect(String((error as Error).message)).toMatch(/EEXIST|ENOTDIR/);
  });
});

describe('render job arguments', () => {
  it('refuses a frame folder for less than the whole movie before rendering anything', async () => {
    const file = writeProject('frames-for-one', projectJson());
    const { ctx, events } = context();
    await expect(
      runRenderJob({ kind: 'render', projectFile: file, scope: { kind: 'transition', index: 0 }, framesDir: join(root, 'frames-for-one', 'frames') }, ctx),
    ).rejects.toThrow(/Frames can only be written for the whole movie, not for a transition/);
    expect(events.filter((e) => e.kind === 'frame')).toEqual([]);
  });
});

describe('inpainting transition from a project', () => {
  it('keeps the masked-out region still in every frame', async () => {
    const dir = join(root, 'inpaint');
    mkdirSync(dir, { recursive: true });
    // Regenerate the left half; keep the right half.
    const mask = new Uint8Array(SIZE * SIZE * 3);
    for (let y = 0; y < SIZE; y++) for (let x = 0; x < SIZE / 2; x++) mask.fill(255, (y * SIZE + x) * 3, (y * SIZE + x) * 3 + 3);
    writeFileSync(join(dir, 'mask.png'), encodePng({ width: SIZE, height: SIZE, data: mask }));
    const file = join(dir, 'inpaint.lbs.json');
    writeFileSync(file, JSON.stringify(projectJson({ prompts: ['a red sunset over the ocean', 'a dark green forest at night'], mask: 'mask.png' })));
    const framesDir = join(dir, 'frames');
    await render(file, framesDir);
    const frames = readFrames(framesDir).frames.map((f) => decodePng(readFileSync(join(framesDir, f.file))));
    const first = frames[0];
    let keptChanged = 0;
    let regeneratedChanged = 0;
    for (const img of frames) {
      for (let y = 0; y < SIZE; y++) {
        for (let x = 0; x < SIZE; x++) {
          const i = (y * SIZE + x) * 3;
          const same = img.data[i] === first.data[i] && img.data[i + 1] === first.data[i + 1] && img.data[i + 2] === first.data[i + 2];
          if (x >= SIZE / 2 && !same) keptChanged++;
          if (x < SIZE / 2 - 16 && !same) regeneratedChanged++;
        }
      }
    }
    expect(keptChanged).toBe(0);
    expect(regeneratedChanged).toBeGreaterThan(frames.length * 1000);
  });

  it('names a mask that is not a PNG and says how to fix it', async () => {
    const dir = join(root, 'bad-mask');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'mask.png'), 'not a png');
    const file = join(dir, 'bad-mask.lbs.json');
    writeFileSync(file, JSON.stringify(projectJson({ prompts: ['a red sunset over the ocean', 'a dark green forest at night'], mask: 'mask.png' })));
    await expect(render(file)).rejects.toMatchObject({
      code: 'INVALID_PROJECT',
      message: expect.stringContaining(`Mask ${join(dir, 'mask.png')} is not a readable PNG`),
      hint: expect.stringContaining('Save it again as PNG'),
    });
  });
});

describe('cache-only pass (reopening a project)', () => {
  it('announces exactly the complete transitions and stills, and runs no diffusion', async () => {
    const json = projectJson({ prompts: ['a quiet lake', 'a red barn', 'a city at night'] });
    const file = writeProject('reopen', json);
    // Render only the first transition and keyframe 3's still.
    await runRenderJob({ kind: 'render', projectFile: file, scope: { kind: 'transition', index: 0 } }, context().ctx);
    await runRenderJob({ kind: 'render', projectFile: file, scope: { kind: 'keyframe', index: 2 } }, context().ctx);
    const { ctx, events } = context();
    const sd = await models.get({ kind: 'demo' }, { provider: 'cpu' });
    const calls = sd.stats.unetCalls;
    const result = await runRenderJob({ kind: 'render', projectFile: file, scope: { kind: 'movie' }, cacheOnly: true }, ctx);
    expect(sd.stats.unetCalls).toBe(calls);
    expect(result.stats.computedEvaluations).toBe(0);
    const frames = events.filter((e) => e.kind === 'frame');
    expect([...new Set(frames.filter((e) => e.transition !== undefined).map((e) => e.transition))]).toEqual([0]);
    expect(frames.filter((e) => e.transition === 0)).toHaveLength(result.transitions[0].images);
    expect(frames.filter((e) => e.keyframe !== undefined).map((e) => e.keyframe)).toEqual([2]);
  });
});

describe('an inpainting transition inside a movie', () => {
  it('starts exactly on the picture the previous transition ended on, and costs what plan says', async () => {
    const dir = join(root, 'inpaint-join');
    mkdirSync(dir, { recursive: true });
    const mask = new Uint8Array(SIZE * SIZE * 3);
    for (let y = SIZE / 4; y < (3 * SIZE) / 4; y++) for (let x = SIZE / 4; x < (3 * SIZE) / 4; x++) mask.fill(255, (y * SIZE + x) * 3, (y * SIZE + x) * 3 + 3);
    writeFileSync(join(dir, 'mask.png'), encodePng({ width: SIZE, height: SIZE, data: mask }));
    const json = projectJson({ prompts: ['a red sunset over the ocean', 'a dark green forest at night', 'snowy mountains under a blue sky'] });
    (json.keyframes[1] as Record<string, unknown>).mask = 'mask.png';
    const file = join(dir, 'join.lbs.json');
    writeFileSync(file, JSON.stringify(json));
    const { ctx, events } = context();
    const result = await runRenderJob({ kind: 'render', projectFile: file, scope: { kind: 'movie' } }, ctx);
    const [t0, t1] = result.transitions;
    // The inpainting transition's keyframe A is keyframe 2 as transition 1 rendered it: same file.
    expect(readFileSync(t1.files[0]).equals(readFileSync(t0.files.at(-1)!))).toBe(true);
    expect(result.stats.computedEvaluations).toBe(result.stats.unetEvaluations);
    const plan = await runPlanJob({ kind: 'plan', projectFile: file }, context().ctx);
    expect(plan.transitions.map((t) => t.unetEvaluations)).toEqual([t0.unetEvaluations, t1.unetEvaluations]);
    expect(plan.transitions[1].inpainting).toBe(true);
    // Every final image of the inpainting transition keeps the unmasked border of keyframe 2.
    const first = decodePng(readFileSync(t1.files[0]));
    for (const f of t1.files) {
      const img = decodePng(readFileSync(f));
      for (let x = 0; x < SIZE; x++) expect(img.data[x * 3]).toBe(first.data[x * 3]);
    }
    expect(events.filter((e) => e.kind === 'frame' && e.transition === 1)).toHaveLength(t1.images);
  });
});

describe('fast mode on the few-step demo model (Euler trailing, guidance 0)', () => {
  const json = {
    format: 'latent-blending-studio',
    version: 1,
    name: 'fast',
    model: { id: 'demo-fast' },
    provider: 'cpu',
    width: SIZE,
    height: SIZE,
    fps: 24,
    guidance: 0,
    keyframes: [
      { id: 'k1', prompt: 'a red sunset over the ocean', seed: 10 },
      { id: 'k2', prompt: 'snowy mountains under a blue sky', seed: 11 },
    ],
    transitions: [{ duration: 3, depthStrength: 0.5, mode: { kind: 'fast' } }],
  };
  const file = writeProject('fast', json);
  const framesDir = join(root, 'fast-frames');

  it('runs the folder\'s own Euler scheduler at 4 steps, and plan explains the single injection step', async () => {
    const plan = await runPlanJob({ kind: 'plan', projectFile: file }, context().ctx);
    expect(plan.scheduler).toEqual({ kind: 'euler', source: 'model' });
    expect(plan.fewStep).toMatchObject({ steps: 4, guidance: 0, mode: 'fast' });
    // 3 s × 24 fps = 72 frames → 9 evenly spaced images (as medium); 2 × 4 + 7 × (4 − 2) evaluations.
    expect(plan.transitions[0]).toMatchObject({ mode: 'fast', steps: 4, injectionSteps: [2], images: 9, unetEvaluations: 22 });
    expect(plan.transitions[0].explanation).toMatch(/7 branches start from the keyframes' latents after step 2 of 4 and run 2 steps each/);
    const medium = writeProject('medium', { ...json, name: 'medium', model: { id: 'demo' }, guidance: 7.5, transitions: [{ duration: 3, depthStrength: 0.5, mode: { kind: 'fixed', preset: 'medium' } }] });
    const mediumPlan = await runPlanJob({ kind: 'plan', projectFile: medium }, context().ctx);
    expect(plan.unetEvaluations).toBeLessThan(0.25 * mediumPlan.unetEvaluations);
    expect(mediumPlan.transitions[0].images).toBe(9);
  });

  it('renders a smooth transition that starts and ends exactly on the keyframe stills', async () => {
    const result = await runRenderJob({ kind: 'render', projectFile: file, scope: { kind: 'movie' }, framesDir }, context().ctx);
    expect(result.stats.unetEvaluations).toBe(22);
    const sd = await models.get({ kind: 'demo-fast' }, { provider: 'cpu' });
    const still = async (i: number) =>
      (await generateKeyframe(sd, { kind: 'keyframe', model: { kind: 'demo-fast' }, prompt: json.keyframes[i].prompt, seed: json.keyframes[i].seed, steps: 4, guidance: 0, width: SIZE, height: SIZE }, context().ctx)).image;
    const { frames } = readFrames(framesDir);
    expect(frames).toHaveLength(72);
    expect(Buffer.from(encodePng(await still(0))).equals(readFileSync(join(framesDir, frames[0].file)))).toBe(true);
    expect(Buffer.from(encodePng(await still(1))).equals(readFileSync(join(framesDir, frames.at(-1)!.file)))).toBe(true);
    const images = frames.map((f) => decodePng(readFileSync(join(framesDir, f.file))));
    const d = images.slice(1).map((img, i) => builtinDistance(images[i], img));
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    expect(Math.max(...d)).toBeLessThan(3 * mean);
    expect(builtinDistance(images[0], images.at(-1)!)).toBeGreaterThan(10 * mean);
  });
});
