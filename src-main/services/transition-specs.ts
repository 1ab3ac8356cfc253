import { buildFixedTree, planFixedTree, unetEvaluations } from '../engine/blend/fixed-tree';
import { parseHubRef } from '../engine/jobs/hub-ref';
import { cachedHubModelDir } from './hub/resolve-model';
import { planAdaptive } from '../engine/blend/adaptive-plan';
import { planFast } from '../engine/blend/fast-plan';
import type { TransitionMode, TransitionSpec } from '../engine/blend/transition-spec';
import { stillKey, transitionIdentity, transitionKey, type PictureRef, type TransitionIdentity } from '../engine/blend/render-identity';
import type { KeyframeJob } from '../engine/jobs/keyframe';
import type { ModelRef } from '../engine/jobs/model-ref';
import { imageFitOf, type InpaintingModelRef, type ModelRef as ProjectModelRef, type Project } from '../project/schema';
import { movieTiming, type MovieTiming } from '../engine/blend/movie-timing';
import { endKeyframeIndex, projectPacing } from '../project/pacing';
import { effectiveSteps, fastFinalImages, transitionFrameCount } from '../project/quality';

/**
 * Project file → the blending engine's inputs. Pure, so `plan` and `render` agree exactly on
 * what a transition is, and tests can check the mapping without running a model.
 */

