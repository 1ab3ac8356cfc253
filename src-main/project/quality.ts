/**
 * Quality presets of the fixed blending tree (latent-blending spec §3a).
 * A preset sets the number of diffusion steps N and the number of final images F of a
 * transition; F depends on how many frames the transition needs (duration × fps).
 */

export const QUALITY_PRESETS = ['lowest', 'low', 'medium', 'high', 'ultra'] as const;
export type QualityPreset = (typeof QUALITY_PRESETS)[number];

/** N per preset, from the spec's table. */
export const PRESET_STEPS: Readonly<Record<QualityPreset, number>> = {
  lowest: 12,
  low: 15,
  medium: 30,
  high: 60,
  ultra: 100,
};

/** Steps used when no transition names a preset and the project sets no explicit `steps`. */
export const DEFAULT_STEPS = PRESET_STEPS.medium;

/** Frames divisor per preset (F = frames // divisor); `lowest` always makes 5 images. */
const PRESET_FRAME_DIVISOR: Readonly<Record<Exclude<QualityPreset, 'lowest'>, number>> = {
  low: 16,
  medium: 8,
  high: 4,
  ultra: 2,
};

/**
 * A tree needs its two keyframes plus at least one image between them, so F never drops
 * below 3 even for very short transitions (the spec's `frames // 16` is 1 for a 1 s clip).
 */
export const MIN_FINAL_IMAGES = 3;

/** The number of frames a transition occupies in the video: round(duration × fps). */
export function transitionFrameCount(durationSeconds: number, fps: number): number {
  return Math.max(1, Math.round(durationSeconds * fps));
}

/** F, the number of final images a fixed-preset transition renders for `frames` frames. */
export function presetFinalImages(preset: QualityPreset, frames: number): number {
  if (preset === 'lowest') return 5;
  return Math.max(MIN_FINAL_IMAGES, Math.floor(frames / PRESET_FRAME_DIVISOR[preset]));
}

interface StepsSource {
  readonly steps?: number;
  readonly transitions: readonly { readonly mode: { readonly kind: string; readonly preset?: QualityPreset } }[];
}

/**
 * The project's diffusion step count N. Keyframe trajectories are shared by the two
 * transitions that touch them, so a project has a single N: the explicit `steps` when set,
 * else the largest N among the fixed presets (no transition gets fewer steps than its preset
 * promises), else the medium preset's N.
 */
export function effectiveSteps(project: StepsSource): number {
  if (project.steps !== undefined) return project.steps;
  let steps = 0;
  for (const t of project.transitions) {
    const preset = t?.mode?.kind === 'fixed' ? t.mode.preset : undefined;
    if (preset !== undefined && preset in PRESET_STEPS) steps = Math.max(steps, PRESET_STEPS[preset]);
  }
  return steps > 0 ? steps : DEFAULT_STEPS;
}

/** Minimum spacing between injection steps of the fixed tree (spec §3a, m = 3). */
export const MIN_INJECTION_SPACING = 3;

/**
 * The largest depth strength that still leaves room to branch with N steps: the first
 * injection step round(N·d) must not pass N − m.
 */
export function maxDepthStrength(steps: number): number {
  // Largest d with round(N·d) ≤ N − m, rounded down to two decimals for a readable hint.
  const limit = (steps - MIN_INJECTION_SPACING + 0.5) / steps;
  return Math.floor((limit - 1e-9) * 100) / 100;
}

export function depthStrengthFits(depthStrength: number, steps: number): boolean {
  return Math.round(steps * depthStrength) <= steps - MIN_INJECTION_SPACING;
}
