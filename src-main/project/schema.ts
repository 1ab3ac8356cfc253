import { parseHubRef } from '../engine/jobs/hub-ref';
import { z } from 'zod';
import { DEFAULT_EASING_STRENGTH, EASING_CURVES } from '../engine/blend/easing';
import { SCHEDULER_KINDS } from '../engine/scheduler/config';
import { PROVIDER_NAMES } from '../engine/sd/types';
import { IMAGE_FITS, type ImageFit } from '../engine/image-fit';
import {
  MIN_FINAL_IMAGES,
  MIN_TREE_STEPS,
  QUALITY_PRESET_NAMES,
  depthStrengthFits,
  depthStrengthRange,
  effectiveSteps,
  firstInjectionStep,
  minFramesForPreset,
  presetFinalImages,
  transitionFrameCount,
} from './quality';
import { DEFAULT_GIF_OPTIONS, GIF_DITHERS, GIF_LIMITS, GIF_STATS_MODES } from '../media/gif-options';

/**
 * The project file (`*.lbs.json`), version 2. Every field has a default except `format`,
 * `version` and `keyframes`, so a hand-written file can be tiny; unknown fields are errors
 * (a typo must not silently fall back to a default). docs/project-format.md documents each field.
 */

export const PROJECT_FORMAT = 'latent-blending-studio';
export const CURRENT_PROJECT_VERSION = 2;

/** What the engine supports, under the names the project file uses. */
export const PROVIDERS = PROVIDER_NAMES;
export const SCHEDULERS = SCHEDULER_KINDS;
export const EXPORT_FORMATS = ['mp4', 'webm', 'gif', 'png'] as const;
/** x264's speed presets (mp4); the other encoders map them to their nearest setting. */
export const ENCODER_PRESETS = [
  'ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow',
] as const;

export const MAX_SEED = 2 ** 32 - 1;
/** x264's CRF scale ends at 51; VP9's at 63. */
export const MAX_CRF = { mp4: 51, webm: 63 } as const;

/**
 * Limits where a result would be absurd, so a hostile or mistyped document fails fast with a
 * clear message instead of planning a job of days (and the schema stays cheap to check).
 */
export const MAX_KEYFRAMES = 1000;
/** CLIP reads 77 tokens (a few hundred characters); anything far beyond is not a prompt. */
export const MAX_PROMPT_CHARS = 4000;
/** 25 minutes at 24 fps, 10 at 60: a longer single transition is a typo, not a film. */
export const MAX_FRAMES_PER_TRANSITION = 36_000;

/** Defaults of the published method where it has one (lunarring/latentblending, SD 2.x era). */
export const DEFAULTS = {
  name: 'Untitled',
  width: 512,
  height: 512,
  guidance: 7.5,
  fps: 24,
  duration: 3,
  depthStrength: 0.5,
  preset: 'medium',
  guidanceMidDamper: 0.5,
  parentalCrossfeed: { power: 0.1, range: 0.8, decay: 0.8 },
  keyframeCrossfeed: { power: 0.1, range: 0.6, decay: 0.8 },
  featherRadius: 8,
  /** How an image keyframe's picture meets the project size (engine/image-fit.ts). */
  imageFit: 'crop' as ImageFit,
  hold: 0,
  easing: 'linear',
  easingStrength: DEFAULT_EASING_STRENGTH,
  crf: 18,
  encoderPreset: 'medium',
} as const;

const KEYFRAME_ID = /^[A-Za-z0-9_-]{1,64}$/;

function isAbsoluteAnywhere(p: string): boolean {
  // Reject POSIX, Windows drive and UNC paths alike: a project must open on any machine.
  return p.startsWith('/') || p.startsWith('\\') || /^[A-Za-z]:/.test(p);
}

/** A path relative to the project's folder; backslashes are accepted and stored as '/'. */
function relativePath(what: string, extension?: string) {
  let schema = z
    .string()
    .min(1)
    .refine((p) => !isAbsoluteAnywhere(p), {
      error: `must be a path relative to the project file's folder, not an absolute path; copy the ${what} next to the project and write e.g. "images/${what === 'audio file' ? 'music.mp3' : 'a.png'}"`,
    });
  if (extension) {
    schema = schema.refine((p) => p.toLowerCase().endsWith(extension), {
      error: `the ${what} must be a ${extension.slice(1).toUpperCase()} file (name ending in "${extension}")`,
    });
  }
  return schema.transform((p) => p.replaceAll('\\', '/'));
}

