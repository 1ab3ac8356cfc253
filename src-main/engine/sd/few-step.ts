/**
 * Distilled few-step models (SD-Turbo and its kind) make a finished image in 1–4 steps and are
 * run without classifier-free guidance. Such a model is recognised from its folder, and the
 * studio offers these defaults (the user can override every one).
 */
export interface FewStepDefaults {
  readonly steps: number;
  readonly guidance: number;
  /** The transition mode that fits: every branch injected at one step (blend/fast-plan.ts). */
  readonly mode: 'fast';
  /** What in the folder says so, for `models inspect` and the studio. */
  readonly reason: string;
}

/** SD-Turbo's model card: 1–4 steps, guidance 0; 4 steps leaves latent blending two shared and two own steps. */
export const FEW_STEP_DEFAULTS = { steps: 4, guidance: 0 } as const satisfies { steps: number; guidance: number };

const EULER_CLASSES = ['EulerDiscreteScheduler', 'EulerAncestralDiscreteScheduler'];
const FEW_STEP_NAMES = /turbo|lcm|lightning|hyper-?sd/i;

/**
 * The folder says "few-step" when its scheduler_config.json is an Euler scheduler with
 * "trailing" timesteps (what SD-Turbo ships), or model_index.json's `_name_or_path` names a
 * distilled family (turbo, LCM, lightning, Hyper-SD).
 */
export function detectFewStep(schedulerJson: unknown, modelIndex?: Record<string, unknown>): FewStepDefaults | undefined {
  const cfg = typeof schedulerJson === 'object' && schedulerJson !== null ? (schedulerJson as Record<string, unknown>) : {};
  const defaults = { ...FEW_STEP_DEFAULTS, mode: 'fast' as const };
  if (typeof cfg._class_name === 'string' && EULER_CLASSES.includes(cfg._class_name) && cfg.timestep_spacing === 'trailing') {
    return { ...defaults, reason: `scheduler_config.json is ${cfg._class_name} with "trailing" timesteps, the setup of few-step models such as SD-Turbo` };
  }
  const name = modelIndex?._name_or_path;
  if (typeof name === 'string' && FEW_STEP_NAMES.test(name)) {
    return { ...defaults, reason: `model_index.json names it "${name}", a distilled few-step model` };
  }
  return undefined;
}
