/**
 * Fixed branching tree ("quality presets", spec §3a): the plan (steps, injection steps, branch
 * counts per block) and the tree it implies (positions, parents, injection steps per branch).
 *
 * Execution model (spec §3a): block b runs steps idx[b] … idx[b+1]−1 (the last block to N). A
 * position of block b that block b−1 also holds is the same branch running on; any other
 * position is a new branch injected at idx[b] from its nearest neighbours in block b−1 — even
 * when an older block, not b−1, held that position (that branch left the tree earlier and its
 * neighbours have since moved on). A branch therefore runs from its injection step until the
 * first later block without its position, and only the last block's F branches reach step N
 * and are the transition's final images.
 */
import { badArgument, requireInteger, requireRange } from './errors';
import { linspace, logspace, roundHalfEven, truncToInt } from './numpy';
import { spacing } from './spacing';

export type QualityPreset = 'lowest' | 'low' | 'medium' | 'high' | 'ultra';

/** Spec §3a table: N and F(frames). */
export const FIXED_TREE_PRESETS: Readonly<Record<QualityPreset, { readonly steps: number; finalImages(frames: number): number }>> = {
  lowest: { steps: 12, finalImages: () => 5 },
  low: { steps: 15, finalImages: (frames) => Math.floor(frames / 16) },
  medium: { steps: 30, finalImages: (frames) => Math.floor(frames / 8) },
  high: { steps: 60, finalImages: (frames) => Math.floor(frames / 4) },
  ultra: { steps: 100, finalImages: (frames) => Math.floor(frames / 2) },
};

/** Minimum distance between kept injection steps (spec §3a, m). */
export const MIN_INJECTION_SPACING = 3;

export interface FixedTreePlanInput {
  readonly preset: QualityPreset;
  /** Frames the transition should last (F is derived from it per preset). */
  readonly frames: number;
  /** d ∈ (0, 1): first injection at round(N·d). Higher = later injection = more alike images. */
  readonly depthStrength: number;
  /** Overrides the preset's N. */
  readonly steps?: number;
  /** Explicit injection step per block (starts with 0, strictly increasing, < N). */
  readonly injectionSteps?: readonly number[];
  /** Explicit branch count per block (starts with 2 = the keyframes). */
  readonly branches?: readonly number[];
}

export interface FixedTreePlan {
  readonly steps: number;
  readonly injectionSteps: readonly number[];
  readonly branches: readonly number[];
  /** F: the last block's branch count (spec §3a table), the transition's final images. */
  readonly images: number;
}

const WHERE = 'planFixedTree';