const imageSide = z.number().int().min(256).max(2048).multipleOf(8);
const unitInterval = z.number().min(0).max(1);

/** A Hugging Face Hub model, "owner/name" or "owner/name@revision", resolved through the HF cache. */
export const HubModelRefSchema = z.strictObject({
  hub: z.string().refine((text) => parseHubRef(text) !== undefined, { error: 'must be a Hub repo id, "owner/name" or "owner/name@revision"' }),
});

export const ModelRefSchema = z.union(
  [z.strictObject({ id: z.literal('demo') }), z.strictObject({ id: z.literal('demo-fast') }), z.strictObject({ path: z.string().min(1) }), HubModelRefSchema],
  {
    error: 'must be {"id": "demo"} for the built-in demo model, {"id": "demo-fast"} for its few-step variant, {"path": "<folder of a Stable Diffusion 2.x ONNX model>"} or {"hub": "owner/name"} for a Hugging Face Hub model',
  },
);

export const InpaintingModelRefSchema = z.union(
  [z.strictObject({ id: z.literal('demo-inpainting') }), z.strictObject({ path: z.string().min(1) }), HubModelRefSchema],
  {
    error:
      'must be {"id": "demo-inpainting"} for the built-in demo inpainting model, {"path": "<folder of a Stable Diffusion 2 inpainting ONNX model>"} or {"hub": "owner/name"} for a Hugging Face Hub model',
  },
);

export const KeyframeSchema = z.strictObject({
  /** Stable identity for the editor and the cache; filled in (k1, k2, …) when absent. */
  id: z
    .string()
    .regex(KEYFRAME_ID, { error: 'must be 1–64 letters, digits, "-" or "_"' })
    .optional(),
  prompt: z.string().max(MAX_PROMPT_CHARS).default(''),
  negativePrompt: z.string().max(MAX_PROMPT_CHARS).default(''),
  seed: z.number().int().min(0).max(MAX_SEED).default(0),
  seedLocked: z.boolean().default(false),
  image: relativePath('image', '.png').optional(),
  mask: relativePath('mask', '.png').optional(),
  /** How `image` is fitted to the project size; absent = DEFAULTS.imageFit (see imageFitOf). */
  imageFit: z.enum(IMAGE_FITS, { error: 'must be "fit" (whole picture on bars), "fill" (stretched) or "crop" (cover, centre kept)' }).optional(),
  /** Seconds the keyframe stays on screen before its next transition starts (re-times only). */
  hold: z.number().min(0).max(3600).default(DEFAULTS.hold),
});

/** The fit an image keyframe's picture gets: its own choice or the default. */
export function imageFitOf(keyframe: { imageFit?: ImageFit }): ImageFit {
  return keyframe.imageFit ?? DEFAULTS.imageFit;
}

function crossfeedSchema(defaults: { power: number; range: number; decay: number }) {
  return z.strictObject({
    power: unitInterval.default(defaults.power),
    range: unitInterval.default(defaults.range),
    decay: unitInterval.default(defaults.decay),
  });
}

export const FixedModeSchema = z.strictObject({
  kind: z.literal('fixed'),
  preset: z.enum(QUALITY_PRESET_NAMES).default(DEFAULTS.preset),
});

/** Exactly one limit: a time budget (adapts to the machine) or an image count (same result everywhere). */
export const AdaptiveModeSchema = z
  .strictObject({
    kind: z.literal('adaptive'),
    budgetSeconds: z.number().gt(0).optional(),
    maxImages: z.number().int().min(3).max(10_000).optional(),
  })
  .refine((m) => (m.budgetSeconds === undefined) !== (m.maxImages === undefined), {
    error:
      'an adaptive transition needs exactly one of "budgetSeconds" (seconds of rendering, e.g. 20; adapts to this machine) and "maxImages" (e.g. 24; the same result on every machine)',
  });

/**
 * Few-step models (SD-Turbo …, engine/blend/fast-plan.ts): every branch injected at one step.
 * At most one limit: branches (evenly spaced), maxImages or budgetSeconds (inserted where
 * neighbours differ most); none = evenly spaced, as many as quality.ts fastFinalImages gives.
 */
