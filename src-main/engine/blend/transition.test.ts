import { describe, expect, it } from 'vitest';
import { isCancelled } from '../errors';
import { MemoryTransitionCache } from './cache';
import { buildFixedTree, planFixedTree, unetEvaluations } from './fixed-tree';
import { slerp } from './slerp';
import { FakeDiffusion } from './testing/fake-diffusion';
import { renderTransition, type TransitionImage } from './transition';
import type { KeyframeTrajectory, TransitionSpec } from './transition-spec';

const SIZE = 64;

function spec(overrides: Partial<TransitionSpec> = {}): TransitionSpec {
  return {
    a: { prompt: 'a lighthouse at dawn', seed: 11 },
    b: { prompt: 'a forest in snow', seed: 22 },
    guidance: 7.5,
    guidanceMidDamper: 0.5,
    scheduler: 'ddim',
    width: SIZE,
    height: SIZE,
    mode: { kind: 'fixed', preset: 'medium', frames: 100, depthStrength: 0.65 },
    ...overrides,
  };
}

/** A keyframe rendered on its own, straight through the pipeline: what the transition's ends must equal. */
async function standaloneRender(sd: FakeDiffusion, prompt: string, seed: number, steps: number, guidance: number) {
  const cond = (await sd.encodePrompt(prompt)).embedding;
  const uncond = (await sd.encodePrompt('')).embedding;
  const [r] = await sd.runTrajectories(
    [{ startLatent: sd.initialNoise(seed, SIZE, SIZE), startStep: 0, cond, uncond, guidance }],
    sd.makeSchedule('ddim', steps),
  );
  return (await sd.decode(r.final))[0];
}

const bytes = (img: TransitionImage) => Buffer.from(img.image.data).toString('base64');

