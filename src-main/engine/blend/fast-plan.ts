/**
 * Latent blending with few steps ("fast" mode, for distilled models such as SD-Turbo that make
 * a finished image in 1–4 steps). The fixed tree's blocks need ≥ 10 steps and the adaptive
 * tree's candidate depths are 3 steps apart, so neither fits N ≤ 8. Fast mode is the original
 * project's few-step form: every branch is injected at one step k from the two keyframes'
 * latents (slerp at t = f) and runs the remaining N − k steps on its own, all branches in one
 * batched call. Defined for every N ≥ 1: k = 0 mixes the keyframes' start noise (N = 1 has no
 * other choice); k ≥ 1 shares the first k steps' layout.
 *
 * The branch count is given (evenly spaced positions), or grown where neighbours differ most
 * (the adaptive insertion of spec §3b at the single depth k) up to an image count or a time
 * budget measured on this machine.
 */
import { badArgument, requireFinite, requireInteger, requireRange } from './errors';
import { roundHalfEven } from './numpy';
import type { AdaptivePlan } from './adaptive-plan';

/** Models run at or below this many steps are "few-step": the fast mode's range. */
export const FEW_STEP_MAX_STEPS = 8;

export interface FastPlanInput {
  readonly steps: number;
  /** The injection step k ∈ [0, N − 1]; default from depthStrength. */
  readonly injectionStep?: number;
  /** Used when injectionStep is absent: k = round(N·d), clamped to [1, N − 1] (0 when N = 1). */
  readonly depthStrength?: number;
  /** Exactly one of: final images including both keyframes (evenly spaced), … */
  readonly branches?: number;
  /** … final images including both keyframes (adaptive insertion), … */
  readonly maxImages?: number;
  /** … or a time budget in seconds (adaptive insertion). */
  readonly budgetSeconds?: number;
  readonly tStep?: number;
  readonly tDecode?: number;
  readonly tMetric?: number;
}

/** An adaptive-style plan with one depth; `even` says whether positions are evenly spaced (no metric). */
export interface FastPlan extends AdaptivePlan {
  readonly injectionStep: number;
  readonly even: boolean;
}

const WHERE = 'planFast';

export function fastInjectionStep(steps: number, depthStrength: number): number {
  requireInteger(WHERE, 'steps', steps, 1, 10_000);
  requireRange(WHERE, 'depthStrength', depthStrength, 0, 1, '()');
  if (steps === 1) return 0;
  return Math.min(steps - 1, Math.max(1, roundHalfEven(steps * depthStrength)));
}

export function planFast(input: FastPlanInput): FastPlan {
  const N = input.steps;
  requireInteger(WHERE, 'steps', N, 1, 10_000);
  const k = input.injectionStep ?? fastInjectionStep(N, input.depthStrength ?? 0.5);
  requireInteger(WHERE, 'injectionStep', k, 0, N - 1);
  const limits = [input.branches, input.maxImages, input.budgetSeconds].filter((v) => v !== undefined).length;
  if (limits !== 1) {
    throw badArgument(WHERE, 'give exactly one of branches, maxImages and budgetSeconds', 'branches spaces images evenly; maxImages and budgetSeconds insert them where neighbours differ most');
  }
  if (input.branches !== undefined) {
    requireInteger(WHERE, 'branches', input.branches, 3, 10_000);
    return { steps: N, injectionStep: k, injectionSteps: [k], stems: [input.branches - 2], even: true };
  }
  if (k === 0) {
    throw badArgument(WHERE, 'adaptive insertion needs an injection step ≥ 1 (a new branch mixes its neighbours\' latents, which exist only after step 1)', 'give branches instead, or use at least 2 steps');
  }
  if (input.maxImages !== undefined) {
    requireInteger(WHERE, 'maxImages', input.maxImages, 3, 10_000);
    return { steps: N, injectionStep: k, injectionSteps: [k], stems: [input.maxImages - 2], even: false };
  }
  const budget = input.budgetSeconds!;
  requireFinite(WHERE, 'budgetSeconds', budget);
  if (budget <= 0) throw badArgument(WHERE, `budgetSeconds must be > 0, got ${budget}`);
  const tStep = input.tStep ?? 0;
  if (!(tStep > 0)) throw badArgument(WHERE, `a time budget needs tStep > 0 seconds (measured on the first keyframe), got ${tStep}`);
  const tDecode = input.tDecode ?? 0;
  const tMetric = input.tMetric ?? 0;
  if (tDecode < 0 || tMetric < 0) throw badArgument(WHERE, 'tDecode and tMetric must be ≥ 0');
  // Like the adaptive tree: keep adding branches while the estimate stays within the budget, at least one.
  const perBranch = (N - k) * tStep + tDecode + tMetric;
  const count = Math.max(1, Math.floor(budget / perBranch));
  return { steps: N, injectionStep: k, injectionSteps: [k], stems: [Math.min(count, 10_000)], even: false };
}

/** Positions of an evenly spaced fast plan's branches (keyframes excluded): i/(count + 1). */
export function evenPositions(count: number): number[] {
  return Array.from({ length: count }, (_, i) => (i + 1) / (count + 1));
}
