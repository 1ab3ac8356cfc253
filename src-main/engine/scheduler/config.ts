/**
 * The diffusion settings the studio reads from a model's `scheduler/scheduler_config.json`.
 * Any config of the DDIM family (DDIM, PNDM, Euler, DPM-Solver, LMS … exports) carries the
 * same noise-schedule keys; the studio then runs its own DDIM, DPM-Solver++ 2M, Euler or Euler
 * ancestral on them, the way `DDIMScheduler.from_config(config)` (and the others' `from_config`)
 * do in diffusers (a key missing from the file takes the reading scheduler's own default).
 */
import { CodedError } from '../errors';

export const SCHEDULER_KINDS = ['ddim', 'dpmpp-2m', 'euler', 'euler-ancestral'] as const;
export type SchedulerKind = (typeof SCHEDULER_KINDS)[number];

/** The diffusers class each scheduler kind reproduces (scheduler_config.json `_class_name`). */
export const SCHEDULER_CLASS_NAMES: Readonly<Record<SchedulerKind, string>> = {
  ddim: 'DDIMScheduler',
  'dpmpp-2m': 'DPMSolverMultistepScheduler',
  euler: 'EulerDiscreteScheduler',
  'euler-ancestral': 'EulerAncestralDiscreteScheduler',
};

/** Used when a model folder names a scheduler the engine does not have (PNDM, LMS, …). */
export const FALLBACK_SCHEDULER: SchedulerKind = 'ddim';

export interface ModelScheduler {
  readonly kind: SchedulerKind;
  /** `_class_name` of the file (undefined when it has none). */
  readonly className?: string;
  /** Why `kind` is not the file's own scheduler, in words for `models inspect` and the studio; undefined when it is. */
  readonly fallbackReason?: string;
}

/**
 * The scheduler a model folder asks for, as diffusers picks it (its `_class_name`), when the
 * engine has that class; otherwise DDIM on the same noise schedule, with the reason.
 */
export function modelScheduler(json: unknown): ModelScheduler {
  const raw = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  const className = typeof raw._class_name === 'string' ? raw._class_name : undefined;
  const kind = (Object.keys(SCHEDULER_CLASS_NAMES) as SchedulerKind[]).find((k) => SCHEDULER_CLASS_NAMES[k] === className);
  if (kind) return { kind, className };
  const fallbackReason = className
    ? `${className} is not one of the engine's schedulers (${SCHEDULER_KINDS.join(', ')}); ${FALLBACK_SCHEDULER} runs on its noise schedule`
    : `scheduler_config.json names no _class_name; ${FALLBACK_SCHEDULER} runs on its noise schedule`;
  return { kind: FALLBACK_SCHEDULER, ...(className ? { className } : {}), fallbackReason };
}
export type BetaSchedule = 'linear' | 'scaled_linear' | 'squaredcos_cap_v2';
export type PredictionType = 'epsilon' | 'v_prediction';
export type TimestepSpacing = 'leading' | 'trailing' | 'linspace';

export interface SchedulerConfig {
  readonly numTrainTimesteps: number;
  readonly betaStart: number;
  readonly betaEnd: number;
  readonly betaSchedule: BetaSchedule;
  /** Explicit betas (length numTrainTimesteps); when present they replace the beta schedule. */
  readonly trainedBetas?: readonly number[];
  readonly predictionType: PredictionType;
  /** DDIM's ᾱ after the last step: 1 when true, else ᾱ[0]. */
  readonly setAlphaToOne: boolean;
  readonly stepsOffset: number;
  /**
   * How inference timesteps are spread. Undefined means the file has no `timestep_spacing`
   * key, and each scheduler uses its diffusers default: DDIM 'leading', DPM-Solver++ and both
   * Euler schedulers 'linspace' (see `resolveTimestepSpacing`).
   */
  readonly timestepSpacing?: TimestepSpacing;
  /** DDIM clamps its x0 prediction to ±clipSampleRange when true (DPM-Solver++ has no such option). */
  readonly clipSample: boolean;
  readonly clipSampleRange: number;
  /** Settings in the file that the studio's schedulers do not follow, in words for the UI. */
  readonly notes?: readonly string[];
}