describe('renderTransition — fixed tree', () => {
  // medium, d = .65, 100 frames: N = 30, blocks at [0, 20, 23, 27] with [2, 3, 6, 12] branches.
  it('runs each block over its own steps only, one runTrajectories call per block, F final images', async () => {
    const sd = new FakeDiffusion();
    const result = await renderTransition(sd, spec());
    const tree = buildFixedTree(planFixedTree({ preset: 'medium', frames: 100, depthStrength: 0.65 }), 1.2);
    // block 1 runs 20–22, block 2 23–26, block 3 27–29: 2·30 + 1·3 + 4·4 + 10·3 = 109 (see fixed-tree.test.ts)
    expect(sd.stats.unetImages).toBe(109);
    expect(result.unetEvaluations).toBe(unetEvaluations(tree));
    expect(result.computedEvaluations).toBe(109);
    expect(sd.runLog.map((r) => [r.startStep, r.requests])).toEqual([[0, 2], [20, 1], [23, 4], [27, 10]]);
    expect(sd.runLog.map((r) => r.stopSteps)).toEqual([[30, 30], [23], [27, 27, 27, 27], new Array(10).fill(30)]);
    // only the last block's 12 branches reach step N and are decoded
    expect(result.images.map((i) => i.position)).toEqual(tree.finalOrder.map((id) => tree.branches[id].position));
    expect(result.images).toHaveLength(12);
    expect(sd.decodeCount.images).toBe(12);
  });

  it('chunks a block by maxBatch inside its single call', async () => {
    const sd = new FakeDiffusion();
    await renderTransition(sd, spec({ maxBatch: 3 }));
    const lastBlock = sd.unetLog.filter((c) => c.startStep === 27 && c.step === 27).map((c) => c.batch);
    expect(lastBlock).toEqual([3, 3, 3, 1]);
  });

  it('starts each branch from the slerp of its parents at step k − 1, with damped guidance', async () => {
    const sd = new FakeDiffusion();
    const result = await renderTransition(sd, spec());
    const { a, b } = result.keyframes;
    // block 1: the branch at .5 between A and B, injected at 20: slerp(A[19], B[19], .5), g = 7.5·(1 − .5·1) = 3.75
    const block1 = sd.runLog[1];
    expect(Array.from(block1.startLatents[0])).toEqual(Array.from(slerp(a.latents[19], b.latents[19], 0.5)));
    expect(block1.guidances).toEqual([3.75]);
    // keyframes always at full guidance
    expect(sd.runLog[0].guidances).toEqual([7.5, 7.5]);
    // block 2, first new branch .2: parents 0 (A) and .5, t = .4; mid = 1 − .3/.5 = .4 → 7.5 − 7.5·.5·.4 = 6
    expect(sd.runLog[2].guidances[0]).toBeCloseTo(6, 12);
  });

  it('ends exactly on the keyframe renders', async () => {
    const sd = new FakeDiffusion();
    const result = await renderTransition(sd, spec());
    const ref = new FakeDiffusion();
    const a = await standaloneRender(ref, 'a lighthouse at dawn', 11, 30, 7.5);
    const b = await standaloneRender(ref, 'a forest in snow', 22, 30, 7.5);
    expect(Buffer.from(result.images[0].image.data).equals(Buffer.from(a.data))).toBe(true);
    expect(Buffer.from(result.images[result.images.length - 1].image.data).equals(Buffer.from(b.data))).toBe(true);
  });

  it('emits each final image as soon as it is decoded, before the next block runs', async () => {
    // blocks [0,1], [0,.5,1], [0,.25,.5,.75,1]: .5 runs on to the end from block 1, so it is final early.
    const mode = { kind: 'fixed', preset: 'medium', frames: 100, depthStrength: 0.5, steps: 20, injectionSteps: [0, 8, 14], branches: [2, 3, 5], midCompression: 1 } as const;
    const sd = new FakeDiffusion();
    const seen: { position: number; index: number; runsSoFar: number }[] = [];
    await renderTransition(sd, spec({ mode }), { onImage: (img) => seen.push({ position: img.position, index: img.index, runsSoFar: sd.runLog.length }) });
    expect(seen.map((s) => s.index)).toEqual(seen.map((_, i) => i));
    expect(seen.map((s) => [s.position, s.runsSoFar])).toEqual([[0, 1], [1, 1], [0.5, 2], [0.25, 3], [0.75, 3]]);
  });

  it('emits only final images: branches a later block drops are never decoded', async () => {
    const sd = new FakeDiffusion();
    const seen: number[] = [];
    const result = await renderTransition(sd, spec(), { onImage: (img) => seen.push(img.position) });
    // keyframes first, then block 3's branches; block 1's .5 and block 2's .2 … .8 stop early
    expect(seen.slice(0, 2)).toEqual([0, 1]);
    expect([...seen].sort((x, y) => x - y)).toEqual(result.images.map((i) => i.position));
    for (const inner of [0.2, 0.4, 0.5, 0.6, 0.8]) expect(seen.some((f) => Math.abs(f - inner) < 1e-12)).toBe(false);
  });

  it('is reproducible', async () => {
    const r1 = await renderTransition(new FakeDiffusion(), spec());
    const r2 = await renderTransition(new FakeDiffusion(), spec());
    expect(r1.images.map(bytes)).toEqual(r2.images.map(bytes));
  });

  it('resumes after a cancel from the cache, giving the same frames', async () => {
    const cache = new MemoryTransitionCache();
    const controller = new AbortController();
    const progress: number[] = [];
    const first = renderTransition(new FakeDiffusion(), spec(), {
      cache,
      signal: controller.signal,
      onProgress: (p) => {
        progress.push(p.done);
        if (p.done >= 70) controller.abort(); // inside block 2 (keyframes 60 + block 1 3)
      },
    });
    const error = await first.catch((e: unknown) => e);
    expect(isCancelled(error)).toBe(true);

    const sd = new FakeDiffusion();
    const fromCache: boolean[] = [];
    const resumed = await renderTransition(sd, spec(), { cache, onImage: (i) => fromCache.push(i.fromCache) });
    // keyframes (60) and block 1 (3) came from the cache
    expect(resumed.computedEvaluations).toBe(109 - 63);
    expect(sd.stats.unetImages).toBe(46);
    expect(fromCache.slice(0, 2)).toEqual([true, true]);
    expect(fromCache.slice(2).every((c) => !c)).toBe(true);
    const fresh = await renderTransition(new FakeDiffusion(), spec());
    expect(resumed.images.map(bytes)).toEqual(fresh.images.map(bytes));
    expect(progress[progress.length - 1]).toBeLessThan(109);
  });

  it('computes a shared movie keyframe once and never changes it at the join', async () => {
    const store = new Map<string, KeyframeTrajectory>();
    const sd = new FakeDiffusion();
    const t1 = await renderTransition(sd, spec(), { keyframeTrajectories: store });
    const before = sd.stats.unetImages;
    const t2 = await renderTransition(sd, spec({ a: { ...spec().b, trajectory: t1.keyframes.b }, b: { prompt: 'a desert', seed: 33 } }), { keyframeTrajectories: store });
    expect(sd.stats.unetImages - before).toBe(109 - 30);
    expect(bytes(t2.images[0])).toBe(bytes(t1.images[t1.images.length - 1]));
    expect(store.size).toBe(3);
  });

  it('keyframe crossfeed pulls B toward A and runs the keyframes one after the other', async () => {
    const plain = await renderTransition(new FakeDiffusion(), spec());
    const sd = new FakeDiffusion();
    const fed = await renderTransition(sd, spec({ keyframeCrossfeed: { power: 0.6, range: 0.5, decay: 0.5 } }));
    expect(sd.runLog.slice(0, 2).map((r) => [r.startStep, r.requests])).toEqual([[0, 1], [0, 1]]);
    const dist = (x: Float32Array, y: Float32Array) => x.reduce((s, v, i) => s + (v - y[i]) ** 2, 0);
    const aFinal = plain.keyframes.a.latents[29];
    expect(dist(fed.keyframes.b.latents[29], aFinal)).toBeLessThan(dist(plain.keyframes.b.latents[29], aFinal));
    expect(bytes(fed.images[0])).toBe(bytes(plain.images[0]));
  });

  it('parental crossfeed changes the branches but not the keyframes', async () => {
    const plain = await renderTransition(new FakeDiffusion(), spec());
    const fed = await renderTransition(new FakeDiffusion(), spec({ parentalCrossfeed: { power: 0.5, range: 0.9, decay: 0.5 } }));
    expect(bytes(fed.images[0])).toBe(bytes(plain.images[0]));
    expect(bytes(fed.images[11])).toBe(bytes(plain.images[11]));
    expect(fed.images.slice(1, -1).some((img, i) => bytes(img) !== bytes(plain.images[i + 1]))).toBe(true);
  });
});

