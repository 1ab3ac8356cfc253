/**
 * Rendering one transition (spec §2–§5) on any StableDiffusion pipeline: keyframe trajectories,
 * branches injected from their parents' latents, progressive output, resumable through a cache.
 */
import type { RgbImage } from '../image';
import { cancelledError } from '../errors';
import { seededStepNoise, type StepNoise } from '../noise/step-noise';
import { needsStepNoise } from '../scheduler/schedule';
import { classifierFreeGuidanceOn } from '../sd/guidance-rule';
import { startLatentFromNoise } from '../sd/start-latent';
import type { InpaintCondition, Schedule, StableDiffusion, StepHook, TrajectoryRequest } from '../sd/types';
import type { Tensor } from '../tensor';
import { chooseInsertion, planAdaptive, type AdaptivePlan } from './adaptive-plan';
import { contentHash, type TransitionCache } from './cache';
import { branchCacheKey, imageCacheKey, transitionCacheKeys } from './render-identity';
import { keyframeCrossfeedSchedule, parentalCrossfeedSchedule } from './crossfeed';
import { badArgument, requireInteger, requireRange } from './errors';
import { compositeKept, featherWeights } from './feather';
import { buildFixedTree, planFixedTree, unetEvaluations, type FixedTree, type FixedTreePlan } from './fixed-tree';
import { evenPositions, planFast, type FastPlan } from './fast-plan';
import { transitionGuidance } from './guidance';
import { roundHalfEven } from './numpy';
import { BuiltinPerceptualMetric } from './perceptual';
import type { PerceptualMetric } from './perceptual-metric';
import { lerpEmbedding, slerp } from './slerp';
import type { KeyframeTrajectory, TransitionMode, TransitionSpec } from './transition-spec';

export interface TransitionImage {
  readonly position: number;
  readonly image: RgbImage;
  readonly injectionStep: number;
  /** Order of emission (0 = first image delivered). */
  readonly index: number;
  readonly fromCache: boolean;
  readonly key: string;
}

export interface TransitionProgress {
  /** UNet evaluations (image × step) done or found in the cache. */
  readonly done: number;
  readonly total: number;
  /** How many of `done` were computed in this run (the rest came from the cache): what speed is measured on. */
  readonly computed: number;
  /** Estimated time left, once something has been computed in this run. */
  readonly etaMs?: number;
}

export interface RenderTransitionOptions {
  readonly signal?: AbortSignal;
  /** Each final image as soon as it is decoded (keyframes first). */
  readonly onImage?: (image: TransitionImage) => void;
  readonly onProgress?: (progress: TransitionProgress) => void;
  readonly cache?: TransitionCache;
  /** Keyframe trajectories by key, read and filled in: a movie computes each one once. */
  readonly keyframeTrajectories?: Map<string, KeyframeTrajectory>;
  /** Adaptive mode's distance; default BuiltinPerceptualMetric (createPerceptualMetric picks LPIPS). */
  readonly metric?: PerceptualMetric;
  /** Overrides the measured seconds per image-step / per decode in the adaptive time budget. */
  readonly timing?: { readonly tStep: number; readonly tDecode: number };
}

export interface TransitionResult {
  readonly steps: number;
  /** Final images in order of position, first = keyframe A's render, last = keyframe B's. */
  readonly images: readonly TransitionImage[];
  /** Perceptual distance of each neighbouring pair (adaptive mode; for frame placement). */
  readonly distances?: readonly number[];
  readonly plan:
    | { readonly kind: 'fixed'; readonly plan: FixedTreePlan; readonly tree: FixedTree }
    | { readonly kind: 'adaptive'; readonly plan: AdaptivePlan }
    | { readonly kind: 'fast'; readonly plan: FastPlan };
  /** UNet evaluations the plan costs, and those actually run in this call (the rest came from the cache). */
  readonly unetEvaluations: number;
  readonly computedEvaluations: number;
  readonly keyframes: { readonly a: KeyframeTrajectory; readonly b: KeyframeTrajectory };
}

const DEFAULT_FEATHER_PX = 8;

const DEFAULT_MID_COMPRESSION = 1.2;

/** A computed trajectory inside a render: sparse latents (what later branches still need). */
interface Node {
  readonly key: string;
  readonly position: number;
  readonly injectionStep: number;
  /** The step it stopped before: N for a final image, earlier for an inner fixed-tree branch. */
  readonly endStep: number;
  readonly latents: readonly (Float32Array | undefined)[];
  /** Only final images (endStep = N) are decoded. */
  readonly image?: RgbImage;
}

