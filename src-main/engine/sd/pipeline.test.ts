import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MODEL_NAME } from '../demo/demo-model';
import { isCancelled } from '../errors';
import { loadDemoPipelines } from '../testing/demo-pipelines';
import type { StableDiffusion } from './types';
import type { Tensor } from '../tensor';

// The demo model is the real ONNX path end to end: tokenizer, text encoder, CFG UNet, VAE.
let sd: StableDiffusion;
let inpaint: StableDiffusion;
const W = 256;
const H = 256;

let dispose: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ sd, inpaint, dispose } = await loadDemoPipelines());
});

afterAll(() => dispose?.());

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

async function trajectory(prompt: string, seed: number, steps = 8, guidance = 7.5) {
  const schedule = sd.makeSchedule('ddim', steps);
  const cond = await sd.encodePrompt(prompt);
  const uncond = await sd.encodePrompt('');
  const [t] = await sd.runTrajectories(
    [{ startLatent: sd.initialNoise(seed, W, H), startStep: 0, cond: cond.embedding, uncond: uncond.embedding, guidance }],
    schedule,
  );
  return { t, cond, uncond, schedule };
}

describe('Stable Diffusion pipeline on the demo model', () => {
  it('reports the model as the demo, with its SD 2 shapes read from the sessions', () => {
    expect(sd.info.name).toBe(DEMO_MODEL_NAME);
    expect(sd.info.isDemo).toBe(true);
    expect(sd.info.unetInChannels).toBe(4);
    expect(sd.info.textLength).toBe(77);
    expect(sd.info.textHiddenSize).toBeGreaterThan(0);
    expect(inpaint.info.unetInChannels).toBe(9);
    expect(sd.provider).toEqual({ requested: 'cpu', active: 'cpu', fallbackReason: undefined });
  });

  it('never encodes the same prompt twice in a session', async () => {
    const before = { ...sd.stats };
    const a = await sd.encodePrompt('a quiet lake at dawn');
    const b = await sd.encodePrompt('a quiet lake at dawn');
    expect(b).toBe(a);
    expect(sd.stats.textEncodes - before.textEncodes).toBe(1);
    expect(sd.stats.textCacheHits - before.textCacheHits).toBe(1);
    expect(a.embedding.dims).toEqual([1, 77, sd.info.textHiddenSize]);
  });

  it('reports the words cut from prompts over 77 tokens', async () => {
    const words = Array.from({ length: 90 }, (_, i) => (i < 80 ? 'red' : `blue${i}`));
    const e = await sd.encodePrompt(words.join(' '));
    expect(e.droppedWords.length).toBeGreaterThan(0);
    expect(e.droppedWords.at(-1)).toBe('blue89');
  });

  it('is deterministic: the same request gives the same latents', async () => {
    const a = await trajectory('a red sunset over the ocean', 3);
    const b = await trajectory('a red sunset over the ocean', 3);
    expect(maxAbsDiff(a.t.final.data, b.t.final.data)).toBe(0);
    const [imgA] = await sd.decode(a.t.final);
    const [imgB] = await sd.decode(b.t.final);
    expect(Buffer.from(imgA.data).equals(Buffer.from(imgB.data))).toBe(true);
    expect([imgA.width, imgA.height]).toEqual([W, H]);
  });

  it('records the latent after every step and can start at any step', async () => {
    const { t, cond, uncond, schedule } = await trajectory('green hills', 1);
    expect(t.latents.every((l) => l !== undefined)).toBe(true);
    expect(t.latents.at(-1)).toBe(t.final);
    // Restarting from the recorded latent of step 4 reproduces the tail of the trajectory
    // (DDIM is memoryless, so this is exact).
    const [tail] = await sd.runTrajectories(
      [{ startLatent: t.latents[3]!, startStep: 4, cond: cond.embedding, uncond: uncond.embedding, guidance: 7.5 }],
      schedule,
    );
    expect(tail.latents.slice(0, 4).every((l) => l === undefined)).toBe(true);
    expect(maxAbsDiff(tail.final.data, t.final.data)).toBeLessThan(1e-6);
  });

  it('calls the step hook before every UNet call and uses the latent it returns', async () => {
    const schedule = sd.makeSchedule('ddim', 6);
    const cond = await sd.encodePrompt('a castle');
    const uncond = await sd.encodePrompt('');
    const seen: number[] = [];
    const zero: Tensor = { data: new Float32Array(4 * (H / 8) * (W / 8)), dims: [1, 4, H / 8, W / 8] };
    const [hooked] = await sd.runTrajectories(
      [
        {
          startLatent: sd.initialNoise(0, W, H),
          startStep: 2,
          cond: cond.embedding,
          uncond: uncond.embedding,
          guidance: 7.5,
          hook: ({ step }) => {
            seen.push(step);
            return step === 2 ? zero : undefined;
          },
        },
      ],
      schedule,
    );
    expect(seen).toEqual([2, 3, 4, 5]);
    const [fromZero] = await sd.runTrajectories(
      [{ startLatent: zero, startStep: 2, cond: cond.embedding, uncond: uncond.embedding, guidance: 7.5 }],
      schedule,
    );
    expect(maxAbsDiff(hooked.final.data, fromZero.final.data)).toBe(0);
  });

  it('batches several trajectories into one UNet call per step, with the same results', async () => {
    const schedule = sd.makeSchedule('ddim', 5);
    const uncond = (await sd.encodePrompt('')).embedding;
    const prompts = ['red', 'blue sky', 'a forest'];
    const requests = await Promise.all(
      prompts.map(async (p, i) => ({ startLatent: sd.initialNoise(i, W, H), startStep: 0, cond: (await sd.encodePrompt(p)).embedding, uncond, guidance: 5 + i })),
    );
    const before = sd.stats.unetCalls;
    const batched = await sd.runTrajectories(requests, schedule, { maxBatch: 3 });
    expect(sd.stats.unetCalls - before).toBe(5);
    const single = [];
    for (const r of requests) single.push((await sd.runTrajectories([r], schedule, { maxBatch: 1 }))[0]);
    for (let i = 0; i < 3; i++) expect(maxAbsDiff(batched[i].final.data, single[i].final.data)).toBeLessThan(1e-4);
  });

  it('stops a trajectory before its stop step and drops it from the batch from then on', async () => {
    const schedule = sd.makeSchedule('ddim', 5);
    const uncond = (await sd.encodePrompt('')).embedding;
    const cond = (await sd.encodePrompt('a harbour')).embedding;
    const full = { startLatent: sd.initialNoise(3, W, H), startStep: 1, cond, uncond, guidance: 6 };
    const before = { ...sd.stats };
    const [short, long] = await sd.runTrajectories([{ ...full, stopStep: 3 }, full], schedule, { maxBatch: 2 });
    // steps 1, 2 batched (2 images), steps 3, 4 the long one alone
    expect(sd.stats.unetCalls - before.unetCalls).toBe(4);
    expect(sd.stats.unetImages - before.unetImages).toBe(2 + 4);
    expect(short.latents.map((l) => l !== undefined)).toEqual([false, true, true, false, false]);
    expect(short.final).toBe(short.latents[2]);
    for (const s of [1, 2]) expect(maxAbsDiff(short.latents[s]!.data, long.latents[s]!.data)).toBe(0);
    await expect(sd.runTrajectories([{ ...full, stopStep: 1 }], schedule)).rejects.toThrow(/stops before step 1; it must be after its start step 1/);
    await expect(sd.runTrajectories([{ ...full, stopStep: 6 }], schedule)).rejects.toThrow(/at most 5/);
  });

  it('turns guidance off at g ≤ 1 as diffusers does (one UNet row, the prompt\'s prediction), but keeps damped values of a guided transition', async () => {
    const schedule = sd.makeSchedule('ddim', 3);
    const cond = (await sd.encodePrompt('red')).embedding;
    const uncond = (await sd.encodePrompt('')).embedding;
    const run = async (guidance: number, keyframeGuidance?: number) => {
      const batches: number[] = [];
      const before = sd.stats.unetCalls;
      const [t] = await sd.runTrajectories([{ startLatent: sd.initialNoise(0, W, H), startStep: 0, cond, uncond, guidance, keyframeGuidance }], schedule, {
        onUnetCall: ({ batch }) => batches.push(batch),
      });
      return { data: t.final.data, calls: sd.stats.unetCalls - before };
    };
    const [g0, g05, g1, g2] = [await run(0), await run(0.5), await run(1), await run(2)];
    // g = 0, 0.5 and 1 all give the conditional prediction alone: the same latent, one row per step.
    expect(maxAbsDiff(g0.data, g1.data)).toBe(0);
    expect(maxAbsDiff(g05.data, g1.data)).toBe(0);
    expect(maxAbsDiff(g2.data, g1.data)).toBeGreaterThan(1e-4);
    // A mid-transition image damped to 0.5 from keyframe guidance 7.5 keeps u + 0.5·(c − u).
    const damped = await run(0.5, 7.5);
    expect(maxAbsDiff(damped.data, g1.data)).toBeGreaterThan(1e-4);
    // Damping that goes below 1 is continuous: 0.99 and 1.01 from a guided transition are close.
    const [below, above] = [await run(0.99, 7.5), await run(1.01, 7.5)];
    expect(maxAbsDiff(below.data, above.data)).toBeLessThan(0.05 * maxAbsDiff(g2.data, g1.data));
    // A transition whose keyframes have g ≤ 1 runs unguided everywhere.
    expect(maxAbsDiff((await run(0.3, 0.8)).data, g1.data)).toBe(0);
  });

  it('counts one UNet row per image without guidance (the batch of a g = 0 run holds no unconditional rows)', async () => {
    const schedule = sd.makeSchedule('ddim', 2);
    const cond = (await sd.encodePrompt('blue')).embedding;
    const uncond = (await sd.encodePrompt('')).embedding;
    const rowsOf = async (guidance: number) => {
      const before = sd.stats.unetImages;
      const requests = [0, 1, 2].map((seed) => ({ startLatent: sd.initialNoise(seed, W, H), startStep: 0, cond, uncond, guidance }));
      const spy = sd as unknown as { unetRows: (rows: unknown[], ...rest: unknown[]) => Promise<Float32Array[]> };
      const original = spy.unetRows.bind(sd);
      const rows: number[] = [];
      spy.unetRows = (r, ...rest) => (rows.push(r.length), original(r, ...rest));
      try {
        await sd.runTrajectories(requests, schedule);
      } finally {
        spy.unetRows = original;
      }
      return { rows, images: sd.stats.unetImages - before };
    };
    expect(await rowsOf(0)).toEqual({ rows: [3, 3], images: 6 });
    expect(await rowsOf(7.5)).toEqual({ rows: [6, 6], images: 6 });
  });

  it('follows the prompt more with more guidance and skips the uncond row at guidance 1', async () => {
    const before = sd.stats.unetImages;
    const calls: number[] = [];
    const schedule = sd.makeSchedule('ddim', 4);
    const cond = await sd.encodePrompt('red');
    const uncond = await sd.encodePrompt('');
    await sd.runTrajectories([{ startLatent: sd.initialNoise(0, W, H), startStep: 0, cond: cond.embedding, uncond: uncond.embedding, guidance: 1 }], schedule, {
      onUnetCall: ({ batch }) => calls.push(batch),
    });
    expect(calls).toEqual([1, 1, 1, 1]);
    expect(sd.stats.unetImages - before).toBe(4);
  });

  it('DPM-Solver++ 2M converges to an image close to DDIM with many steps', async () => {
    const cond = (await sd.encodePrompt('a red sunset over the ocean')).embedding;
    const uncond = (await sd.encodePrompt('')).embedding;
    const run = async (kind: 'ddim' | 'dpmpp-2m', steps: number) =>
      (await sd.runTrajectories([{ startLatent: sd.initialNoise(5, W, H), startStep: 0, cond, uncond, guidance: 7.5 }], sd.makeSchedule(kind, steps)))[0].final;
    const ddim = await run('ddim', 50);
    const dpm = await run('dpmpp-2m', 20);
    let norm = 0;
    for (const v of ddim.data) norm = Math.max(norm, Math.abs(v));
    expect(maxAbsDiff(ddim.data, dpm.data)).toBeLessThan(0.1 * norm);
  });

  it('stops between UNet calls when cancelled', async () => {
    const controller = new AbortController();
    let calls = 0;
    const schedule = sd.makeSchedule('ddim', 20);
    const cond = await sd.encodePrompt('stop');
    const uncond = await sd.encodePrompt('');
    const run = sd.runTrajectories([{ startLatent: sd.initialNoise(0, W, H), startStep: 0, cond: cond.embedding, uncond: uncond.embedding, guidance: 7.5 }], schedule, {
      signal: controller.signal,
      onUnetCall: () => {
        calls++;
        if (calls === 3) controller.abort();
      },
    });
    const error = await run.catch((e: unknown) => e);
    expect(isCancelled(error)).toBe(true);
    expect(calls).toBe(3);
  });

  it('rejects a 9-channel model without an inpainting condition, with a clear reason', async () => {
    const cond = (await inpaint.encodePrompt('x')).embedding;
    await expect(
      inpaint.runTrajectories([{ startLatent: inpaint.initialNoise(0, W, H), startStep: 0, cond, uncond: cond, guidance: 7.5 }], inpaint.makeSchedule('ddim', 2)),
    ).rejects.toThrow(/inpainting model \(9-channel UNet\)/);
  });

  it('encodes an image and builds the inpainting condition at latent resolution', async () => {
    const { t } = await trajectory('a red sunset over the ocean', 0);
    const [image] = await sd.decode(t.final);
    const mask = { width: W, height: H, data: new Float32Array(W * H) };
    for (let y = 0; y < H; y++) for (let x = W / 2; x < W; x++) mask.data[y * W + x] = 1; // regenerate the right half
    const condition = await inpaint.inpaintCondition(image, mask);
    expect(condition.mask.dims).toEqual([1, 1, H / 8, W / 8]);
    expect(condition.maskedImageLatent.dims).toEqual([1, 4, H / 8, W / 8]);
    const m = condition.mask.data;
    expect(m[0]).toBe(0);
    expect(m[W / 8 - 1]).toBe(1);
    const latent = await sd.encodeImage(image);
    // Where the mask keeps the picture, the masked-image latent is the image's own latent.
    const plane = (H / 8) * (W / 8);
    let keptDiff = 0;
    for (let c = 0; c < 4; c++)
      for (let y = 0; y < H / 8; y++)
        for (let x = 0; x < W / 16 - 1; x++) {
          const i = c * plane + y * (W / 8) + x;
          keptDiff = Math.max(keptDiff, Math.abs(latent.data[i] - condition.maskedImageLatent.data[i]));
        }
    expect(keptDiff).toBeLessThan(0.05);
  });

  it('rejects sizes that are not multiples of 8 with the rule in the message', () => {
    expect(() => sd.initialNoise(0, 500, 512)).toThrow(/multiple of 8/);
  });
});