describe('renderTransition — inpainting', () => {
  function inpaintSpec(): TransitionSpec {
    const image = { width: SIZE, height: SIZE, data: new Uint8Array(SIZE * SIZE * 3) };
    for (let p = 0; p < SIZE * SIZE; p++) image.data.set([(p * 7) % 256, (p * 13) % 256, (p * 29) % 256], p * 3);
    const mask = { width: SIZE, height: SIZE, data: new Float32Array(SIZE * SIZE) };
    for (let y = 0; y < SIZE; y++) for (let x = 32; x < SIZE; x++) mask.data[y * SIZE + x] = 1;
    return spec({ a: { prompt: 'a lighthouse at dawn', seed: 11, inpaint: { image, mask } }, mode: { kind: 'fixed', preset: 'lowest', frames: 10, depthStrength: 0.5 } });
  }

  it('keeps the unmasked region of A bit-exact in every image', async () => {
    const s = inpaintSpec();
    const result = await renderTransition(new FakeDiffusion({ inpainting: true }), s);
    const src = s.a.inpaint!.image.data;
    for (const img of result.images) {
      for (let y = 0; y < SIZE; y++) {
        for (let x = 0; x < 32; x++) {
          const i = (y * SIZE + x) * 3;
          expect([img.image.data[i], img.image.data[i + 1], img.image.data[i + 2]]).toEqual([src[i], src[i + 1], src[i + 2]]);
        }
      }
    }
    // the regenerated half does change along the transition
    const inside = (img: TransitionImage) => Buffer.from(img.image.data.filter((_, i) => Math.floor(i / 3) % SIZE >= 40)).toString('base64');
    expect(inside(result.images[0])).not.toBe(inside(result.images[result.images.length - 1]));
  });

  it('starts on the source image itself and runs no UNet step for keyframe A', async () => {
    const s = inpaintSpec();
    const fake = new FakeDiffusion({ inpainting: true });
    const result = await renderTransition(fake, s);
    expect(Buffer.from(result.images[0].image.data).equals(Buffer.from(s.a.inpaint!.image.data))).toBe(true);
    // A's trajectory is the source latent noised to each step's level, ending on it.
    const clean = await fake.encodeImage(s.a.inpaint!.image);
    expect(Array.from(result.keyframes.a.latents.at(-1)!)).toEqual(Array.from(clean.data));
    expect(result.computedEvaluations).toBe(result.unetEvaluations);
    expect(result.unetEvaluations).toBe(unetEvaluations(buildFixedTree(planFixedTree(s.mode as Extract<TransitionSpec['mode'], { kind: 'fixed' }>))) - result.steps);
  });

  it('refuses a mask on a text-to-image model and a missing mask on an inpainting model', async () => {
    await expect(renderTransition(new FakeDiffusion(), inpaintSpec())).rejects.toThrow(/needs an SD 2 inpainting model/);
    await expect(renderTransition(new FakeDiffusion({ inpainting: true }), spec())).rejects.toThrow(/needs an image and a mask/);
  });
});