interface BranchJob {
  readonly key: string;
  readonly position: number;
  readonly injectionStep: number;
  readonly endStep: number;
  readonly left: Node;
  readonly right: Node;
  readonly t: number;
  /** Parental crossfeed can run up to this step: the parents' latents exist until then. */
  readonly crossfeedEnd: number;
}

export async function renderTransition(sd: StableDiffusion, spec: TransitionSpec, options: RenderTransitionOptions = {}): Promise<TransitionResult> {
  const run = await TransitionRun.start(sd, spec, options);
  switch (spec.mode.kind) {
    case 'fixed':
      return run.fixed(spec.mode);
    case 'adaptive':
      return run.adaptive(spec.mode);
    case 'fast':
      return run.fast(spec.mode);
  }
}

/**
 * Only a transition's two keyframe trajectories, made (or found in the cache) exactly as
 * renderTransition makes them: a render farm computes a movie's keyframes ahead of its
 * transitions, then renders the transitions in parallel from the cache.
 */
export async function renderTransitionKeyframes(
  sd: StableDiffusion,
  spec: TransitionSpec,
  options: RenderTransitionOptions = {},
): Promise<{ readonly a: KeyframeTrajectory; readonly b: KeyframeTrajectory; readonly computedEvaluations: number }> {
  const run = await TransitionRun.start(sd, spec, options);
  return run.keyframesOnly(spec.mode.kind === 'adaptive');
}

/**
 * A text-to-image keyframe trajectory the cache holds under `key` (a KeyframeTrajectory's key),
 * for passing as `spec.a.trajectory` where another process computed it; undefined if incomplete.
 */
export async function cachedKeyframeTrajectory(cache: TransitionCache, key: string): Promise<KeyframeTrajectory | undefined> {
  const stored = await cache.getTrajectory(key);
  const image = stored && (await cache.getImage(imageCacheKey(key, null)));
  if (!stored || !image || stored.steps.some((s, i) => s !== i)) return undefined;
  return { key, dims: stored.dims, latents: [...stored.data], image, timing: stored.timing };
}


function validateSpec(sd: StableDiffusion, spec: TransitionSpec): void {
  const where = 'renderTransition';
  for (const [name, v] of [['width', spec.width], ['height', spec.height]] as const) {
    if (!Number.isInteger(v) || v <= 0 || v % 8 !== 0) throw badArgument(where, `${name} must be a positive multiple of 8, got ${v}`);
  }
  requireInteger(where, 'a.seed', spec.a.seed, 0, 2 ** 53 - 1);
  requireInteger(where, 'b.seed', spec.b.seed, 0, 2 ** 53 - 1);
  requireRange(where, 'guidance', spec.guidance, 0, 100);
  requireRange(where, 'guidanceMidDamper', spec.guidanceMidDamper, 0, 1, '(]');
  if (spec.maxBatch !== undefined) requireInteger(where, 'maxBatch', spec.maxBatch, 1);
  if (spec.featherRadiusPx !== undefined) requireInteger(where, 'featherRadiusPx', spec.featherRadiusPx, 0, 512);
  for (const [name, c] of [['parentalCrossfeed', spec.parentalCrossfeed], ['keyframeCrossfeed', spec.keyframeCrossfeed]] as const) {
    if (c) for (const k of ['power', 'range', 'decay'] as const) requireRange(where, `${name}.${k}`, c[k], 0, 1);
  }
  for (const [name, k] of [['a', spec.a], ['b', spec.b]] as const) {
    const p = k.picture;
    if (p && (p.width !== spec.width || p.height !== spec.height || p.data.length !== p.width * p.height * 3)) {
      throw badArgument(where, `${name}.picture is ${p.width}×${p.height} but the transition is ${spec.width}×${spec.height}`, 'fit the picture to the render size first (fitImage)');
    }
  }
  const inpaint = spec.a.inpaint;
  if (inpaint) {
    if (sd.info.unetInChannels !== 9) {
      throw badArgument(where, `an inpainting transition needs an SD 2 inpainting model (9-channel UNet); "${sd.info.name}" has ${sd.info.unetInChannels}`);
    }
    for (const [name, img] of [['a.inpaint.image', inpaint.image], ['a.inpaint.mask', inpaint.mask]] as const) {
      if (img.width !== spec.width || img.height !== spec.height) {
        throw badArgument(where, `${name} is ${img.width}×${img.height} but the transition is ${spec.width}×${spec.height}`, 'resize the image and mask to the render size');
      }
    }
    if (inpaint.mask.data.length !== spec.width * spec.height) throw badArgument(where, `a.inpaint.mask has ${inpaint.mask.data.length} values for ${spec.width}×${spec.height}`);
  } else if (sd.info.unetInChannels === 9) {
    throw badArgument(where, `"${sd.info.name}" is an inpainting model: keyframe A needs an image and a mask`);
  }
}

