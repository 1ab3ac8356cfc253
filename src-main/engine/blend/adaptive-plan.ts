/**
 * Adaptive tree (spec §3b): how many branches to inject at which depth, and where the next
 * branch goes (the neighbouring pair that looks most different).
 */
import { badArgument, requireFinite, requireInteger, requireRange } from './errors';
import { linspace, roundHalfEven, truncToInt } from './numpy';

export interface AdaptivePlanInput {
  readonly steps: number;
  readonly depthStrength: number;
  /** Stop growing once the estimated time exceeds this (seconds). Give this or maxImages. */
  readonly budgetSeconds?: number;
  /** Final images including both keyframes. Give this or budgetSeconds. */
  readonly maxImages?: number;
  /** Seconds per UNet step of one image, measured on this machine (first keyframe). */
  readonly tStep: number;
  /** Seconds per VAE decode of one image. */
  readonly tDecode: number;
  /** Seconds of perceptual-metric time per inserted image (two distances). Default 0. */
  readonly tMetric?: number;
}

export interface AdaptivePlan {
  readonly steps: number;
  /** Injection steps, deepest (earliest) first. */
  readonly injectionSteps: readonly number[];
  /** How many branches to inject at each of those steps. */
  readonly stems: readonly number[];
}

/** Spacing of candidate injection steps (spec §3b: arange(…, 3)). */
const CANDIDATE_STRIDE = 3;
const WHERE = 'planAdaptive';

export function planAdaptive(input: AdaptivePlanInput): AdaptivePlan {
  const N = input.steps;
  requireInteger(WHERE, 'steps', N, 3, 10_000);
  requireRange(WHERE, 'depthStrength', input.depthStrength, 0, 1, '()');
  const byTime = input.budgetSeconds !== undefined;
  if (byTime === (input.maxImages !== undefined)) {
    throw badArgument(WHERE, 'give exactly one of budgetSeconds and maxImages', 'a time budget adapts to this machine; maxImages gives the same result everywhere');
  }
  if (byTime) {
    requireFinite(WHERE, 'budgetSeconds', input.budgetSeconds!);
    if (input.budgetSeconds! <= 0) throw badArgument(WHERE, `budgetSeconds must be > 0, got ${input.budgetSeconds}`);
    requireFinite(WHERE, 'tStep', input.tStep);
    if (input.tStep <= 0) throw badArgument(WHERE, `tStep must be > 0 seconds (measured on the first keyframe), got ${input.tStep}`);
  } else {
    requireInteger(WHERE, 'maxImages', input.maxImages!, 3);
  }
  requireFinite(WHERE, 'tDecode', input.tDecode);
  const tMetric = input.tMetric ?? 0;
  requireFinite(WHERE, 'tMetric', tMetric);
  if (input.tDecode < 0 || tMetric < 0) throw badArgument(WHERE, 'tDecode and tMetric must be ≥ 0');

  const first = roundHalfEven(N * input.depthStrength);
  let idx: number[] = [];
  for (let k = first; k < N - 1; k += CANDIDATE_STRIDE) idx.push(k);
  if (first < 1) {
    throw badArgument(WHERE, `depthStrength ${input.depthStrength} with ${N} steps puts the first injection at step 0; branches need parents' latents from an earlier step`,
      `raise depthStrength to at least ${(0.5 / N + 1e-3).toFixed(3)}`);
  }
  if (idx.length === 0) {
    throw badArgument(WHERE, `depthStrength ${input.depthStrength} with ${N} steps puts the first injection at step ${first}, but injections must be before step ${N - 1}`,
      `lower depthStrength below ${((N - 1.5) / N).toFixed(3)} or use more steps`);
  }
  let stems = idx.map(() => 1);
  const maxBranches = byTime ? Infinity : input.maxImages! - 2;
  let firstPass = true;
  for (;;) {
    let cost = 0;
    idx.forEach((k, s) => (cost += (N - k) * stems[s] * input.tStep + stems[s] * (input.tDecode + tMetric)));
    grow(stems);
    if (byTime) {
      if (cost > input.budgetSeconds!) break;
    } else if (stems.reduce((a, b) => a + b, 0) >= maxBranches) {
      if (firstPass) {
        // Fewer images wanted than one per candidate depth: spread single stems evenly instead.
        idx = linspace(idx[0], idx[idx.length - 1], maxBranches).map(truncToInt);
        stems = idx.map(() => 1);
      }
      break;
    }
    firstPass = false;
  }
  return { steps: N, injectionSteps: idx, stems };
}

/** The first s with stems[s+1]/stems[s] ≥ 2 gets one more, else the last: deep depths keep up. */
function grow(stems: number[]): void {
  for (let s = 0; s + 1 < stems.length; s++) {
    if (stems[s + 1] / stems[s] >= 2) {
      stems[s]++;
      return;
    }
  }
  stems[stems.length - 1]++;
}

export interface Insertion {
  /** Insert between final images `pair` and `pair + 1`. */
  readonly pair: number;
  readonly position: number;
  /** Indices (into the current final list) of the parents and the slerp fraction between them. */
  readonly left: number;
  readonly right: number;
  readonly t: number;
}

/**
 * Where the next branch injected at step k goes (spec §3b steps 1–2): the neighbouring pair with
 * the largest distance (first one on ties), its midpoint, and parents found by walking outward
 * until both have an injection step < k. The keyframes (injection 0) always qualify for k ≥ 1.
 */
export function chooseInsertion(positions: readonly number[], injections: readonly number[], distances: readonly number[], k: number): Insertion {
  const where = 'chooseInsertion';
  if (positions.length < 2 || injections.length !== positions.length || distances.length !== positions.length - 1) {
    throw badArgument(where, `need ≥ 2 positions, one injection step each and one distance per neighbouring pair (got ${positions.length}, ${injections.length}, ${distances.length})`);
  }
  requireInteger(where, 'injection step', k, 1);
  let pair = 0;
  for (let i = 1; i < distances.length; i++) if (distances[i] > distances[pair]) pair = i;
  let left = pair;
  while (left > 0 && injections[left] >= k) left--;
  let right = pair + 1;
  while (right < positions.length - 1 && injections[right] >= k) right++;
  if (injections[left] >= k || injections[right] >= k) {
    throw badArgument(where, `no parents with an injection step < ${k} around position ${positions[pair]}`);
  }
  const position = (positions[pair] + positions[pair + 1]) / 2;
  return { pair, position, left, right, t: (position - positions[left]) / (positions[right] - positions[left]) };
}