describe('renderTransition — image keyframes', () => {
  function photo(shade: number) {
    const data = new Uint8Array(SIZE * SIZE * 3);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7 + shade) % 256;
    return { width: SIZE, height: SIZE, data };
  }
  const lowest = { kind: 'fixed', preset: 'lowest', frames: 10, depthStrength: 0.5 } as const;

  it('makes each picture keyframe the noised picture latent and runs no UNet step for it', async () => {
    const fake = new FakeDiffusion();
    const s = spec({ a: { prompt: 'a lighthouse at dawn', seed: 11, picture: photo(0) }, b: { prompt: 'a forest in snow', seed: 22, picture: photo(90) }, mode: lowest });
    const result = await renderTransition(fake, s);
    const tree = buildFixedTree(planFixedTree(lowest));
    expect(result.unetEvaluations).toBe(unetEvaluations(tree) - 2 * result.steps);
    expect(result.computedEvaluations).toBe(result.unetEvaluations);
    expect(fake.stats.unetImages).toBe(result.computedEvaluations);
    const schedule = fake.makeSchedule('ddim', result.steps);
    for (const [k, p, seed] of [[result.keyframes.a, s.a.picture!, 11], [result.keyframes.b, s.b.picture!, 22]] as const) {
      const expected = fake.forwardTrajectory(await fake.encodeImage(p), fake.initialNoise(seed, SIZE, SIZE), schedule);
      expect(k.latents.map((l) => Array.from(l))).toEqual(expected.map((l) => Array.from(l)));
      // Its frame is the picture's latent decoded, like every other final image.
      expect(Buffer.from(k.image.data).equals(Buffer.from((await fake.decode({ data: expected.at(-1)!, dims: k.dims }))[0].data))).toBe(true);
    }
  });

  it('keys picture keyframes by their pixels: another picture is another trajectory, the same one is reused', async () => {
    const cache = new MemoryTransitionCache();
    const withA = (picture: ReturnType<typeof photo>) => spec({ a: { prompt: 'a lighthouse at dawn', seed: 11, picture }, mode: lowest });
    const first = await renderTransition(new FakeDiffusion(), withA(photo(0)), { cache });
    const same = await renderTransition(new FakeDiffusion(), withA(photo(0)), { cache });
    const other = await renderTransition(new FakeDiffusion(), withA(photo(50)), { cache });
    expect(same.keyframes.a.key).toBe(first.keyframes.a.key);
    expect(same.computedEvaluations).toBe(0);
    expect(other.keyframes.a.key).not.toBe(first.keyframes.a.key);
    expect(other.computedEvaluations).toBeGreaterThan(0);
    // B is generated and, without keyframe crossfeed, independent of A's picture: one trajectory for all three.
    expect(other.keyframes.b.key).toBe(first.keyframes.b.key);
  });

  it('refuses a picture of another size than the transition', async () => {
    const small = { width: 32, height: 32, data: new Uint8Array(32 * 32 * 3) };
    await expect(renderTransition(new FakeDiffusion(), spec({ b: { prompt: 'x', seed: 1, picture: small }, mode: lowest }))).rejects.toThrow(/b\.picture is 32×32 but the transition is 64×64/);
  });
});