class TransitionRun {
  private emitted = 0;
  private readonly delivered = new WeakMap<Node, TransitionImage>();
  private done = 0;
  private computed = 0;
  private total = 0;
  private readonly startedAt = performance.now();
  private computeMs = 0;

  private constructor(
    private readonly sd: StableDiffusion,
    private readonly spec: TransitionSpec,
    private readonly options: RenderTransitionOptions,
    private readonly N: number,
    private readonly schedule: Schedule,
    private readonly emb: { a: Tensor; b: Tensor; negA: Tensor; negB: Tensor },
    private readonly inpaint: { condition: InpaintCondition; weights: Float32Array; hash: string } | undefined,
    private readonly keys: { a: string; b: string; settings: string },
  ) {}

  static async start(sd: StableDiffusion, spec: TransitionSpec, options: RenderTransitionOptions): Promise<TransitionRun> {
    validateSpec(sd, spec);
    const N = spec.mode.kind === 'fixed'
      ? planFixedTree(spec.mode).steps
      : (requireInteger('renderTransition', 'mode.steps', spec.mode.steps, spec.mode.kind === 'fast' ? 1 : 3, 10_000), spec.mode.steps);
    const scheduler = spec.scheduler ?? sd.info.scheduler.kind;
    const schedule = sd.makeSchedule(scheduler, N);
    const [a, b, negA, negB] = await Promise.all(
      [spec.a.prompt, spec.b.prompt, spec.a.negativePrompt ?? '', spec.b.negativePrompt ?? ''].map(async (p) => (await sd.encodePrompt(p)).embedding),
    );
    let inpaint: { condition: InpaintCondition; weights: Float32Array; hash: string } | undefined;
    if (spec.a.inpaint) {
      const { image, mask } = spec.a.inpaint;
      inpaint = {
        condition: await sd.inpaintCondition(image, mask),
        weights: featherWeights(mask, spec.featherRadiusPx ?? DEFAULT_FEATHER_PX),
        hash: contentHash(image.data, mask.data),
      };
    }
    const keys = transitionCacheKeys(spec, {
      model: { name: sd.info.name, dir: sd.info.dir, provider: sd.provider.active },
      scheduler,
      steps: N,
      ...(inpaint ? { inpaintHash: inpaint.hash } : {}),
    });
    return new TransitionRun(sd, spec, options, N, schedule, { a, b, negA, negB }, inpaint, keys);
  }

  /** Keyframe A is a picture (an image keyframe or an inpainting source); B is one when given. */
  private get pictures(): { a: boolean; b: boolean } {
    return { a: this.inpaint !== undefined || this.spec.a.picture !== undefined, b: this.spec.b.picture !== undefined };
  }

  // ── modes ─────────────────────────────────────────────────────────────────

  async fixed(mode: Extract<TransitionMode, { kind: 'fixed' }>): Promise<TransitionResult> {
    const plan = planFixedTree(mode);
    const tree = buildFixedTree(plan, mode.midCompression ?? DEFAULT_MID_COMPRESSION);
    this.total = unetEvaluations(tree) - this.sourceSteps();
    const { a, b, nodeA, nodeB } = await this.keyframes(false);
    const nodes = new Map<number, Node>([[0, nodeA], [1, nodeB]]);
    for (const block of tree.blocks.slice(1)) {
      const jobs = block.newBranchIds.map((id) => {
        const br = tree.branches[id];
        const left = nodes.get(br.parents!.left)!;
        const right = nodes.get(br.parents!.right)!;
        return this.job(br.position, br.injectionStep, br.endStep, left, right, br.parents!.t);
      });
      const made = await this.runBranches(jobs, plan.injectionSteps);
      block.newBranchIds.forEach((id, i) => nodes.set(id, made[i]));
    }
    const images = tree.finalOrder.map((id) => this.finalImage(nodes.get(id)!));
    return { steps: this.N, images, plan: { kind: 'fixed', plan, tree }, unetEvaluations: this.total, computedEvaluations: this.computed, keyframes: { a, b } };
  }

  async adaptive(mode: Extract<TransitionMode, { kind: 'adaptive' }>): Promise<TransitionResult> {
    return this.insertive(mode, (timing) =>
      planAdaptive({ steps: this.N, depthStrength: mode.depthStrength, budgetSeconds: mode.budgetSeconds, maxImages: mode.maxImages, ...timing }),
    ).then(({ result, plan }) => ({ ...result, plan: { kind: 'adaptive', plan } }));
  }