export function planFixedTree(input: FixedTreePlanInput): FixedTreePlan {
  const preset = FIXED_TREE_PRESETS[input.preset];
  if (!preset) {
    throw badArgument(WHERE, `unknown preset "${String(input.preset)}"`, `use one of ${Object.keys(FIXED_TREE_PRESETS).join(', ')}`);
  }
  requireInteger(WHERE, 'frames', input.frames, 2);
  requireRange(WHERE, 'depthStrength', input.depthStrength, 0, 1, '()');
  const N = input.steps ?? preset.steps;
  requireInteger(WHERE, 'steps', N, 2, 10_000);
  const { injectionSteps, branches } = input;

  if (injectionSteps && branches) {
    checkInjectionSteps(injectionSteps, N);
    checkBranches(branches, injectionSteps.length);
    return { steps: N, injectionSteps: [...injectionSteps], branches: [...branches], images: branches[branches.length - 1] };
  }

  const F = branches ? branches[branches.length - 1] : preset.finalImages(input.frames);
  if (!branches && F < 3) {
    const need = input.preset === 'low' ? 48 : input.preset === 'medium' ? 24 : input.preset === 'high' ? 12 : 6;
    throw badArgument(WHERE, `preset "${input.preset}" plans ${F} final image(s) for ${input.frames} frames; a transition needs at least 3`,
      `give at least ${need} frames, or a lower preset`);
  }
  const first = roundHalfEven(N * input.depthStrength);
  const last = N - MIN_INJECTION_SPACING;

  if (injectionSteps) {
    checkInjectionSteps(injectionSteps, N);
    const nb = branchCounts(F, injectionSteps.length);
    checkBranches(nb, injectionSteps.length);
    return { steps: N, injectionSteps: [...injectionSteps], branches: nb, images: F };
  }
  if (branches) {
    if (branches.length < 2) throw badArgument(WHERE, 'branches needs at least 2 blocks (keyframes, then one block of branches)');
    const idx = [0, ...linspace(first, last, branches.length - 1).map(truncToInt)];
    checkInjectionSteps(idx, N, `injection steps derived from depthStrength ${input.depthStrength} and N = ${N}`);
    checkBranches(branches, idx.length);
    return { steps: N, injectionSteps: idx, branches: [...branches], images: F };
  }

  if (N < 10) {
    throw badArgument(WHERE, `steps = ${N} leaves no injection block (floor(N/5) − 1 = ${Math.floor(N / 5) - 1})`, 'use at least 10 steps');
  }
  const n = Math.floor(N / 5) - 1;
  const idx = [0, ...linspace(first, last, n).map(truncToInt)];
  const nb = branchCounts(F, n + 1);
  const keptIdx = [0];
  const keptNb = [2];
  for (let j = 1; j < idx.length; j++) {
    if (idx[j] - keptIdx[keptIdx.length - 1] >= MIN_INJECTION_SPACING && nb[j] > keptNb[keptNb.length - 1]) {
      keptIdx.push(idx[j]);
      keptNb.push(nb[j]);
    }
  }
  if (keptIdx.length < 2) {
    throw badArgument(WHERE, `depthStrength ${input.depthStrength} with ${N} steps puts the first injection at step ${first}, closer than ${MIN_INJECTION_SPACING} to step 0: no branch block remains`,
      `raise depthStrength so that round(N·d) ≥ ${MIN_INJECTION_SPACING} (d ≥ ${(MIN_INJECTION_SPACING / N).toFixed(3)}), or use more steps`);
  }
  keptNb[keptNb.length - 1] = F;
  // round(N·d) reaches N for d close to 1: a block there would run no step at all.
  checkInjectionSteps(keptIdx, N, `injection steps derived from depthStrength ${input.depthStrength} and N = ${N}`);
  return { steps: N, injectionSteps: keptIdx, branches: keptNb, images: F };
}

/** round(logspace(log10 2, log10 F, count)) with nb[0] = 2 and the last = F. */
function branchCounts(F: number, count: number): number[] {
  const nb = logspace(Math.log10(2), Math.log10(F), count).map(roundHalfEven);
  nb[0] = 2;
  nb[nb.length - 1] = F;
  return nb;
}

function checkInjectionSteps(idx: readonly number[], N: number, what = 'injectionSteps'): void {
  if (idx.length < 2) throw badArgument(WHERE, `${what} needs at least 2 entries ([0, k, …]), got [${idx.join(', ')}]`);
  if (idx[0] !== 0) throw badArgument(WHERE, `${what} must start with 0 (the keyframes), got [${idx.join(', ')}]`);
  for (let i = 1; i < idx.length; i++) {
    if (!Number.isInteger(idx[i]) || idx[i] <= idx[i - 1] || idx[i] >= N) {
      throw badArgument(WHERE, `${what} must be integers, strictly increasing and < steps (${N}); entry ${i} is ${idx[i]} in [${idx.join(', ')}]`,
        'use fewer blocks, more steps, or a smaller depthStrength');
    }
  }
}

function checkBranches(nb: readonly number[], blocks: number): void {
  if (nb.length !== blocks) throw badArgument(WHERE, `branches has ${nb.length} entries but there are ${blocks} injection steps; give one count per block`);
  if (nb[0] !== 2) throw badArgument(WHERE, `branches must start with 2 (the two keyframes), got ${nb[0]}`);
  nb.forEach((b, i) => {
    if (!Number.isInteger(b) || b < 2) throw badArgument(WHERE, `branches[${i}] must be an integer ≥ 2, got ${b}`);
  });
}

// ── The tree ────────────────────────────────────────────────────────────────

export interface BranchParents {
  /** Branch ids of the nearest positions left and right in the previous block. */
  readonly left: number;
  readonly right: number;
  /** Slerp fraction between them: (f − f_left)/(f_right − f_left). */
  readonly t: number;
}