/** scheduler_config.json of stable-diffusion-2-base (DDIM, epsilon); parseSchedulerConfig turns it into SD2_BASE_SCHEDULER_CONFIG (config.test.ts checks they agree). */
export const SD2_BASE_SCHEDULER_JSON = {
  _class_name: 'DDIMScheduler',
  _diffusers_version: '0.8.0',
  beta_end: 0.012,
  beta_schedule: 'scaled_linear',
  beta_start: 0.00085,
  clip_sample: false,
  num_train_timesteps: 1000,
  prediction_type: 'epsilon',
  set_alpha_to_one: false,
  skip_prk_steps: true,
  steps_offset: 1,
  trained_betas: null,
} as const;

/** scheduler_config.json of Stable Diffusion 2.1 base (and inpainting); the 768 model differs only in v_prediction. */
export const SD2_BASE_SCHEDULER_CONFIG: SchedulerConfig = Object.freeze({
  numTrainTimesteps: 1000,
  betaStart: 0.00085,
  betaEnd: 0.012,
  betaSchedule: 'scaled_linear',
  predictionType: 'epsilon',
  setAlphaToOne: false,
  stepsOffset: 1,
  clipSample: false,
  clipSampleRange: 1,
});

export function resolveTimestepSpacing(cfg: SchedulerConfig, kind: SchedulerKind): TimestepSpacing {
  return cfg.timestepSpacing ?? (kind === 'ddim' ? 'leading' : 'linspace');
}

/**
 * EulerDiscreteScheduler options that would change the studio's Euler steps (s_churn is a
 * step argument diffusers' pipelines leave at 0, so it is not a config key).
 */
const EULER_DEFAULTS: Readonly<Record<string, unknown>> = {
  interpolation_type: 'linear',
  timestep_type: 'discrete',
};

/** A scheduler_config.json value the studio cannot follow; `key` names the field. */
export class SchedulerConfigError extends CodedError {
  override name = 'SchedulerConfigError';
  constructor(
    message: string,
    readonly key: string,
    file?: string,
  ) {
    super('MODEL_BAD_CONFIG', message, { file });
  }
}

/**
 * DPM-Solver options that would change the studio's fixed DPM-Solver++ 2M; when a file sets
 * them to something else they are reported in `notes`, not followed.
 */
const DPM_SOLVER_DEFAULTS: Readonly<Record<string, unknown>> = {
  algorithm_type: 'dpmsolver++',
  solver_order: 2,
  solver_type: 'midpoint',
  final_sigmas_type: 'zero',
  use_karras_sigmas: false,
  use_exponential_sigmas: false,
  use_beta_sigmas: false,
  use_lu_lambdas: false,
  use_flow_sigmas: false,
  euler_at_final: false,
  variance_type: null,
};

/**
 * Reads a scheduler_config.json object. Absent keys take DDIMScheduler's defaults (as
 * `DDIMScheduler.from_config` would); errors name the file and the key.
 */