  async fast(mode: Extract<TransitionMode, { kind: 'fast' }>): Promise<TransitionResult> {
    const input = { steps: this.N, injectionStep: mode.injectionStep, depthStrength: mode.depthStrength, branches: mode.branches, maxImages: mode.maxImages, budgetSeconds: mode.budgetSeconds };
    const probe = planFast({ ...input, ...(mode.budgetSeconds !== undefined ? { tStep: 1 } : {}) });
    if (!probe.even) {
      const { result, plan } = await this.insertive(mode, (timing) => planFast({ ...input, ...timing }));
      return { ...result, plan: { kind: 'fast', plan } };
    }
    // Evenly spaced: every branch starts from the keyframes at step k, all in one batched call.
    this.total = unetEvaluations(probe) - this.sourceSteps();
    const { a, b, nodeA, nodeB } = await this.keyframes(false);
    const positions = evenPositions(probe.stems[0]);
    const made = await this.runBranches(positions.map((f) => this.job(f, probe.injectionStep, this.N, nodeA, nodeB, f)), probe.injectionSteps);
    const images = [nodeA, ...made, nodeB].map((n) => this.finalImage(n));
    return { steps: this.N, images, plan: { kind: 'fast', plan: probe }, unetEvaluations: this.total, computedEvaluations: this.computed, keyframes: { a, b } };
  }

  /**
   * The adaptive tree's loop (spec §3b) over any plan of depths and stems: keyframes measured
   * alone (their time per step feeds a time budget), then each new branch goes between the
   * neighbours that differ most.
   */
  private async insertive<P extends AdaptivePlan>(
    mode: { readonly budgetSeconds?: number },
    makePlan: (timing: { tStep: number; tDecode: number; tMetric: number }) => P,
  ): Promise<{ result: Omit<TransitionResult, 'plan'>; plan: P }> {
    this.total = 2 * this.N - this.sourceSteps();
    const keyframes = await this.keyframes(true);
    const { b, nodeA, nodeB } = keyframes;
    let a = keyframes.a;
    const metric = this.options.metric ?? new BuiltinPerceptualMetric();
    const t0 = performance.now();
    const distances = [await metric.distance(nodeA.image!, nodeB.image!)];
    const metricMs = performance.now() - t0;
    let measured = a.timing ?? b.timing;
    if (a.timing && a.timing.metricMs === undefined) {
      // Keep the metric time with A's trajectory so a resumed run plans exactly the same tree.
      measured = { ...a.timing, metricMs };
      a = { ...a, timing: measured };
      await this.storeKeyframe(a);
    }
    const tStep = this.options.timing?.tStep ?? (measured ? measured.stepMs / 1000 : undefined);
    const tDecode = this.options.timing?.tDecode ?? (measured?.decodeMs !== undefined ? measured.decodeMs / 1000 : 0);
    if (mode.budgetSeconds !== undefined && tStep === undefined) {
      throw badArgument('renderTransition', 'a time budget needs the measured time per step, but both keyframes came without timing', 'pass options.timing or use maxImages');
    }
    const plan = makePlan({
      tStep: tStep ?? 1, tDecode,
      // Measured metric time would make the plan differ between a run and its resume; the stored one does not.
      tMetric: (2 * (measured?.metricMs ?? metricMs)) / 1000,
    });
    this.total = unetEvaluations(plan) - this.sourceSteps();
    this.progress();
    const final: Node[] = [nodeA, nodeB];
    for (let s = 0; s < plan.injectionSteps.length; s++) {
      const k = plan.injectionSteps[s];
      for (let r = 0; r < plan.stems[s]; r++) {
        const ins = chooseInsertion(final.map((n) => n.position), final.map((n) => n.injectionStep), distances, k);
        const [node] = await this.runBranches([this.job(ins.position, k, this.N, final[ins.left], final[ins.right], ins.t)], plan.injectionSteps);
        final.splice(ins.pair + 1, 0, node);
        distances.splice(ins.pair, 1, await metric.distance(final[ins.pair].image!, node.image!), await metric.distance(node.image!, final[ins.pair + 2].image!));
      }
    }
    return {
      result: { steps: this.N, images: final.map((n) => this.finalImage(n)), distances, unetEvaluations: this.total, computedEvaluations: this.computed, keyframes: { a, b } },
      plan,
    };
  }