export interface TreeBranch {
  readonly id: number;
  readonly position: number;
  /** Block where this branch is injected. */
  readonly block: number;
  /** First step it runs; 0 for the keyframes. */
  readonly injectionStep: number;
  /** The step it stops before: the next block without its position starts there; N for final images. */
  readonly endStep: number;
  /** Undefined for the keyframes (ids 0 and 1). */
  readonly parents?: BranchParents;
}

export interface TreeBlock {
  readonly index: number;
  readonly injectionStep: number;
  readonly positions: readonly number[];
  /** Branch id per position (same order as positions). */
  readonly branchIds: readonly number[];
  /** The branches first created in this block: they run batched together. */
  readonly newBranchIds: readonly number[];
}

export interface FixedTree {
  readonly steps: number;
  readonly blocks: readonly TreeBlock[];
  /** By id; ids 0 and 1 are keyframes A (f = 0) and B (f = 1). */
  readonly branches: readonly TreeBranch[];
  /** The last block's branch ids in order of position: the transition's F final images. */
  readonly finalOrder: readonly number[];
}

/** Positions closer than this are the same branch (spacing is exact for shared fractions). */
const SAME_POSITION = 1e-9;

export function buildFixedTree(plan: FixedTreePlan, midCompression = 1.2): FixedTree {
  if (plan.branches[0] !== 2) throw badArgument('buildFixedTree', `block 0 must hold the 2 keyframes, got ${plan.branches[0]} branches`);
  const drafts: Omit<TreeBranch, 'endStep'>[] = [
    { id: 0, position: 0, block: 0, injectionStep: 0 },
    { id: 1, position: 1, block: 0, injectionStep: 0 },
  ];
  const blocks: TreeBlock[] = [{ index: 0, injectionStep: 0, positions: [0, 1], branchIds: [0, 1], newBranchIds: [] }];

  for (let b = 1; b < plan.injectionSteps.length; b++) {
    const k = plan.injectionSteps[b];
    const prev = blocks[b - 1];
    const positions: number[] = [];
    const branchIds: number[] = [];
    const newBranchIds: number[] = [];
    for (const f of spacing(plan.branches[b], midCompression)) {
      const same = prev.positions.findIndex((p) => Math.abs(p - f) < SAME_POSITION);
      if (same >= 0) {
        // The same fraction computed for another block may differ in the last bit; keep one value.
        positions.push(prev.positions[same]);
        branchIds.push(prev.branchIds[same]);
        continue;
      }
      positions.push(f);
      let li = 0;
      while (li + 1 < prev.positions.length && prev.positions[li + 1] < f) li++;
      const fl = prev.positions[li];
      const fr = prev.positions[li + 1];
      const id = drafts.length;
      drafts.push({ id, position: f, block: b, injectionStep: k, parents: { left: prev.branchIds[li], right: prev.branchIds[li + 1], t: (f - fl) / (fr - fl) } });
      branchIds.push(id);
      newBranchIds.push(id);
    }
    blocks.push({ index: b, injectionStep: k, positions, branchIds, newBranchIds });
  }

  // A branch runs on through consecutive blocks that hold it and stops where the first one does not.
  const lastBlock = drafts.map((d) => d.block);
  blocks.forEach((block) => block.branchIds.forEach((id) => (lastBlock[id] = block.index)));
  const branches: TreeBranch[] = drafts.map((d) => {
    const next = lastBlock[d.id] + 1;
    return { ...d, endStep: next < blocks.length ? blocks[next].injectionStep : plan.steps };
  });
  return { steps: plan.steps, blocks, branches, finalOrder: [...blocks[blocks.length - 1].branchIds] };
}

/**
 * UNet evaluations a plan costs: Σ over branches of the steps it runs (end − injection step;
 * every adaptive branch runs to N), one evaluation per image per step — classifier-free
 * guidance's cond/uncond pair counts as one.
 */
export function unetEvaluations(plan: FixedTree | { readonly steps: number; readonly injectionSteps: readonly number[]; readonly stems: readonly number[] }): number {
  if ('branches' in plan) return plan.branches.reduce((sum, b) => sum + (b.endStep - b.injectionStep), 0);
  let sum = 2 * plan.steps;
  plan.injectionSteps.forEach((k, i) => (sum += plan.stems[i] * (plan.steps - k)));
  return sum;
}
