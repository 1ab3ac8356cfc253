import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEDULER_KINDS, type SchedulerKind } from '../src-main/engine/scheduler/config';
import { loadStableDiffusion } from '../src-main/engine/sd/pipeline';
import type { StableDiffusion } from '../src-main/engine/sd/types';
import { readNpy } from '../src-main/engine/testing/npy';
import { ClipTokenizer } from '../src-main/engine/tokenizer';
import { decodePng } from '../src-main/media/png';
import { CONFORMANCE_ROOT, expectedDir, readConformanceCases, type ConformanceCase } from './testing/conformance-cases';

/**
 * Proof against diffusers: every case of ../shared/conformance/sd2-tiny-diffusers (a tiny SD 2.x
 * folder built from diffusers' classes, with what diffusers' own text-to-image loop produced) is
 * run through the engine (token ids, start noise, every step's latent, the decoded image) and
 * through the `keyframe` CLI (the PNG it writes). Tolerances are the README's: pixels within
 * 1/255, latents within 1e-4 (ONNX Runtime vs PyTorch float32 arithmetic).
 */
const ROOT = CONFORMANCE_ROOT;
const BIN = resolve(__dirname, '../bin/latentblend.mjs');
const LATENT_TOLERANCE = 1e-4;
const PIXEL_TOLERANCE = 1;
const CASES = readConformanceCases();
const engineRuns = (c: ConformanceCase) => (SCHEDULER_KINDS as readonly string[]).includes(c.scheduler);
/**
 * Euler cases ran diffusers' Euler schedulers built with from_config(…, timestep_spacing=…), a
 * setting the shared folder's scheduler_config.json does not carry: test/euler-conformance.test.ts
 * runs them on a copy of the folder whose config names that class and spacing.
 */
const isEulerCase = (c: ConformanceCase) => c.scheduler.startsWith('euler');
const HERE = CASES.filter((c) => !isEulerCase(c));

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, LBS_DEBUG: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('conformance data', () => {
  it('holds cases for every engine scheduler, with and without a negative prompt, at two sizes', () => {
    // Guards the loop below against an empty or renamed case list (a test that cannot fail).
    const runnable = CASES.filter(engineRuns);
    expect(new Set(runnable.map((c) => c.scheduler))).toEqual(new Set(SCHEDULER_KINDS));
    expect(runnable.some((c) => c.negative !== '')).toBe(true);
    expect(runnable.some((c) => c.width !== c.height)).toBe(true);
  });
});

describe('tokenizer against diffusers ids', () => {
  let tokenizer: ClipTokenizer;
  beforeAll(async () => {
    tokenizer = await ClipTokenizer.fromFolder(join(ROOT, 'model', 'tokenizer'));
  });
  it.each(CASES.map((c) => [c.name, c] as const))('%s: prompt and negative prompt give diffusers\' ids', (_, c) => {
    const ids = JSON.parse(readFileSync(join(expectedDir(c), 'ids.json'), 'utf8')) as { cond: number[]; uncond: number[] };
    expect(Array.from(tokenizer.encode(c.prompt).ids)).toEqual(ids.cond);
    expect(Array.from(tokenizer.encode(c.negative).ids)).toEqual(ids.uncond);
  });
});

describe('engine against diffusers, step by step', () => {
  let sd: StableDiffusion;
  beforeAll(async () => {
    sd = await loadStableDiffusion(join(ROOT, 'model'), { provider: 'cpu' });
  });
  afterAll(() => sd?.dispose());

  it.each(HERE.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const dir = expectedDir(c);
    if (!engineRuns(c)) {
      // A scheduler the engine does not implement must be refused by name, never approximated
      // by another one. When it lands in SCHEDULER_KINDS this case runs the full comparison.
      expect(() => sd.makeSchedule(c.scheduler as SchedulerKind, c.steps)).toThrow(new RegExp(`"${c.scheduler}"`));
      return;
    }
    const noise = sd.initialNoise(c.seed, c.width, c.height);
    expect(maxAbsDiff(noise.data, readNpy(join(dir, 'noise.npy')).data)).toBeLessThan(1e-5);

    const schedule = sd.makeSchedule(c.scheduler as SchedulerKind, c.steps);
    const ids = JSON.parse(readFileSync(join(dir, 'ids.json'), 'utf8')) as { timesteps?: number[] };
    if (ids.timesteps) expect([...schedule.timesteps]).toEqual(ids.timesteps);

    const cond = await sd.encodePrompt(c.prompt);
    const uncond = await sd.encodePrompt(c.negative);
    const [trajectory] = await sd.runTrajectories(
      [{ startLatent: noise, startStep: 0, cond: cond.embedding, uncond: uncond.embedding, guidance: c.guidance }],
      schedule,
    );
    const latents = readNpy(join(dir, 'latents.npy'));
    expect(latents.shape).toEqual([c.steps, 1, 4, c.height / 8, c.width / 8]);
    const n = noise.data.length;
    const perStep = trajectory.latents.map((latent, step) => maxAbsDiff(latent!.data, latents.data.subarray(step * n, (step + 1) * n)));
    expect(perStep).toHaveLength(c.steps);
    for (const [step, diff] of perStep.entries()) expect(diff, `step ${step}`).toBeLessThan(LATENT_TOLERANCE);

    const [image] = await sd.decode(trajectory.final);
    const png = decodePng(readFileSync(join(dir, 'image.png')));
    expect([image.width, image.height]).toEqual([png.width, png.height]);
    expect(maxAbsDiff(image.data, png.data)).toBeLessThanOrEqual(PIXEL_TOLERANCE);
  });
});

describe('latentblend keyframe against diffusers', () => {
  const out = mkdtempSync(join(tmpdir(), 'lbs-conformance-'));

  it.each(HERE.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const file = join(out, `${c.name}.png`);
    const args = ['keyframe', '--model', join(ROOT, c.model), '--prompt', c.prompt, '--negative', c.negative];
    args.push('--seed', String(c.seed), '--steps', String(c.steps), '--guidance', String(c.guidance));
    args.push('--width', String(c.width), '--height', String(c.height), '--scheduler', c.scheduler, '--provider', 'cpu', '-o', file);
    const r = cli(...args);
    if (!engineRuns(c)) {
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(c.scheduler);
      expect(existsSync(file)).toBe(false);
      return;
    }
    expect(r.stderr).toContain(file);
    expect(r.code).toBe(0);
    const got = decodePng(readFileSync(file));
    const want = decodePng(readFileSync(join(expectedDir(c), 'image.png')));
    expect([got.width, got.height]).toEqual([want.width, want.height]);
    expect(maxAbsDiff(got.data, want.data)).toBeLessThanOrEqual(PIXEL_TOLERANCE);
  });
});