export const FastModeSchema = z
  .strictObject({
    kind: z.literal('fast'),
    /** k; absent = round(steps · depthStrength) kept inside 1 … steps − 1. */
    injectionStep: z.number().int().min(0).max(249).optional(),
    branches: z.number().int().min(3).max(10_000).optional(),
    maxImages: z.number().int().min(3).max(10_000).optional(),
    budgetSeconds: z.number().gt(0).optional(),
  })
  .refine((m) => [m.branches, m.maxImages, m.budgetSeconds].filter((v) => v !== undefined).length <= 1, {
    error: 'a fast transition takes at most one of "branches" (evenly spaced images, e.g. 18), "maxImages" and "budgetSeconds" (inserted where neighbours differ most)',
  });

export const TransitionModeSchema = z.discriminatedUnion('kind', [FixedModeSchema, AdaptiveModeSchema, FastModeSchema], {
  error: 'must be {"kind": "fixed", "preset": "lowest" | "low" | "medium" | "high" | "ultra"}, {"kind": "adaptive", "budgetSeconds": …, "maxImages": …} or {"kind": "fast", "branches": …} (few-step models)',
});

export const TransitionSchema = z.strictObject({
  duration: z.number().gt(0).max(3600).default(DEFAULTS.duration),
  depthStrength: z.number().gt(0).lt(1).default(DEFAULTS.depthStrength),
  mode: TransitionModeSchema.prefault({ kind: 'fixed' }),
  guidanceMidDamper: z.number().gt(0).max(1).default(DEFAULTS.guidanceMidDamper),
  crossfeed: z
    .strictObject({
      parental: crossfeedSchema(DEFAULTS.parentalCrossfeed).nullable().prefault({}),
      keyframe: crossfeedSchema(DEFAULTS.keyframeCrossfeed).nullable().default(null),
    })
    .prefault({}),
  /** How f advances over the transition's time (engine/blend/easing); re-times only, never re-renders. */
  easing: z
    .strictObject({
      curve: z.enum(EASING_CURVES).default(DEFAULTS.easing),
      strength: unitInterval.default(DEFAULTS.easingStrength),
    })
    .prefault({}),
  inpaint: z
    .strictObject({
      feather: z.boolean().default(true),
      featherRadius: z.number().min(0).max(256).default(DEFAULTS.featherRadius),
    })
    .prefault({}),
});

/** GIF size, loop and palette choices (media/gif-options.ts holds the defaults and ranges). */
export const GifSettingsSchema = z.strictObject({
  scale: z.number().min(GIF_LIMITS.minScale).max(GIF_LIMITS.maxScale).default(DEFAULT_GIF_OPTIONS.scale),
  plays: z.number().int().min(0).max(GIF_LIMITS.maxPlays).default(DEFAULT_GIF_OPTIONS.plays),
  colors: z.number().int().min(GIF_LIMITS.minColors).max(GIF_LIMITS.maxColors).default(DEFAULT_GIF_OPTIONS.colors),
  dither: z.enum(GIF_DITHERS).default(DEFAULT_GIF_OPTIONS.dither),
  bayerScale: z.number().int().min(0).max(GIF_LIMITS.maxBayerScale).default(DEFAULT_GIF_OPTIONS.bayerScale),
  statsMode: z.enum(GIF_STATS_MODES).default(DEFAULT_GIF_OPTIONS.statsMode),
});

export const ExportSettingsSchema = z.strictObject({
  format: z.enum(EXPORT_FORMATS).default('mp4'),
  crf: z.number().int().min(0).max(MAX_CRF.webm).default(DEFAULTS.crf),
  preset: z.enum(ENCODER_PRESETS).default(DEFAULTS.encoderPreset),
  audio: relativePath('audio file').optional(),
  gif: GifSettingsSchema.prefault({}),
});

const ProjectObjectSchema = z.strictObject({
  format: z.literal(PROJECT_FORMAT),
  version: z.literal(CURRENT_PROJECT_VERSION),
  name: z.string().trim().min(1).max(200).default(DEFAULTS.name),
  model: ModelRefSchema.default({ id: 'demo' }),
  inpaintingModel: InpaintingModelRefSchema.default({ id: 'demo-inpainting' }),
  provider: z.enum(PROVIDERS).default('auto'),
  width: imageSide.default(DEFAULTS.width),
  height: imageSide.default(DEFAULTS.height),
  /** Explicit diffusion steps; absent = derived from the transitions' presets (quality.ts). */
  steps: z.number().int().min(1).max(250).optional(),
  /** Absent = the model folder's own scheduler (its scheduler_config.json), DDIM when the engine lacks it. */
  scheduler: z.enum(SCHEDULERS).optional(),
  guidance: z.number().min(0).max(50).default(DEFAULTS.guidance),
  fps: z.number().gt(0).max(240).default(DEFAULTS.fps),
  /** One more transition, from the last keyframe back to the first: the video loops seamlessly. */
  loop: z.boolean().default(false),
  keyframes: z.array(KeyframeSchema).min(1).max(MAX_KEYFRAMES),
  transitions: z.array(TransitionSchema).max(MAX_KEYFRAMES),
  export: ExportSettingsSchema.prefault({}),
});