export function parseSchedulerConfig(json: unknown, sourcePath?: string): SchedulerConfig {
  const where = sourcePath ?? 'scheduler_config.json';
  const fail = (key: string, problem: string, fix: string): never => {
    throw new SchedulerConfigError(`${where}: "${key}" ${problem}; ${fix}.`, key, sourcePath);
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new SchedulerConfigError(
      `${where} must hold a JSON object with the scheduler settings (got ${describe(json)}).`,
      '(root)',
      sourcePath,
    );
  }
  const raw = json as Record<string, unknown>;
  const present = (key: string): boolean => raw[key] !== undefined && raw[key] !== null;

  const integer = (key: string, fallback: number, min: number, max: number): number => {
    if (!present(key)) return fallback;
    const v = raw[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      fail(key, `is ${describe(v)}`, `it must be an integer from ${min} to ${max}`);
    }
    return v as number;
  };
  const number = (key: string, fallback: number, ok: (v: number) => boolean, rule: string): number => {
    if (!present(key)) return fallback;
    const v = raw[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) fail(key, `is ${describe(v)}`, `it must be ${rule}`);
    return v as number;
  };
  const bool = (key: string, fallback: boolean): boolean => {
    if (!present(key)) return fallback;
    const v = raw[key];
    if (typeof v !== 'boolean') fail(key, `is ${describe(v)}`, 'it must be true or false');
    return v as boolean;
  };
  const choice = <T extends string>(key: string, options: readonly T[], fallback: T | undefined): T | undefined => {
    if (!present(key)) return fallback;
    const v = raw[key];
    if (typeof v !== 'string' || !(options as readonly string[]).includes(v)) {
      fail(key, `is ${describe(v)}`, `supported values are ${options.map((o) => `"${o}"`).join(', ')}`);
    }
    return v as T;
  };

  const numTrainTimesteps = integer('num_train_timesteps', 1000, 1, 100_000);
  const betaStart = number('beta_start', 0.0001, (v) => v > 0 && v < 1, 'a number between 0 and 1');
  const betaEnd = number('beta_end', 0.02, (v) => v > 0 && v < 1, 'a number between 0 and 1');
  const betaSchedule = choice<BetaSchedule>('beta_schedule', ['linear', 'scaled_linear', 'squaredcos_cap_v2'], 'linear')!;

  let trainedBetas: number[] | undefined;
  if (present('trained_betas')) {
    const v = raw.trained_betas;
    if (!Array.isArray(v) || v.some((b) => typeof b !== 'number' || !(b > 0 && b < 1))) {
      fail('trained_betas', 'is not a list of numbers between 0 and 1', 'give one beta per training timestep or remove the key');
    }
    if ((v as number[]).length !== numTrainTimesteps) {
      fail(
        'trained_betas',
        `has ${(v as number[]).length} values but num_train_timesteps is ${numTrainTimesteps}`,
        'the two must agree',
      );
    }
    trainedBetas = [...(v as number[])];
  } else if (betaStart > betaEnd) {
    fail('beta_start', `(${betaStart}) is larger than beta_end (${betaEnd})`, 'betas must grow over the training timesteps');
  }

  if (raw.prediction_type === 'sample') {
    fail(
      'prediction_type',
      'is "sample", which the studio does not support',
      'use a model trained for "epsilon" or "v_prediction" (all Stable Diffusion 2.x models are)',
    );
  }
  const predictionType = choice<PredictionType>('prediction_type', ['epsilon', 'v_prediction'], 'epsilon')!;
  if (raw.thresholding === true) {
    fail('thresholding', 'is true; dynamic thresholding is not supported', 'set it to false (Stable Diffusion latents do not use it)');
  }
  if (raw.rescale_betas_zero_snr === true) {
    fail('rescale_betas_zero_snr', 'is true; zero-terminal-SNR rescaling is not supported', 'set it to false');
  }

  const notes: string[] = [];
  for (const [key, expected] of Object.entries(DPM_SOLVER_DEFAULTS)) {
    if (key in raw && raw[key] !== expected && !(expected === null && raw[key] === undefined)) {
      notes.push(`${key} = ${JSON.stringify(raw[key])} is ignored: the studio's DPM-Solver++ 2M uses ${JSON.stringify(expected)}.`);
    }
  }
  for (const [key, expected] of Object.entries(EULER_DEFAULTS)) {
    if (key in raw && raw[key] !== expected && raw[key] !== null) {
      notes.push(`${key} = ${JSON.stringify(raw[key])} is ignored: the studio's Euler schedulers use ${JSON.stringify(expected)}.`);
    }
  }

  const timestepSpacing = choice<TimestepSpacing>('timestep_spacing', ['leading', 'trailing', 'linspace'], undefined);
  const config: SchedulerConfig = {
    numTrainTimesteps,
    betaStart,
    betaEnd,
    betaSchedule,
    ...(trainedBetas ? { trainedBetas } : {}),
    predictionType,
    setAlphaToOne: bool('set_alpha_to_one', true),
    stepsOffset: integer('steps_offset', 0, 0, numTrainTimesteps - 1),
    ...(timestepSpacing ? { timestepSpacing } : {}),
    clipSample: bool('clip_sample', true),
    clipSampleRange: number('clip_sample_range', 1, (v) => v > 0, 'a positive number'),
    ...(notes.length ? { notes } : {}),
  };
  return config;
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'a list';
  const text = JSON.stringify(value);
  return text === undefined ? typeof value : text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