describe('renderTransition — adaptive tree', () => {
  // N = 20, d = .5: candidates arange(10, 19, 3) = [10, 13, 16]; maxImages 7 → 5 branches:
  // grow [1,1,2] (sum 4), [1,2,2] (sum 5 → stop). UNet: 2·20 + 1·10 + 2·7 + 2·4 = 72.
  const adaptive = spec({ mode: { kind: 'adaptive', steps: 20, depthStrength: 0.5, maxImages: 7 } });

  it('inserts one branch at a time where neighbours differ most, per the plan', async () => {
    const sd = new FakeDiffusion();
    const result = await renderTransition(sd, adaptive);
    expect(result.plan).toEqual({ kind: 'adaptive', plan: { steps: 20, injectionSteps: [10, 13, 16], stems: [1, 2, 2] } });
    expect(sd.stats.unetImages).toBe(72);
    expect(sd.runLog.map((r) => r.startStep)).toEqual([0, 0, 10, 13, 13, 16, 16]);
    expect(result.images).toHaveLength(7);
    const positions = result.images.map((i) => i.position);
    for (let i = 1; i < positions.length; i++) expect(positions[i]).toBeGreaterThan(positions[i - 1]);
    // the first branch is the midpoint of the keyframes
    expect(result.images.find((i) => i.injectionStep === 10)!.position).toBe(0.5);
    expect(result.distances).toHaveLength(6);
  });

  it('keeps the distances it reports equal to the metric of the final neighbours', async () => {
    const calls: number[] = [];
    const metric = {
      name: 'mean-abs',
      async distance(a: { data: Uint8Array }, b: { data: Uint8Array }) {
        let s = 0;
        for (let i = 0; i < a.data.length; i++) s += Math.abs(a.data[i] - b.data[i]);
        calls.push(s);
        return s / a.data.length;
      },
    };
    const result = await renderTransition(new FakeDiffusion(), adaptive, { metric });
    for (let i = 0; i + 1 < result.images.length; i++) {
      expect(result.distances![i]).toBe(await metric.distance(result.images[i].image, result.images[i + 1].image));
    }
    // one initial distance and two per inserted image
    expect(calls.length).toBeGreaterThanOrEqual(1 + 2 * 5);
  });

  it('plans a time budget from the measured keyframe and needs timing when none is known', async () => {
    const result = await renderTransition(new FakeDiffusion(), spec({ mode: { kind: 'adaptive', steps: 20, depthStrength: 0.5, budgetSeconds: 1 } }), {
      // 10 ms per image-step, no decode cost: [1,1,1] costs .1+.07+.04 = .21 s …
      timing: { tStep: 0.01, tDecode: 0 },
      metric: { name: 'zero-cost', distance: async () => 1 },
    });
    expect(result.plan.kind).toBe('adaptive');
    const plan = result.plan.kind === 'adaptive' ? result.plan.plan : undefined;
    const est = plan!.injectionSteps.reduce((s, k, i) => s + (20 - k) * plan!.stems[i] * 0.01, 0);
    // the loop stops right after the estimate passes the budget (at most two growths past it)
    expect(est).toBeGreaterThan(1);
    expect(est).toBeLessThan(1 + 2 * 0.1 + 1e-9);
  });
});