type ProjectObject = z.output<typeof ProjectObjectSchema>;

/**
 * Rules that span fields. zod may run these on data that already failed a field check, so
 * each rule looks only at values that passed theirs (no second message for one mistake).
 */
function crossFieldChecks(p: ProjectObject, ctx: z.RefinementCtx): void {
  if (!Array.isArray(p.keyframes) || !Array.isArray(p.transitions)) return;
  // Over the keyframe limit nothing else is worth checking (one message, and no work per item).
  if (p.keyframes.length > MAX_KEYFRAMES) return;
  const loop = p.loop === true;
  const need = loop ? p.keyframes.length : p.keyframes.length - 1;
  if (loop && p.keyframes.length < 2) {
    ctx.addIssue({ code: 'custom', path: ['loop'], message: 'needs at least 2 keyframes to loop between; add a keyframe or set "loop": false' });
  } else if (p.transitions.length !== need) {
    ctx.addIssue({
      code: 'custom',
      path: ['transitions'],
      message:
        `has ${p.transitions.length} ${p.transitions.length === 1 ? 'entry' : 'entries'} but ${p.keyframes.length} keyframes need exactly ${need} ` +
        (loop
          ? `(one transition between each consecutive pair of keyframes, and the last one back to the first because "loop" is true)`
          : `(one transition between each consecutive pair of keyframes)`) +
        `; ${p.transitions.length > need ? 'remove' : 'add'} ${Math.abs(p.transitions.length - need)}`,
    });
  } else if (loop) {
    // Keyframe 1 starts the movie as rendered: the loop-back transition must not change it.
    const back = p.transitions.length - 1;
    if (p.transitions[back]?.crossfeed?.keyframe) {
      ctx.addIssue({
        code: 'custom',
        path: ['transitions', back, 'crossfeed', 'keyframe'],
        message: 'keyframe crossfeed on the loop-back transition would pull keyframe 1 toward the last keyframe, which changes the start of the movie; set it to null',
      });
    }
    const last = p.keyframes.length - 1;
    if (p.keyframes[last]?.mask !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['keyframes', last, 'mask'],
        message: 'a mask on the last keyframe of a looping movie would make the loop-back transition regenerate keyframe 1; remove the mask or set "loop": false',
      });
    }
  }

  const seen = new Map<string, number>();
  p.keyframes.forEach((k, i) => {
    if (typeof k?.id !== 'string') return;
    const first = seen.get(k.id);
    if (first !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['keyframes', i, 'id'],
        message: `"${k.id}" is already the id of keyframes[${first}]; keyframe ids must be unique (rename it or delete the line to get a fresh one)`,
      });
    } else {
      seen.set(k.id, i);
    }
  });

  const steps = effectiveSteps(p);
  p.transitions.forEach((t, i) => {
    const d = t?.depthStrength;
    const fast = t?.mode?.kind === 'fast';
    const k = t?.mode?.kind === 'fast' ? t.mode.injectionStep : undefined;
    if (typeof k === 'number' && Number.isInteger(steps) && k >= steps) {
      ctx.addIssue({
        code: 'custom',
        path: ['transitions', i, 'mode', 'injectionStep'],
        message: `${k} is not a step of ${steps}: use 0–${steps - 1} (2 of 4 is the usual few-step choice), or delete it to derive it from depthStrength`,
      });
    }
    if (!fast && Number.isInteger(steps) && steps < MIN_TREE_STEPS) {
      ctx.addIssue({
        code: 'custom',
        path: ['transitions', i, 'mode'],
        message: `the ${t?.mode?.kind ?? 'fixed'} tree needs at least ${MIN_TREE_STEPS} steps, the project has ${steps}; use {"kind": "fast"} for few-step models, or more steps`,
      });
      return;
    }
    if (!fast && typeof d === 'number' && d > 0 && d < 1 && Number.isInteger(steps) && !depthStrengthFits(d, steps)) {
      const r = depthStrengthRange(steps);
      ctx.addIssue({
        code: 'custom',
        path: ['transitions', i, 'depthStrength'],
        message:
          `${d} puts the first branch at step ${firstInjectionStep(d, steps)} of ${steps}: branches must share at least 3 steps with the keyframes and run at least 3 of their own; ` +
          (r ? `use ${r.min}–${r.max} with ${steps} steps` : 'use more steps'),
      });
    }
    const duration = t?.duration;
    if (typeof duration === 'number' && duration > 0 && typeof p.fps === 'number' && p.fps > 0 && transitionFrameCount(duration, p.fps) > MAX_FRAMES_PER_TRANSITION) {
      ctx.addIssue({
        code: 'custom',
        path: ['transitions', i, 'duration'],
        message:
          `${duration} s at ${p.fps} fps is ${transitionFrameCount(duration, p.fps)} frames; one transition may have at most ${MAX_FRAMES_PER_TRANSITION} ` +
          `(at most ${Math.floor((MAX_FRAMES_PER_TRANSITION / p.fps) * 10) / 10} s at this fps): make it shorter, lower the fps, or add keyframes between`,
      });
    }
    if (t?.mode?.kind === 'fixed' && typeof duration === 'number' && duration > 0 && typeof p.fps === 'number' && p.fps > 0) {
      const frames = transitionFrameCount(duration, p.fps);
      const preset = t.mode.preset;
      if (presetFinalImages(preset, frames) < MIN_FINAL_IMAGES) {
        const need = minFramesForPreset(preset);
        ctx.addIssue({
          code: 'custom',
          path: ['transitions', i, 'duration'],
          message:
            `${duration} s at ${p.fps} fps is ${frames} frames, too short for the "${preset}" preset (it needs ${need} frames to plan ${MIN_FINAL_IMAGES} images); ` +
            `make it at least ${Math.ceil((need / p.fps) * 100) / 100} s or choose a lower preset`,
        });
      }
    }
  });

  if (p.export?.format === 'mp4' && typeof p.export.crf === 'number' && p.export.crf > MAX_CRF.mp4 && p.export.crf <= MAX_CRF.webm) {
    ctx.addIssue({
      code: 'custom',
      path: ['export', 'crf'],
      message: `${p.export.crf} is above ${MAX_CRF.mp4}, the largest CRF of the mp4 (H.264) encoder; use 0–${MAX_CRF.mp4} (18 looks visually lossless)`,
    });
  }
}

