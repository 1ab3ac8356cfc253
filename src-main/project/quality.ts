/**
 * What a transition's timing and quality settings mean for rendering, in the terms the engine
 * plans with (spec §3a): a quality preset sets the step count N and, from the frames the
 * transition occupies, the number of final images F. The table itself is the engine's.
 */
import { MIN_INJECTION_SPACING, FIXED_TREE_PRESETS as ENGINE_PRESETS, type QualityPreset } from '../engine/blend/fixed-tree';
import { framesAt } from '../engine/blend/movie-timing';
import { roundHalfEven } from '../engine/blend/numpy';
import { FEW_STEP_DEFAULTS } from '../engine/sd/few-step';
export const QUALITY_PRESET_NAMES = ['lowest', 'low', 'medium', 'high', 'ultra'] as const satisfies readonly QualityPreset[];

export function presetSteps(preset: QualityPreset): number {
  return ENGINE_PRESETS[preset].steps;
}

/** Steps used when no transition names a preset and the project sets no explicit `steps`. */
export const DEFAULT_STEPS = presetSteps('medium');

/** Fixed and adaptive trees need this many steps (the fixed tree's floor(N/5) − 1 ≥ 1 blocks). */
export const MIN_TREE_STEPS = 10;

/** Steps of a project whose transitions are all fast (few-step models, SD-Turbo's 4). */
export const FAST_DEFAULT_STEPS = FEW_STEP_DEFAULTS.steps;

/**
 * Final images of a fast transition without an explicit count: as many as the medium preset
 * makes (one per 8 frames, at least 3), so fast mode gives the same picture density for a
 * fraction of the evaluations. Decoding is then a large share of the cost (bench: fast-bench).
 */
export function fastFinalImages(frames: number): number {
  return Math.max(MIN_FINAL_IMAGES, Math.floor(frames / 8));
}

/** A tree needs its two keyframes plus at least one image between them. */
export const MIN_FINAL_IMAGES = 3;

/**
 * The frames a preset plans its final images for: round(duration × fps), at least 2. From the
 * transition's own duration, so one transition's render never depends on its neighbours';
 * where its frames sit in the movie (which can differ by one from this through rounding of
 * the running time) is movieTiming's.
 */
export function transitionFrameCount(durationSeconds: number, fps: number): number {
  return Math.max(2, framesAt(durationSeconds, fps));
}

/** F, the number of final images a fixed-preset transition plans for `frames` frames. */
export function presetFinalImages(preset: QualityPreset, frames: number): number {
  return ENGINE_PRESETS[preset].finalImages(frames);
}

/** The shortest frame count for which `preset` plans at least MIN_FINAL_IMAGES images. */
export function minFramesForPreset(preset: QualityPreset): number {
  let frames = 2;
  while (presetFinalImages(preset, frames) < MIN_FINAL_IMAGES) frames++;
  return frames;
}

interface StepsSource {
  readonly steps?: number;
  readonly transitions: readonly { readonly mode: { readonly kind: string; readonly preset?: QualityPreset } }[];
}

/**
 * The project's diffusion step count N. Keyframe trajectories are shared by the two
 * transitions that touch them, so a project has a single N: the explicit `steps` when set,
 * else the largest N among the fixed presets (no transition gets fewer steps than its preset
 * promises), else — when every transition is fast (few-step models) — FAST_DEFAULT_STEPS, else
 * the medium preset's N.
 */
export function effectiveSteps(project: StepsSource): number {
  if (project.steps !== undefined) return project.steps;
  let steps = 0;
  for (const t of project.transitions) {
    const preset = t?.mode?.kind === 'fixed' ? t.mode.preset : undefined;
    if (preset !== undefined && preset in ENGINE_PRESETS) steps = Math.max(steps, presetSteps(preset));
  }
  if (steps > 0) return steps;
  const allFast = project.transitions.length > 0 && project.transitions.every((t) => t?.mode?.kind === 'fast');
  return allFast ? FAST_DEFAULT_STEPS : DEFAULT_STEPS;
}

/** The first injection step of a transition: round(N·d), rounded half to even as numpy does. */
export function firstInjectionStep(depthStrength: number, steps: number): number {
  return roundHalfEven(steps * depthStrength);
}

/**
 * A project rule on top of the engine's: the first branch shares at least m = 3 steps with
 * the keyframes (else the fixed tree keeps no block) and still runs at least m steps of its
 * own (the spec's last injection step, N − m). Both tree kinds follow it.
 */
export function depthStrengthFits(depthStrength: number, steps: number): boolean {
  const first = firstInjectionStep(depthStrength, steps);
  return first >= MIN_INJECTION_SPACING && first <= steps - MIN_INJECTION_SPACING;
}

/** The accepted depth strengths for N steps, at two decimals, for error messages. */
export function depthStrengthRange(steps: number): { min: number; max: number } | undefined {
  const ok: number[] = [];
  for (let i = 1; i < 100; i++) if (depthStrengthFits(i / 100, steps)) ok.push(i / 100);
  return ok.length ? { min: ok[0], max: ok[ok.length - 1] } : undefined;
}
