import type { FlowJob, JobsOptions } from 'bullmq';
import { cacheKey } from '../../engine/blend/cache';
import type { Project } from '../../project/schema';
import { transitionsFor } from '../render/render-scope';
import { sharesKeyframeWithPrevious, transitionSpec } from '../transition-specs';
import { FARM_QUEUE, type FarmFingerprint, type FarmPiece, type FarmStage, type KeyframeKeys, type TransitionPieceResult } from './messages';

/**
 * A movie as BullMQ flows, pure (no Redis): which pieces run, in which order, with which data.
 *
 * A movie is a graph — each keyframe trajectory once, each transition from its two keyframes,
 * then the movie — but a BullMQ flow is a tree (a job has one parent, and a parent runs when
 * all its children are done). So the graph becomes two flows, the second added when the first
 * completes:
 *
 * 1. keyframes: a `stage` barrier whose children are chains of `keyframes` pieces. Piece j
 *    makes transition j's keyframe trajectories exactly as a local render does (so frames are
 *    byte-identical); where transition j shares keyframe A with transition j−1, piece j needs
 *    that trajectory and is the parent of piece j−1.
 * 2. movie: a `stage` barrier whose children are the `transition` pieces, all independent now
 *    (their keyframes are in the shared cache), so every worker can take one.
 *
 * Transitions already rendered (a farm record in the cache, see `transitionRecordKey`) get no
 * piece at all; their keyframe keys come from the record.
 */

/** Everything a piece needs besides its kind, index and keyframe A (the same for all pieces). */
export interface PieceContext {
  flowId: string;
  fingerprint: FarmFingerprint;
  /** The project as sent: image and mask paths already replaced by `<sha256>.png` input names. */
  project: Project;
  inputs: Record<string, string>;
  session: FarmPiece['session'];
}

export interface MoviePlan {
  /** Transitions that need rendering, ascending. */
  render: number[];
  /** Transitions found rendered, with their records. */
  cached: Map<number, TransitionPieceResult>;
  /** Transitions whose keyframes piece runs (= render), and the child each one waits for. */
  keyframePieces: { index: number; child?: number; keyframeA?: string }[];
}

/** Pieces for the transitions not in `cached`. */
export function planMovie(project: Project, cached: ReadonlyMap<number, TransitionPieceResult>): MoviePlan {
  const render = project.transitions.map((_, i) => i).filter((i) => !cached.has(i));
  const inPlan = new Set(render);
  const keyframePieces = render.map((index) => {
    if (!sharesKeyframeWithPrevious(project, index)) return { index };
    if (inPlan.has(index - 1)) return { index, child: index - 1 };
    return { index, keyframeA: cached.get(index - 1)!.keys.b };
  });
  return { render, cached: new Map(cached), keyframePieces };
}

/** BullMQ job ids of a flow (custom ids must not contain ':'). */
export const jobIds = {
  keyframesStage: (flowId: string) => `${flowId}-keyframes`,
  movieStage: (flowId: string) => `${flowId}-movie`,
  keyframes: (flowId: string, index: number) => `${flowId}-k${index}`,
  transition: (flowId: string, index: number) => `${flowId}-t${index}`,
};

/** How often a piece may be tried: a second worker gets a failed (not refused) piece once more. */
export const PIECE_ATTEMPTS = 2;

function pieceOptions(jobId: string): JobsOptions {
  // A failed piece fails the movie with its reason instead of leaving the parent waiting.
  return { jobId, attempts: PIECE_ATTEMPTS, failParentOnFailure: true, removeOnComplete: { age: 24 * 3600 }, removeOnFail: { age: 24 * 3600 } };
}

function stageOptions(jobId: string): JobsOptions {
  return { jobId, failParentOnFailure: true, removeOnComplete: { age: 24 * 3600 }, removeOnFail: { age: 24 * 3600 } };
}

function piece(kind: FarmPiece['kind'], index: number, keyframeA: string | undefined, ctx: PieceContext): FarmPiece {
  return {
    kind, index, flowId: ctx.flowId, fingerprint: ctx.fingerprint, project: ctx.project as unknown as Record<string, unknown>,
    inputs: ctx.inputs, session: ctx.session, ...(keyframeA ? { keyframeA } : {}),
  };
}

function stage(stageName: FarmStage['stage'], ctx: PieceContext): FarmStage {
  return { kind: 'stage', stage: stageName, flowId: ctx.flowId, fingerprint: ctx.fingerprint };
}

/** The first flow, or undefined when no transition needs rendering. */
export function keyframesFlow(plan: MoviePlan, ctx: PieceContext): FlowJob | undefined {
  if (plan.render.length === 0) return undefined;
  const byIndex = new Map(plan.keyframePieces.map((p) => [p.index, p]));
  const parentOf = new Set(plan.keyframePieces.flatMap((p) => (p.child === undefined ? [] : [p.child])));
  const node = (index: number): FlowJob => {
    const p = byIndex.get(index)!;
    return {
      name: 'keyframes', queueName: FARM_QUEUE, data: piece('keyframes', index, p.keyframeA, ctx), opts: pieceOptions(jobIds.keyframes(ctx.flowId, index)),
      ...(p.child === undefined ? {} : { children: [node(p.child)] }),
    };
  };
  // Chain tops: pieces no other piece waits for.
  const tops = plan.keyframePieces.filter((p) => !parentOf.has(p.index)).map((p) => node(p.index));
  return { name: 'stage', queueName: FARM_QUEUE, data: stage('keyframes', ctx), opts: stageOptions(jobIds.keyframesStage(ctx.flowId)), children: tops };
}

/** The second flow, once the keyframes stage returned the keys of the trajectories it made. */
export function movieFlow(plan: MoviePlan, keys: KeyframeKeys, ctx: PieceContext): FlowJob | undefined {
  if (plan.render.length === 0) return undefined;
  const keyB = (index: number): string => {
    const key = plan.cached.get(index)?.keys.b ?? keys[String(index)]?.b;
    if (!key) throw new Error(`internal: no keyframe keys for transition ${index} after the keyframes stage`);
    return key;
  };
  const children = plan.render.map((index): FlowJob => {
    const keyframeA = sharesKeyframeWithPrevious(ctx.project, index) ? keyB(index - 1) : undefined;
    return { name: 'transition', queueName: FARM_QUEUE, data: piece('transition', index, keyframeA, ctx), opts: pieceOptions(jobIds.transition(ctx.flowId, index)) };
  });
  return { name: 'stage', queueName: FARM_QUEUE, data: stage('movie', ctx), opts: stageOptions(jobIds.movieStage(ctx.flowId)), children };
}

/**
 * Where a farm render records transition `index`'s result in the cache: a hash of everything
 * that determines it — the fingerprint (numerics, models), the provider asked for, and the
 * specs and keyframe inputs of every transition its keyframe A depends on (keyframe crossfeed
 * chains reach back; see transitionsFor).
 */
export function transitionRecordKey(project: Project, index: number, fingerprint: FarmFingerprint, provider: string): string {
  const chain = transitionsFor(project, { kind: 'transition', index });
  const keyframes = project.keyframes.slice(chain[0], index + 2).map((k) => ({ image: k.image ?? null, mask: k.mask ?? null }));
  return cacheKey('farm-transition', { fingerprint, provider, specs: chain.map((i) => transitionSpec(project, i)), shares: chain.map((i) => sharesKeyframeWithPrevious(project, i)), keyframes });
}