/** Give every keyframe without an id the first free `k<n>`, n counting from its position. */
function fillKeyframeIds(p: ProjectObject) {
  const taken = new Set(p.keyframes.flatMap((k) => (k.id === undefined ? [] : [k.id])));
  const keyframes = p.keyframes.map(({ id: given, ...rest }, i) => {
    let id = given;
    if (id === undefined) {
      let n = i + 1;
      while (taken.has(`k${n}`)) n++;
      id = `k${n}`;
      taken.add(id);
    }
    // id first, as in the schema, so saved files keep a stable field order.
    return { id, ...rest };
  });
  return { ...p, keyframes };
}

/** A file with keyframes but no `transitions` gets default transitions between them. */
function fillMissingTransitions(input: unknown): unknown {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  const obj = input as Record<string, unknown>;
  if (obj.transitions !== undefined || !Array.isArray(obj.keyframes)) return input;
  // Too many keyframes fails on its own; do not build a transition for each of them first.
  if (obj.keyframes.length > MAX_KEYFRAMES) return { ...obj, transitions: [] };
  const count = obj.loop === true ? obj.keyframes.length : Math.max(0, obj.keyframes.length - 1);
  return { ...obj, transitions: Array.from({ length: count }, () => ({})) };
}

export const ProjectSchema = z.preprocess(
  fillMissingTransitions,
  ProjectObjectSchema.superRefine(crossFieldChecks).transform(fillKeyframeIds),
);

export type Project = z.output<typeof ProjectSchema>;
export type ProjectInput = z.input<typeof ProjectObjectSchema>;
export type Keyframe = Project['keyframes'][number];
export type Transition = Project['transitions'][number];
export type TransitionMode = Transition['mode'];
export type CrossfeedSettings = NonNullable<Transition['crossfeed']['parental']>;
export type ExportSettings = Project['export'];
export type ModelRef = Project['model'];
export type InpaintingModelRef = Project['inpaintingModel'];
export type ProviderSetting = Project['provider'];

/** A new transition as the schema fills one in: the one place its defaults are spelled out. */
export function defaultTransition(): Transition {
  return TransitionSchema.parse({});
}