/** A project's model reference (`model` or `inpaintingModel`) as the engine names it. */
export function toEngineModelRef(ref: ProjectModelRef | InpaintingModelRef): ModelRef {
  if ('path' in ref) return { kind: 'path', path: ref.path };
  // A Hub model runs from its snapshot in the Hugging Face cache; not pulled yet is a clear error.
  if ('hub' in ref) return { kind: 'path', path: cachedHubModelDir(parseHubRef(ref.hub)!) };
  return ref.id === 'demo' ? { kind: 'demo' } : ref.id === 'demo-fast' ? { kind: 'demo-fast' } : { kind: 'demo-inpainting' };
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

/** Whether keyframe i's trajectory runs the UNet: an image keyframe is its picture noised (no steps). */
export function keyframeCostsSteps(project: Project, index: number): boolean {
  return project.keyframes[index].image === undefined;
}

/** Keyframe trajectories of transition `index` that are pictures (an inpainting source or an image keyframe) and cost no UNet step. */
function pictureKeyframes(project: Project, index: number): number {
  const a = isInpaintingTransition(project, index) || !keyframeCostsSteps(project, index);
  return (a ? 1 : 0) + (keyframeCostsSteps(project, endKeyframeIndex(project, index)) ? 0 : 1);
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
  if (t.mode.kind === 'fast') {
    const { injectionStep, maxImages, budgetSeconds } = t.mode;
    // No limit given: evenly spaced images, as many as the transition's frames call for.
    const branches = t.mode.branches ?? (maxImages === undefined && budgetSeconds === undefined ? fastFinalImages(transitionFrameCount(t.duration, project.fps)) : undefined);
    return { kind: 'fast', steps, depthStrength: t.depthStrength, injectionStep, branches, maxImages, budgetSeconds };
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
  mode: 'fixed' | 'adaptive' | 'fast';
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
  /** Image × step UNet evaluations (a CFG pair counts once), keyframe trajectories included (a keyframe that is a picture — an image keyframe, an inpainting transition's source — costs none). */
  unetEvaluations: number;
  /** How the plan is built, in words (fast mode: where the branches start and how they batch). */
  explanation?: string;
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
      unetEvaluations: unetEvaluations(tree) - pictureKeyframes(project, index) * plan.steps,
    };
  }
  const fast = mode.kind === 'fast' ? planFast({ ...mode, tStep: timing.tStep, tDecode: timing.tDecode }) : undefined;
  const plan = fast ?? planAdaptive({ ...(mode as Extract<TransitionMode, { kind: 'adaptive' }>), tStep: timing.tStep, tDecode: timing.tDecode });
  const explanation = fast ? explainFast(fast.steps, fast.injectionStep, fast.stems[0], fast.even) : undefined;
  return {
    ...(explanation ? { explanation } : {}),
    index,
    mode: mode.kind,
    inpainting,
    steps: plan.steps,
    injectionSteps: [...plan.injectionSteps],
    stems: [...plan.stems],
    images: 2 + plan.stems.reduce((a, b) => a + b, 0),
    frames,
    startFrame,
    unetEvaluations: unetEvaluations(plan) - pictureKeyframes(project, index) * plan.steps,
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
 * The engine's identity of transition `index` (engine/blend/render-identity.ts), from what the
 * project names: two projects with the same identity render the same pictures (keyframe ids,
 * locks, export settings and the end keyframe's mask do not matter).
 */
export function transitionIdentityOf(project: Project, index: number): TransitionIdentity {
  const inpainting = isInpaintingTransition(project, index);
  const a = project.keyframes[index];
  const b = project.keyframes[endKeyframeIndex(project, index)];
  const chained = index > 0 && sharesKeyframeWithPrevious(project, index) && project.transitions[index - 1].crossfeed.keyframe ? transitionIdentityOf(project, index - 1) : null;
  return transitionIdentity({
    model: modelRefOf(project, inpainting),
    spec: transitionSpec(project, index),
    inpaint: inpainting ? { mask: a.mask!, image: a.image ?? null } : null,
    chained,
    // Image keyframes: the file and how it is fitted (the engine's cache keys hash the pixels).
    ...(a.image || b.image ? { pictures: [pictureRef(a), pictureRef(b)] as const } : {}),
  });
}

function pictureRef(keyframe: Project['keyframes'][number]): PictureRef | null {
  return keyframe.image ? { image: keyframe.image, fit: imageFitOf(keyframe) } : null;
}

/** The key transition `index`'s rendered frames are kept under (the engine's transitionKey). */
export function transitionKeyOf(project: Project, index: number): string {
  return transitionKey(transitionIdentityOf(project, index));
}

/** The key keyframe `index`'s still is kept under (the engine's stillKey); `seed` overrides the keyframe's. */
export function stillKeyOf(project: Project, index: number, seed?: number): string {
  const job = { ...keyframeJobFor(project, index), ...(seed === undefined ? {} : { seed }) };
  return stillKey(job, pictureRef(project.keyframes[index]));
}

function explainFast(steps: number, k: number, branches: number, even: boolean): string {
  const start = k === 0 ? "the keyframes' start noise (step 0)" : `the keyframes' latents after step ${k} of ${steps}`;
  const where = even ? `at evenly spaced positions, all in one batched run` : 'one at a time between the neighbours that differ most';
  return `fast (few-step): both keyframes run all ${steps} steps; ${branches} branches start from ${start} and run ${steps - k} step${steps - k === 1 ? '' : 's'} each, ${where}`;
}

/** What a render of some transitions costs: the plan `latentblend plan` prints, and the studio asks about before a huge one. */
export interface RenderEstimate {
  transitions: TransitionPlanSummary[];
  /** Image × step UNet evaluations, a keyframe shared by two transitions counted once. */
  unetEvaluations: number;
  /** Final images decoded. */
  decodes: number;
  /** Seconds at the given speed, or null when this machine's speed is not known yet. */
  etaSeconds: number | null;
}

/**
 * The one estimator of a render's cost (the CLI's `plan`, the studio's check before a huge
 * render). Without a measured speed the plans are built with a unit step time: the adaptive
 * and fast modes then choose as they would for a slow machine.
 */
export function estimateRender(project: Project, indices: readonly number[], speed: { stepSeconds: number; decodeSeconds: number } | null): RenderEstimate {
  const timing = speed ? { tStep: speed.stepSeconds, tDecode: speed.decodeSeconds } : { tStep: 1, tDecode: 0 };
  const transitions = indices.map((i) => planTransition(project, i, timing));
  // A keyframe shared by two transitions rendered together is computed once.
  const shared = transitions
    .filter((t) => indices.includes(t.index - 1) && sharesKeyframeWithPrevious(project, t.index) && keyframeCostsSteps(project, t.index))
    .reduce((sum, t) => sum + t.steps, 0);
  const unetEvaluations = transitions.reduce((sum, t) => sum + t.unetEvaluations, 0) - shared;
  const decodes = transitions.reduce((sum, t) => sum + t.images, 0);
  const etaSeconds = speed ? Math.round((unetEvaluations * speed.stepSeconds + decodes * speed.decodeSeconds) * 10) / 10 : null;
  return { transitions, unetEvaluations, decodes, etaSeconds };
}
