import { buildFixedTree, planFixedTree, unetEvaluations } from '../engine/blend/fixed-tree';
import { planAdaptive } from '../engine/blend/adaptive-plan';
import type { TransitionMode, TransitionSpec } from '../engine/blend/transition';
import type { KeyframeJob } from '../engine/jobs/keyframe';
import type { ModelRef } from '../engine/jobs/model-ref';
import type { InpaintingModelRef, ModelRef as ProjectModelRef, Project } from '../project/schema';
import { movieTiming, type MovieTiming } from '../engine/blend/movie-timing';
import { endKeyframeIndex, projectPacing } from '../project/pacing';
import { effectiveSteps, transitionFrameCount } from '../project/quality';

/**
 * Project file → the blending engine's inputs. Pure, so `plan` and `render` agree exactly on
 * what a transition is, and tests can check the mapping without running a model.
 */

/** A project's model reference (`model` or `inpaintingModel`) as the engine names it. */
export function toEngineModelRef(ref: ProjectModelRef | InpaintingModelRef): ModelRef {
  if ('path' in ref) return { kind: 'path', path: ref.path };
  return ref.id === 'demo' ? { kind: 'demo' } : { kind: 'demo-inpainting' };
}

export function modelRefOf(project: Project, inpainting: boolean): ModelRef {
  return toEngineModelRef(inpainting ? project.inpaintingModel : project.model);
}

/** Keyframe i's still on the text-to-image model: everything that determines its picture. */
export function keyframeJobFor(project: Project, index: number): Omit<KeyframeJob, 'session'> {
  const k = project.keyframes[index];
  return {
    kind: 'keyframe',
    model: modelRefOf(project, false),
    prompt: k.prompt,
    negativePrompt: k.negativePrompt,
    seed: k.seed,
    steps: effectiveSteps(project),
    guidance: project.guidance,
    width: project.width,
    height: project.height,
    scheduler: project.scheduler,
  };
}

/** A transition is an inpainting transition when its first keyframe carries a mask. */
export function isInpaintingTransition(project: Project, index: number): boolean {
  return project.keyframes[index].mask !== undefined;
}

export function transitionMode(project: Project, index: number): TransitionMode {
  const t = project.transitions[index];
  const steps = effectiveSteps(project);
  if (t.mode.kind === 'fixed') {
    return { kind: 'fixed', preset: t.mode.preset, frames: transitionFrameCount(t.duration, project.fps), depthStrength: t.depthStrength, steps };
  }
  return { kind: 'adaptive', steps, depthStrength: t.depthStrength, budgetSeconds: t.mode.budgetSeconds, maxImages: t.mode.maxImages };
}

/** Everything of TransitionSpec except the inpainting source, which needs images loaded. */
export function transitionSpec(project: Project, index: number): TransitionSpec {
  const t = project.transitions[index];
  const a = project.keyframes[index];
  const b = project.keyframes[endKeyframeIndex(project, index)];
  return {
    a: { prompt: a.prompt, negativePrompt: a.negativePrompt, seed: a.seed },
    b: { prompt: b.prompt, negativePrompt: b.negativePrompt, seed: b.seed },
    guidance: project.guidance,
    guidanceMidDamper: t.guidanceMidDamper,
    scheduler: project.scheduler,
    width: project.width,
    height: project.height,
    mode: transitionMode(project, index),
    parentalCrossfeed: t.crossfeed.parental ?? undefined,
    keyframeCrossfeed: t.crossfeed.keyframe ?? undefined,
    featherRadiusPx: t.inpaint.feather ? t.inpaint.featherRadius : 0,
  };
}

/**
 * Keyframe i's trajectory is shared by transitions i−1 and i when both run on the same model
 * (an inpainting transition has its own 9-channel keyframes), so a movie computes it once.
 */
export function sharesKeyframeWithPrevious(project: Project, index: number): boolean {
  return index > 0 && !isInpaintingTransition(project, index) && !isInpaintingTransition(project, index - 1);
}

/** Where the project's keyframes and transitions sit in its movie at its fps. */
export function projectTiming(project: Project): MovieTiming {
  return movieTiming(project.transitions.map((t) => t.duration), project.fps, projectPacing(project));
}