  async keyframesOnly(measureAlone: boolean): Promise<{ a: KeyframeTrajectory; b: KeyframeTrajectory; computedEvaluations: number }> {
    this.total = 2 * this.N - this.sourceSteps();
    const { a, b } = await this.keyframes(measureAlone);
    return { a, b, computedEvaluations: this.computed };
  }

  // ── keyframes ─────────────────────────────────────────────────────────────

  private async keyframes(measureAlone: boolean): Promise<{ a: KeyframeTrajectory; b: KeyframeTrajectory; nodeA: Node; nodeB: Node }> {
    const store = this.options.keyframeTrajectories;
    let a = this.spec.a.trajectory ?? store?.get(this.keys.a) ?? (await this.cachedKeyframe(this.keys.a));
    let b = store?.get(this.keys.b) ?? (await this.cachedKeyframe(this.keys.b));
    for (const k of [a, b]) {
      if (k && (k.latents.length !== this.N || k.dims.join() !== this.noiseDims().join())) {
        throw badArgument('renderTransition', `keyframe trajectory ${k.key} has ${k.latents.length} steps of [${k.dims.join(', ')}], this transition needs ${this.N} of [${this.noiseDims().join(', ')}]`,
          'render the keyframe with the same steps and size as the transition');
      }
    }
    const fromCache = { a: a !== undefined, b: b !== undefined };
    const pictures = this.pictures;
    if (a && !pictures.a) this.countCached(this.N);
    if (b && !pictures.b) this.countCached(this.N);
    // In an inpainting transition keyframe A *is* its source image (spec §5): its trajectory is
    // the source latent noised to each step's level, so the transition starts exactly on the
    // picture the previous one ended on, and no UNet call is spent on A.
    if (!a && this.inpaint) a = await this.sourceKeyframe();
    // An image keyframe's trajectory is made the same way; its render is the picture through the
    // VAE, like every other final image, so its neighbours do not jump away from it.
    if (!a && this.spec.a.picture) a = await this.pictureKeyframe(this.keys.a, this.spec.a.picture, this.spec.a.seed);
    if (!b && this.spec.b.picture) b = await this.pictureKeyframe(this.keys.b, this.spec.b.picture, this.spec.b.seed);
    const requestA = () => this.keyframeRequest(this.spec.a.seed, this.emb.a, this.emb.negA);
    const crossfed = this.keyframeCrossfeedHook(() => a);
    // Without guidance a keyframe alone is a 1-row UNet call; ONNX Runtime may round a 1-row
    // and a 2-row batch differently, so unguided keyframes run alone to equal their stills exactly.
    const guided = classifierFreeGuidanceOn(this.spec.guidance);
    if (!a && !b && !crossfed && !measureAlone && guided) {
      // Independent keyframes: one lock-step call, two images per UNet call.
      const [ra, rb] = await this.run([requestA(), this.keyframeRequest(this.spec.b.seed, this.emb.b, this.emb.negB)]);
      a = await this.finishKeyframe(this.keys.a, ra.latents, ra.stepMs);
      b = await this.finishKeyframe(this.keys.b, rb.latents, rb.stepMs);
    } else {
      if (!a) {
        const [ra] = await this.run([requestA()]);
        a = await this.finishKeyframe(this.keys.a, ra.latents, ra.stepMs);
      }
      if (!b) {
        const [rb] = await this.run([{ ...this.keyframeRequest(this.spec.b.seed, this.emb.b, this.emb.negB), hook: crossfed }]);
        b = await this.finishKeyframe(this.keys.b, rb.latents, rb.stepMs);
      }
    }
    if (!store?.has(a.key)) store?.set(a.key, a);
    if (!store?.has(b.key)) store?.set(b.key, b);
    const nodeA = this.keyframeNode(a, 0, fromCache.a);
    const nodeB = this.keyframeNode(b, 1, fromCache.b);
    return { a, b, nodeA, nodeB };
  }

  /** UNet steps the plan counts for keyframe trajectories that are pictures and run none. */
  private sourceSteps(): number {
    const pictures = this.pictures;
    return ((pictures.a ? 1 : 0) + (pictures.b ? 1 : 0)) * this.N;
  }

  /** The picture's latent noised to each step's level with the keyframe's seeded noise. */
  private async noisedTrajectory(picture: RgbImage, seed: number): Promise<Float32Array[]> {
    const clean = await this.sd.encodeImage(picture);
    const noise = this.sd.initialNoise(seed, this.spec.width, this.spec.height);
    return this.sd.forwardTrajectory(clean, noise, this.schedule);
  }

