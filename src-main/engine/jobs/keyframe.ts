import { z } from 'zod';
import type { RgbImage } from '../image';
import { EngineError } from '../errors';
import { seededStepNoise } from '../noise/step-noise';
import { needsStepNoise } from '../scheduler/schedule';
import { SCHEDULER_KINDS } from '../scheduler/config';
import { startLatentFromNoise } from '../sd/start-latent';
import type { ProviderStatus, StableDiffusion } from '../sd/types';
import type { SchedulerKind } from '../scheduler/config';
import { ModelRefSchema, type ModelRef } from './model-ref';
import { SessionOptionsSchema, type SessionOptions } from './models';
import type { JobContext } from './context';

/**
 * A keyframe job as it crosses the worker seam: the schema checks its shape on arrival; the
 * ranges are validateKeyframeJob's, with messages that name the value.
 */
export const KeyframeJobSchema = z.object({
  kind: z.literal('keyframe'),
  model: ModelRefSchema,
  session: SessionOptionsSchema.optional(),
  prompt: z.string(),
  negativePrompt: z.string().optional(),
  seed: z.number(),
  steps: z.number(),
  guidance: z.number(),
  width: z.number(),
  height: z.number(),
  /** Undefined: the model folder's own scheduler (sd.info.scheduler), as diffusers would run it. */
  scheduler: z.enum(SCHEDULER_KINDS, { error: `must be one of ${SCHEDULER_KINDS.join(', ')} (leave it out to use the model folder's own scheduler)` }).optional(),
});
export type KeyframeJob = z.infer<typeof KeyframeJobSchema>;

export interface KeyframeResult {
  /** The picture as RGB bytes; hosts encode it (PNG lives in the media layer). */
  image: RgbImage;
  width: number;
  height: number;
  modelName: string;
  isDemo: boolean;
  provider: ProviderStatus;
  /** The scheduler that ran, and why it is not the folder's own when it was not named. */
  scheduler: SchedulerKind;
  schedulerFallbackReason?: string;
  tokenCount: number;
  droppedWords: string[];
  negativeDroppedWords: string[];
  stats: { unetCalls: number; sessionRunMs: number; totalMs: number; textCacheHits: number };
}

export const KEYFRAME_DEFAULTS = { seed: 0, steps: 25, guidance: 7.5, width: 512, height: 512 };

export function validateKeyframeJob(job: KeyframeJob): void {
  // The scheduler's name is KeyframeJobSchema's to check (at the seam); in-process callers pass a SchedulerKind.
  const bad = (message: string) => new EngineError('BAD_ARGUMENT', message);
  if (!Number.isInteger(job.seed) || job.seed < 0 || job.seed > 2 ** 53) throw bad(`seed ${job.seed} must be a whole number ≥ 0.`);
  if (!Number.isInteger(job.steps) || job.steps < 1 || job.steps > 1000) throw bad(`steps ${job.steps} must be a whole number from 1 to 1000.`);
  if (!Number.isFinite(job.guidance) || job.guidance < 0 || job.guidance > 50) throw bad(`guidance ${job.guidance} must be between 0 and 50 (7.5 is typical).`);
}

/** Generate one keyframe image from noise: the building block every transition starts from. */
export async function generateKeyframe(sd: StableDiffusion, job: KeyframeJob, ctx: JobContext): Promise<{ image: RgbImage; scheduler: SchedulerKind; tokenCount: number; droppedWords: string[]; negativeDroppedWords: string[] }> {
  validateKeyframeJob(job);
  const scheduler = job.scheduler ?? sd.info.scheduler.kind;
  const schedule = sd.makeSchedule(scheduler, job.steps);
  const noise = sd.initialNoise(job.seed, job.width, job.height);
  const stepNoise = needsStepNoise(scheduler) ? seededStepNoise(job.seed, noise.dims) : undefined;
  const cond = await sd.encodePrompt(job.prompt);
  const uncond = await sd.encodePrompt(job.negativePrompt ?? '');
  const progress = ctx.progress(schedule.numSteps + 1);
  progress.begin('denoising');
  const [trajectory] = await sd.runTrajectories(
    [{ startLatent: startLatentFromNoise(noise, schedule), startStep: 0, cond: cond.embedding, uncond: uncond.embedding, guidance: job.guidance, stepNoise }],
    schedule,
    { signal: ctx.signal, onUnetCall: () => progress.advance('denoising') },
  );
  const [image] = await sd.decode(trajectory.final);
  progress.advance('decoding');
  return { image, scheduler, tokenCount: cond.tokenCount, droppedWords: [...cond.droppedWords], negativeDroppedWords: [...uncond.droppedWords] };
}

/** Load (or reuse) a model, reporting the load as 'loading model' in kB of model files, with an ETA. */
export async function loadWithProgress(ctx: JobContext, model: ModelRef, session?: SessionOptions): Promise<StableDiffusion> {
  // Reports only when this call really loads: a model already in the pool emits nothing.
  const loading = ctx.progress(1);
  let begun = false;
  return ctx.models.get(model, session, (p) => {
    const kb = (bytes: number) => Math.round(bytes / 1e3);
    loading.set('loading model', kb(p.doneBytes), Math.max(1, kb(p.totalBytes)));
    if (!begun) {
      begun = true;
      loading.begin('loading model');
    }
  });
}

export async function runKeyframeJob(job: KeyframeJob, ctx: JobContext): Promise<KeyframeResult> {
  const started = performance.now();
  validateKeyframeJob(job);
  ctx.progress(1).report('loading model');
  const sd = await loadWithProgress(ctx, job.model, job.session);
  const before = { ...sd.stats };
  const out = await generateKeyframe(sd, job, ctx);
  return {
    image: out.image,
    width: out.image.width,
    height: out.image.height,
    modelName: sd.info.name,
    isDemo: sd.info.isDemo,
    provider: sd.provider,
    scheduler: out.scheduler,
    ...(job.scheduler === undefined && sd.info.scheduler.fallbackReason ? { schedulerFallbackReason: sd.info.scheduler.fallbackReason } : {}),
    tokenCount: out.tokenCount,
    droppedWords: out.droppedWords,
    negativeDroppedWords: out.negativeDroppedWords,
    stats: {
      unetCalls: sd.stats.unetCalls - before.unetCalls,
      sessionRunMs: sd.stats.sessionRunMs - before.sessionRunMs,
      textCacheHits: sd.stats.textCacheHits - before.textCacheHits,
      totalMs: performance.now() - started,
    },
  };
}