describe('renderTransition — fast mode (few steps)', () => {
  const fast = (mode: Partial<Extract<TransitionSpec['mode'], { kind: 'fast' }>>) =>
    spec({ guidance: 0, mode: { kind: 'fast', steps: 4, depthStrength: 0.5, ...mode } });

  it('runs the keyframes, then every branch at step k from A and B in one batched call', async () => {
    const sd = new FakeDiffusion();
    const result = await renderTransition(sd, fast({ branches: 9 }));
    // 2 keyframes × 4 steps + 7 branches × (4 − 2) steps
    expect(sd.stats.unetImages).toBe(22);
    expect(result.unetEvaluations).toBe(22);
    // Unguided keyframes run alone (a 1-row call equals their still exactly), then one call for all branches.
    expect(sd.runLog.map((r) => [r.startStep, r.requests])).toEqual([[0, 1], [0, 1], [2, 7]]);
    expect(result.images.map((i) => i.position)).toEqual([0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1]);
    const { a, b } = result.keyframes;
    expect(Array.from(sd.runLog[2].startLatents[2])).toEqual(Array.from(slerp(a.latents[1], b.latents[1], 0.375)));
    // Guidance 0 is no guidance anywhere: nothing is damped.
    expect(sd.runLog.flatMap((r) => r.guidances)).toEqual(new Array(9).fill(0));
    expect(result.plan.kind).toBe('fast');
  });

  it('ends exactly on the keyframe renders', async () => {
    const sd = new FakeDiffusion();
    const result = await renderTransition(sd, fast({ branches: 5 }));
    const ref = new FakeDiffusion();
    expect(bytes(result.images[0])).toBe(Buffer.from((await standaloneRender(ref, 'a lighthouse at dawn', 11, 4, 0)).data).toString('base64'));
    expect(bytes(result.images[4])).toBe(Buffer.from((await standaloneRender(ref, 'a forest in snow', 22, 4, 0)).data).toString('base64'));
  });

  it('with one step injects at step 0: the branches start from the slerp of the keyframes\' noise', async () => {
    const sd = new FakeDiffusion();
    const result = await renderTransition(sd, fast({ steps: 1, branches: 3 }));
    expect(sd.runLog.map((r) => [r.startStep, r.requests])).toEqual([[0, 1], [0, 1], [0, 1]]);
    const noiseA = sd.initialNoise(11, SIZE, SIZE).data;
    const noiseB = sd.initialNoise(22, SIZE, SIZE).data;
    expect(Array.from(sd.runLog[2].startLatents[0])).toEqual(Array.from(slerp(noiseA, noiseB, 0.5)));
    expect(result.unetEvaluations).toBe(3);
  });

  it('grows adaptively at step k up to maxImages, where neighbours differ most', async () => {
    const sd = new FakeDiffusion();
    const result = await renderTransition(sd, fast({ steps: 6, injectionStep: 3, maxImages: 7 }));
    expect(result.images).toHaveLength(7);
    // keyframes alone (measured), then one branch per call, all injected at 3
    expect(sd.runLog.map((r) => r.startStep)).toEqual([0, 0, 3, 3, 3, 3, 3]);
    expect(result.unetEvaluations).toBe(2 * 6 + 5 * 3);
    expect(result.distances).toHaveLength(6);
    const positions = result.images.map((i) => i.position);
    expect([...positions].sort((x, y) => x - y)).toEqual(positions);
  });

  it('fits a time budget at step k from the measured per-step time', async () => {
    const sd = new FakeDiffusion();
    // per branch: (6 − 3) steps × 0.5 s + 0.25 s decode = 1.75 s (+ metric time, 0 here) → 7.1 s buys 4 (the metric takes a few µs)
    const result = await renderTransition(sd, fast({ steps: 6, injectionStep: 3, budgetSeconds: 7.1 }), {
      timing: { tStep: 0.5, tDecode: 0.25 },
      metric: { name: 'test', distance: async (x, y) => Math.abs(x.data[0] - y.data[0]) + 1 },
    });
    expect(result.images).toHaveLength(2 + 4);
    expect(result.plan.kind === 'fast' && result.plan.plan.stems).toEqual([4]);
    await expect(renderTransition(new FakeDiffusion(), fast({ steps: 6, injectionStep: 3, budgetSeconds: 7 }))).resolves.toBeDefined();
  });

  it('keeps damping for a guided fast transition (g > 1), keyframes at full g', async () => {
    const sd = new FakeDiffusion();
    await renderTransition(sd, spec({ guidance: 4, guidanceMidDamper: 0.5, mode: { kind: 'fast', steps: 4, depthStrength: 0.5, branches: 3 } }));
    // Guided keyframes share one call again.
    expect(sd.runLog[0].guidances).toEqual([4, 4]);
    expect(sd.runLog[1].guidances).toEqual([2]);
  });

  it('rejects a plan fast mode cannot run, naming the field', async () => {
    const sd = new FakeDiffusion();
    await expect(renderTransition(sd, fast({ injectionStep: 4, branches: 5 }))).rejects.toThrow(/injectionStep must be an integer in 0…3/);
    await expect(renderTransition(sd, fast({}))).rejects.toThrow(/exactly one of branches, maxImages and budgetSeconds/);
  });
});

describe('renderTransition — validation', () => {
  it('names the bad field', async () => {
    await expect(renderTransition(new FakeDiffusion(), spec({ width: 60 }))).rejects.toThrow(/width must be a positive multiple of 8/);
    await expect(renderTransition(new FakeDiffusion(), spec({ guidanceMidDamper: 0 }))).rejects.toThrow(/guidanceMidDamper/);
    await expect(renderTransition(new FakeDiffusion(), spec({ parentalCrossfeed: { power: 2, range: 0.5, decay: 0.5 } }))).rejects.toThrow(/parentalCrossfeed\.power/);
  });
});