  private async sourceKeyframe(): Promise<KeyframeTrajectory> {
    const { image } = this.spec.a.inpaint!;
    const traj: KeyframeTrajectory = { key: this.keys.a, dims: this.noiseDims(), latents: await this.noisedTrajectory(image, this.spec.a.seed), image };
    await this.storeKeyframe(traj);
    await this.options.cache?.putImage(this.imageKey(traj.key), image);
    return traj;
  }

  private async pictureKeyframe(key: string, picture: RgbImage, seed: number): Promise<KeyframeTrajectory> {
    const latents = await this.noisedTrajectory(picture, seed);
    const image = await this.decodeFinal(latents[this.N - 1]);
    const traj: KeyframeTrajectory = { key, dims: this.noiseDims(), latents, image };
    await this.storeKeyframe(traj);
    await this.options.cache?.putImage(this.imageKey(key), image);
    return traj;
  }

  private noiseDims(): readonly number[] {
    return [1, this.sd.info.latentChannels, this.spec.height / 8, this.spec.width / 8];
  }

  private keyframeRequest(seed: number, cond: Tensor, uncond: Tensor): TrajectoryRequest {
    // Keyframes always use the full guidance (spec §6): never a damped value. With g ≤ 1 they
    // run unguided, like the same seed in diffusers.
    return {
      startLatent: this.keyframeStart(seed), startStep: 0, cond, uncond, guidance: this.spec.guidance,
      inpaint: this.inpaint?.condition, stepNoise: this.keyframeStepNoise(seed),
    };
  }

  /** A keyframe's start: its seed's noise × init_noise_sigma, as diffusers starts it. */
  private keyframeStart(seed: number): Tensor {
    return startLatentFromNoise(this.sd.initialNoise(seed, this.spec.width, this.spec.height), this.schedule);
  }

  private readonly stepNoises = new Map<number, StepNoise>();

  /**
   * Euler ancestral's fresh noise: a keyframe draws it from its seed's stream (what diffusers
   * draws); undefined for schedulers without it.
   */
  private keyframeStepNoise(seed: number): StepNoise | undefined {
    if (!needsStepNoise(this.schedule.kind)) return undefined;
    let noise = this.stepNoises.get(seed);
    if (!noise) {
      noise = seededStepNoise(seed, this.noiseDims());
      this.stepNoises.set(seed, noise);
    }
    return noise;
  }

  /**
   * A branch at f gets slerp(A's, B's step noise, f): deterministic, equal to a keyframe's at
   * f = 0 and 1, and continuous in f, so neighbouring images get neighbouring noise and the
   * transition stays smooth.
   */
  private branchStepNoise(f: number): StepNoise | undefined {
    const a = this.keyframeStepNoise(this.spec.a.seed);
    const b = this.keyframeStepNoise(this.spec.b.seed);
    if (!a || !b) return undefined;
    return (step) => slerp(a(step), b(step), f);
  }

  private keyframeCrossfeedHook(getA: () => KeyframeTrajectory | undefined): StepHook | undefined {
    const kc = this.spec.keyframeCrossfeed;
    if (!kc || kc.power === 0) return undefined;
    const c = keyframeCrossfeedSchedule({ ...kc, steps: this.N });
    if (!c.some((v, i) => i > 0 && v > 0)) return undefined;
    return ({ step, latent }) => {
      if (step === 0 || c[step] <= 0) return undefined;
      const target = getA()!.latents[step - 1];
      return { data: slerp(latent.data, target, c[step]), dims: latent.dims };
    };
  }

  private async cachedKeyframe(key: string): Promise<KeyframeTrajectory | undefined> {
    const cache = this.options.cache;
    if (!cache) return undefined;
    const stored = await cache.getTrajectory(key);
    const image = stored && (await cache.getImage(this.imageKey(key)));
    if (!stored || !image || stored.steps.length !== this.N) return undefined;
    return { key, dims: stored.dims, latents: [...stored.data], image, timing: stored.timing };
  }

  private async finishKeyframe(key: string, latents: Float32Array[], stepMs: number): Promise<KeyframeTrajectory> {
    const t0 = performance.now();
    const image = await this.decodeFinal(latents[this.N - 1]);
    const traj: KeyframeTrajectory = { key, dims: this.noiseDims(), latents, image, timing: { stepMs, decodeMs: performance.now() - t0 } };
    await this.storeKeyframe(traj);
    await this.options.cache?.putImage(this.imageKey(key), image);
    return traj;
  }

