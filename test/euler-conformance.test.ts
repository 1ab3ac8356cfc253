/**
 * Euler and Euler ancestral against diffusers: the Euler cases of
 * ../shared/conformance/sd2-tiny-diffusers (see its README) through the engine's pipeline.
 * Each case ran diffusers' EulerDiscreteScheduler / EulerAncestralDiscreteScheduler built
 * with from_config(scheduler_config.json, timestep_spacing=…); the engine gets the same
 * settings through a scheduler_config.json with that spacing and class, beside links to the
 * case's model files.
 */
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seededStepNoise } from '../src-main/engine/noise';
import type { EulerSchedule } from '../src-main/engine/scheduler';
import { loadStableDiffusion } from '../src-main/engine/sd/pipeline';
import { startLatentFromNoise } from '../src-main/engine/sd/start-latent';
import type { StableDiffusion } from '../src-main/engine/sd/types';
import { decodePng } from '../src-main/media/png';
import { readNpy } from '../src-main/engine/testing/npy';
import { CONFORMANCE_ROOT, readConformanceCases, type ConformanceCase } from './testing/conformance-cases';

const ROOT = CONFORMANCE_ROOT;
type Case = ConformanceCase;
const cases = readConformanceCases().filter((c) => c.scheduler.startsWith('euler'));
const CLASS = { euler: 'EulerDiscreteScheduler', 'euler-ancestral': 'EulerAncestralDiscreteScheduler' } as const;

const work = mkdtempSync(join(tmpdir(), 'lbs-euler-conformance-'));
const pipelines = new Map<string, StableDiffusion>();
afterAll(async () => {
  for (const sd of pipelines.values()) await sd.dispose();
});

/** The case's model with diffusers' from_config overrides written into its scheduler_config.json. */
async function pipelineFor(c: Case): Promise<StableDiffusion> {
  const kind = c.scheduler as keyof typeof CLASS;
  const key = `${kind}-${c.timestepSpacing}`;
  const have = pipelines.get(key);
  if (have) return have;
  const dir = join(work, key);
  mkdirSync(join(dir, 'scheduler'), { recursive: true });
  for (const part of ['model_index.json', 'text_encoder', 'tokenizer', 'unet', 'vae_decoder', 'vae_encoder']) symlinkSync(join(ROOT, 'model', part), join(dir, part));
  const config = JSON.parse(readFileSync(join(ROOT, 'model/scheduler/scheduler_config.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'scheduler/scheduler_config.json'), JSON.stringify({ ...config, _class_name: CLASS[kind], timestep_spacing: c.timestepSpacing }));
  const sd = await loadStableDiffusion(dir, { provider: 'cpu' });
  pipelines.set(key, sd);
  return sd;
}

describe('Euler schedulers match diffusers on the conformance model', () => {
  it('has Euler cases to run', () => {
    expect(cases.map((c) => c.scheduler).sort()).toEqual(['euler', 'euler', 'euler', 'euler', 'euler-ancestral', 'euler-ancestral']);
  });

  for (const c of cases) {
    it(c.name, async () => {
      const expected = join(ROOT, 'expected', c.name);
      const sched = JSON.parse(readFileSync(join(expected, 'sched.json'), 'utf8')) as { timesteps: number[]; sigmas: number[]; init_noise_sigma: number; unet_batch: number; step_noise_draws: number };
      const sd = await pipelineFor(c);
      // The folder's own scheduler (its _class_name) runs when none is named.
      expect(sd.info.scheduler.kind).toBe(c.scheduler);
      const schedule = sd.makeSchedule(sd.info.scheduler.kind, c.steps) as EulerSchedule;
      expect(schedule.timesteps).toEqual(sched.timesteps);
      expect(schedule.sigmas).toEqual(sched.sigmas);
      expect(schedule.initNoiseSigma).toBe(Math.fround(sched.init_noise_sigma));

      const noise = sd.initialNoise(c.seed, c.width, c.height);
      const stored = readNpy(join(expected, 'noise.npy'));
      expect(Math.max(...noise.data.map((v, i) => Math.abs(v - stored.data[i])))).toBeLessThan(1e-5);
      const stepNoise = schedule.kind === 'euler-ancestral' ? seededStepNoise(c.seed, noise.dims) : undefined;
      if (stepNoise) {
        const draws = readNpy(join(expected, 'noise_steps.npy'));
        const n = noise.data.length;
        expect(draws.shape[0]).toBe(sched.step_noise_draws);
        for (let s = 0; s < c.steps; s++) {
          const mine = stepNoise(s);
          // PyTorch's AVX2 Box–Muller (vector log/sin/cos) differs from the scalar formula in the last float bits.
          let worst = 0;
          for (let j = 0; j < n; j++) worst = Math.max(worst, Math.abs(mine[j] - draws.data[s * n + j]));
          expect(worst, `step ${s} noise`).toBeLessThan(1e-5);
        }
      }

      const cond = (await sd.encodePrompt(c.prompt)).embedding;
      const uncond = (await sd.encodePrompt(c.negative)).embedding;
      const before = sd.stats.unetCalls;
      const [t] = await sd.runTrajectories(
        [{ startLatent: startLatentFromNoise(noise, schedule), startStep: 0, cond, uncond, guidance: c.guidance, stepNoise }],
        schedule,
      );
      expect(sd.stats.unetCalls - before).toBe(c.steps);

      const latents = readNpy(join(expected, 'latents.npy'));
      const n = noise.data.length;
      for (let s = 0; s < c.steps; s++) {
        const mine = t.latents[s]!.data;
        let worst = 0;
        for (let j = 0; j < n; j++) worst = Math.max(worst, Math.abs(mine[j] - latents.data[s * n + j]));
        expect(worst, `step ${s}`).toBeLessThan(1e-4);
      }
      const [image] = await sd.decode(t.final);
      const want = decodePng(readFileSync(join(expected, 'image.png')));
      let worst = 0;
      for (let i = 0; i < want.data.length; i++) worst = Math.max(worst, Math.abs(image.data[i] - want.data[i]));
      expect(worst).toBeLessThanOrEqual(1);
    });
  }
});