export interface TransitionPlanSummary {
  index: number;
  mode: 'fixed' | 'adaptive';
  inpainting: boolean;
  steps: number;
  injectionSteps: number[];
  branches?: number[];
  stems?: number[];
  /** Final images the transition produces, both keyframes included. */
  images: number;
  /** Frames it covers in the movie, and the movie frame of its first (keyframe `index`): movieTiming's. */
  frames: number;
  startFrame: number;
  /** Image × step UNet evaluations (a CFG pair counts once), keyframe trajectories included (an inpainting transition's keyframe A is its source image and costs none). */
  unetEvaluations: number;
}

export function planTransition(project: Project, index: number, timing: { tStep: number; tDecode: number }): TransitionPlanSummary {
  const mode = transitionMode(project, index);
  const { frames, start: startFrame } = projectTiming(project).transitions[index];
  const inpainting = isInpaintingTransition(project, index);
  if (mode.kind === 'fixed') {
    const plan = planFixedTree(mode);
    const tree = buildFixedTree(plan);
    return {
      index,
      mode: 'fixed',
      inpainting,
      steps: plan.steps,
      injectionSteps: [...plan.injectionSteps],
      branches: [...plan.branches],
      images: tree.finalOrder.length,
      frames,
      startFrame,
      unetEvaluations: unetEvaluations(tree) - (inpainting ? plan.steps : 0),
    };
  }
  const plan = planAdaptive({ ...mode, tStep: timing.tStep, tDecode: timing.tDecode });
  return {
    index,
    mode: 'adaptive',
    inpainting,
    steps: plan.steps,
    injectionSteps: [...plan.injectionSteps],
    stems: [...plan.stems],
    images: 2 + plan.stems.reduce((a, b) => a + b, 0),
    frames,
    startFrame,
    unetEvaluations: unetEvaluations(plan) - (inpainting ? plan.steps : 0),
  };
}

/**
 * Whether an end of transition `index` (0: keyframe `index`, 1: keyframe `index + 1`) is
 * exactly that keyframe's still (keyframeJobFor): the same model, prompt, seed and steps, and
 * nothing pulling it away — not an inpainting transition, no keyframe crossfeed acting on it,
 * no imported picture standing in for the keyframe. Then a movie render's end image is the
 * keyframe's still and belongs to the keyframe, whatever happens to the transition.
 */
export function transitionEndIsStill(project: Project, index: number, end: 0 | 1): boolean {
  const keyframe = project.keyframes[end === 1 ? endKeyframeIndex(project, index) : index];
  if (!keyframe || keyframe.image || isInpaintingTransition(project, index)) return false;
  // B is pulled toward A by this transition's keyframe crossfeed; A by the previous one's.
  if (end === 1) return !project.transitions[index].crossfeed.keyframe;
  return !(index > 0 && sharesKeyframeWithPrevious(project, index) && project.transitions[index - 1].crossfeed.keyframe);
}

/**
 * What determines a transition's final images, and nothing else: two projects with the same
 * identity render the same pictures (fps and durations matter only through the tree they
 * plan; keyframe ids, locks, export settings and the end keyframe's mask do not matter).
 */
export function transitionIdentity(project: Project, index: number): unknown {
  const spec = transitionSpec(project, index);
  const mode = spec.mode.kind === 'fixed' ? { kind: 'fixed', plan: planFixedTree(spec.mode), midCompression: spec.mode.midCompression } : spec.mode;
  const inpainting = isInpaintingTransition(project, index);
  const a = project.keyframes[index];
  // Keyframe crossfeed makes K(i) depend on the transition before it: include that chain.
  const chained = index > 0 && sharesKeyframeWithPrevious(project, index) && project.transitions[index - 1].crossfeed.keyframe ? transitionIdentity(project, index - 1) : null;
  return {
    model: modelRefOf(project, inpainting),
    spec: { ...spec, mode, featherRadiusPx: inpainting ? spec.featherRadiusPx : null },
    inpaint: inpainting ? { mask: a.mask, image: a.image ?? null } : null,
    chained,
  };
}