  private async storeKeyframe(traj: KeyframeTrajectory): Promise<void> {
    this.options.keyframeTrajectories?.set(traj.key, traj);
    await this.options.cache?.putTrajectory(traj.key, { dims: traj.dims, steps: traj.latents.map((_, i) => i), data: traj.latents, timing: traj.timing });
  }

  private keyframeNode(k: KeyframeTrajectory, position: 0 | 1, fromCache: boolean): Node {
    const node: Node = { key: k.key, position, injectionStep: 0, endStep: this.N, latents: k.latents, image: k.image };
    this.emit(node, fromCache);
    return node;
  }

  // ── branches ──────────────────────────────────────────────────────────────

  private job(position: number, injectionStep: number, endStep: number, left: Node, right: Node, t: number): BranchJob {
    const crossfeedEnd = Math.min(left.endStep, right.endStep);
    // Parents that stop early cut parental crossfeed short, which changes the trajectory.
    const cut = this.spec.parentalCrossfeed && crossfeedEnd < this.N ? { crossfeedEnd } : {};
    const key = branchCacheKey(this.keys.settings, { position, injectionStep, left: left.key, right: right.key, t, ...cut });
    return { key, position, injectionStep, endStep, left, right, t, crossfeedEnd };
  }

  /**
   * All jobs start at the same step: cached ones are loaded, the rest run in one lock-step call
   * (each until its own end step). Only final images (end step N) are decoded and emitted.
   */
  private async runBranches(jobs: readonly BranchJob[], injectionSteps: readonly number[]): Promise<Node[]> {
    this.throwIfAborted();
    const out: (Node | undefined)[] = [];
    for (const job of jobs) out.push(await this.cachedBranch(job, injectionSteps));
    const todo = jobs.map((job, i) => ({ job, i })).filter(({ i }) => out[i] === undefined);
    if (todo.length > 0) {
      const results = await this.run(todo.map(({ job }) => this.branchRequest(job)));
      for (let j = 0; j < todo.length; j++) {
        const { job, i } = todo[j];
        const final = job.endStep === this.N;
        const image = final ? await this.decodeFinal(results[j].latents[this.N - 1]) : undefined;
        const kept = this.keptSteps(job.injectionStep, job.endStep, injectionSteps);
        const latents = results[j].latents.map((l, s) => (kept.has(s) ? l : undefined));
        const node: Node = { key: job.key, position: job.position, injectionStep: job.injectionStep, endStep: job.endStep, latents, image };
        if (final) this.emit(node, false);
        const steps = [...kept].sort((x, y) => x - y);
        await this.options.cache?.putTrajectory(job.key, { dims: this.noiseDims(), steps, data: steps.map((s) => latents[s]!) });
        if (image) await this.options.cache?.putImage(this.imageKey(job.key), image);
        out[i] = node;
      }
    }
    return out as Node[];
  }

  private async cachedBranch(job: BranchJob, injectionSteps: readonly number[]): Promise<Node | undefined> {
    const cache = this.options.cache;
    if (!cache) return undefined;
    const stored = await cache.getTrajectory(job.key);
    if (!stored) return undefined;
    // A plan with other injection steps may need latents the earlier run did not keep.
    const have = new Set(stored.steps);
    for (const s of this.keptSteps(job.injectionStep, job.endStep, injectionSteps)) if (!have.has(s)) return undefined;
    const final = job.endStep === this.N;
    const image = final ? await cache.getImage(this.imageKey(job.key)) : undefined;
    if (final && !image) return undefined;
    const latents: (Float32Array | undefined)[] = new Array(this.N).fill(undefined);
    stored.steps.forEach((s, i) => (latents[s] = stored.data[i]));
    const node: Node = { key: job.key, position: job.position, injectionStep: job.injectionStep, endStep: job.endStep, latents, image };
    this.countCached(job.endStep - job.injectionStep);
    if (final) this.emit(node, true);
    return node;
  }

  /**
   * Steps of a branch running k … end−1 that anything later reads: k'−1 for every later
   * injection step k' ≤ end (children start from it), the parental-crossfeed targets, and the
   * last latent.
   */
  private keptSteps(k: number, end: number, injectionSteps: readonly number[]): Set<number> {
    const kept = new Set<number>([end - 1]);
    for (const k2 of injectionSteps) if (k2 > k && k2 <= end) kept.add(k2 - 1);
    const pc = this.spec.parentalCrossfeed;
    if (pc && pc.power > 0) {
      const stop = roundHalfEven(this.N * pc.range);
      for (let s = k; s <= stop - 2 && s < end; s++) kept.add(s);
    }
    return kept;
  }

  private branchRequest(job: BranchJob): TrajectoryRequest {
    const { left, right, t, position: f, injectionStep: k } = job;
    // k = 0 (fast mode, N = 1 allows nothing else): the keyframes' start latents are mixed.
    const p1 = k === 0 ? this.parentStart(left) : left.latents[k - 1];
    const p2 = k === 0 ? this.parentStart(right) : right.latents[k - 1];
    if (!p1 || !p2) throw new Error(`internal: parents of branch at f=${f} lack the latent of step ${k - 1}`);
    const dims = this.noiseDims();
    const pc = this.spec.parentalCrossfeed;
    let hook: StepHook | undefined;
    if (pc && pc.power > 0) {
      const c = parentalCrossfeedSchedule({ ...pc, steps: this.N, injectionStep: k });
      // At step k the target is the injected latent itself, so crossfeed starts at k + 1. It ends
      // with the parents: a fixed-tree parent stops where the next block no longer holds it.
      hook = ({ step, latent }) => {
        if (step <= k || step > job.crossfeedEnd || c[step] <= 0) return undefined;
        const a = left.latents[step - 1];
        const b = right.latents[step - 1];
        if (!a || !b) throw new Error(`internal: parents of branch at f=${f} lack the latent of step ${step - 1} for crossfeed`);
        return { data: slerp(latent.data, slerp(a, b, t), c[step]), dims: latent.dims };
      };
    }
    return {
      startLatent: { data: slerp(p1, p2, t), dims },
      startStep: k,
      stopStep: job.endStep,
      cond: lerpEmbedding(this.emb.a, this.emb.b, f),
      uncond: lerpEmbedding(this.emb.negA, this.emb.negB, f),
      ...transitionGuidance(this.spec.guidance, f, this.spec.guidanceMidDamper),
      inpaint: this.inpaint?.condition,
      hook,
      stepNoise: this.branchStepNoise(f),
    };
  }

  private parentStart(node: Node): Float32Array {
    if (node.position !== 0 && node.position !== 1) throw new Error(`internal: a branch injected at step 0 needs keyframe parents, got f=${node.position}`);
    return this.keyframeStart(node.position === 0 ? this.spec.a.seed : this.spec.b.seed).data;
  }

  // ── shared ────────────────────────────────────────────────────────────────

  private async run(requests: TrajectoryRequest[]): Promise<{ latents: Float32Array[]; stepMs: number }[]> {
    this.throwIfAborted();
    const t0 = performance.now();
    const results = await this.sd.runTrajectories(requests, this.schedule, {
      signal: this.options.signal,
      maxBatch: this.spec.maxBatch,
      onUnetCall: ({ batch }) => {
        this.done += batch;
        this.computed += batch;
        this.computeMs = performance.now() - this.startedAt;
        this.progress();
      },
    });
    const ms = performance.now() - t0;
    const imageSteps = requests.reduce((s, r) => s + ((r.stopStep ?? this.N) - r.startStep), 0);
    return results.map((r) => ({ latents: r.latents.map((l) => l?.data) as Float32Array[], stepMs: ms / Math.max(1, imageSteps) }));
  }

  private async decodeFinal(latent: Float32Array): Promise<RgbImage> {
    this.throwIfAborted();
    const [image] = await this.sd.decode({ data: latent, dims: this.noiseDims() });
    return this.inpaint ? compositeKept(this.spec.a.inpaint!.image, image, this.inpaint.weights) : image;
  }

  private imageKey(trajectoryKey: string): string {
    return imageCacheKey(trajectoryKey, this.inpaint ? (this.spec.featherRadiusPx ?? DEFAULT_FEATHER_PX) : null);
  }

  private emit(node: Node, fromCache: boolean): void {
    const image: TransitionImage = { position: node.position, image: node.image!, injectionStep: node.injectionStep, index: this.emitted++, fromCache, key: node.key };
    this.delivered.set(node, image);
    this.options.onImage?.(image);
  }

  private finalImage(node: Node): TransitionImage {
    const image = this.delivered.get(node);
    if (!image) throw new Error(`internal: the branch at f=${node.position} is no final image (it stops at step ${node.endStep})`);
    return image;
  }

  private countCached(evaluations: number): void {
    this.done += evaluations;
    this.progress();
  }

  private progress(): void {
    const remaining = Math.max(0, this.total - this.done);
    const etaMs = this.computed > 0 ? (this.computeMs / this.computed) * remaining : undefined;
    this.options.onProgress?.({ done: this.done, total: this.total, computed: this.computed, etaMs });
  }

  private throwIfAborted(): void {
    if (this.options.signal?.aborted) throw cancelledError('The transition render');
  }
}
