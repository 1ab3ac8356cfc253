import { describe, expect, it } from 'vitest';
import { buildFixedTree, planFixedTree, unetEvaluations, type FixedTree } from './fixed-tree';

/*
 * Expected plans derived by hand from spec §3a (first = round(N·d), last = N − 3,
 * n = floor(N/5) − 1, idx = [0] ++ int(linspace(first, last, n)),
 * nb = round(2·(F/2)^(j/n)), keep idx[j] if idx[j] − lastKept ≥ 3 and nb[j] > lastKeptNb,
 * last kept nb := F).
 */
describe('planFixedTree', () => {
  it('medium, d = 0.65, 100 frames → the spec example', () => {
    // N=30, F=12, first = round(19.5) = 20 (half-even), last = 27, n = 5.
    // linspace(20, 27, 5) = [20, 21.75, 23.5, 25.25, 27] → idx = [0, 20, 21, 23, 25, 27]
    // nb = round(2·6^(j/5)) = round([2, 2.862, 4.095, 5.860, 8.386, 12]) = [2, 3, 4, 6, 8, 12]
    // keep 20 (3 > 2), skip 21 (Δ1), keep 23 (Δ3, 6 > 3), skip 25 (Δ2), keep 27 (Δ4, 12 > 6)
    expect(planFixedTree({ preset: 'medium', frames: 100, depthStrength: 0.65 })).toEqual({
      steps: 30, injectionSteps: [0, 20, 23, 27], branches: [2, 3, 6, 12], images: 12,
    });
  });

  it('lowest: N = 12, F = 5 regardless of frames', () => {
    // n = 1: idx = [0, first]; nb = round([2, 5]).  d = .65: first = round(7.8) = 8.  d = .5: 6.
    expect(planFixedTree({ preset: 'lowest', frames: 300, depthStrength: 0.65 })).toEqual({ steps: 12, injectionSteps: [0, 8], branches: [2, 5], images: 5 });
    expect(planFixedTree({ preset: 'lowest', frames: 2, depthStrength: 0.5 })).toEqual({ steps: 12, injectionSteps: [0, 6], branches: [2, 5], images: 5 });
  });

  it('low: N = 15, F = frames // 16', () => {
    // 100 frames → F = 6, d = .5: first = round(7.5) = 8 (half-even), last = 12, n = 2,
    // idx = [0, 8, 12]; nb = round(2·3^(j/2)) = round([2, 3.46, 6]) = [2, 3, 6]; all kept.
    expect(planFixedTree({ preset: 'low', frames: 100, depthStrength: 0.5 })).toEqual({ steps: 15, injectionSteps: [0, 8, 12], branches: [2, 3, 6], images: 6 });
    // 48 frames → F = 3, d = .65: first = round(9.75) = 10; idx = [0, 10, 12];
    // nb = round(2·1.5^(j/2)) = round([2, 2.449, 3]) = [2, 2, 3]: 10 dropped (2 is not > 2), 12 kept.
    expect(planFixedTree({ preset: 'low', frames: 48, depthStrength: 0.65 })).toEqual({ steps: 15, injectionSteps: [0, 12], branches: [2, 3], images: 3 });
  });

  it('medium, 240 frames, d = 0.3 keeps every block', () => {
    // F = 30, first = 9, linspace(9, 27, 5) = [9, 13.5, 18, 22.5, 27] → [9, 13, 18, 22, 27]
    // nb = round(2·15^(j/5)) = round([2, 3.44, 5.91, 10.16, 17.45, 30]) = [2, 3, 6, 10, 17, 30]
    expect(planFixedTree({ preset: 'medium', frames: 240, depthStrength: 0.3 })).toEqual({
      steps: 30, injectionSteps: [0, 9, 13, 18, 22, 27], branches: [2, 3, 6, 10, 17, 30], images: 30,
    });
  });

  it('high, 100 frames, d = 0.5', () => {
    // N = 60, F = 25, first = 30, last = 57, n = 11, step 2.7:
    // idx = [0, 30, 32, 35, 38, 40, 43, 46, 48, 51, 54, 57]
    // nb = round(2·12.5^(j/11)) = [2, 3, 3, 4, 5, 6, 8, 10, 13, 16, 20, 25]
    // (2·e^(0.22961·j): 2.52, 3.17, 3.98, 5.01, 6.30, 7.93, 9.98, 12.56, 15.80, 19.87)
    // kept: 30/3, 35/4, 38/5, 43/8, 46/10, 51/16, 54/20, 57/25 (32, 40, 48 are Δ2 from the last kept)
    expect(planFixedTree({ preset: 'high', frames: 100, depthStrength: 0.5 })).toEqual({
      steps: 60, injectionSteps: [0, 30, 35, 38, 43, 46, 51, 54, 57], branches: [2, 3, 4, 5, 8, 10, 16, 20, 25], images: 25,
    });
  });

  it('ultra, 24 frames, d = 0.8: the last kept block gets F', () => {
    // N = 100, F = 12, first = 80, last = 97, n = 19, step 17/18:
    // idx = [0, 80, 80, 81, 82, …, 97] (int of 80, 80.94, 81.89, 82.83, …)
    // nb = round(2·6^(j/19)) = [2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 6, 6, 7, 7, 8, 9, 10, 11, 12]
    // kept: 81/3, 84/4, 87/5, 90/6, 93/8, 96/11 (97 is Δ1) → the last kept nb is set to F = 12
    expect(planFixedTree({ preset: 'ultra', frames: 24, depthStrength: 0.8 })).toEqual({
      steps: 100, injectionSteps: [0, 81, 84, 87, 90, 93, 96], branches: [2, 3, 4, 5, 6, 8, 12], images: 12,
    });
  });

  it('takes explicit injection steps and branch counts as given', () => {
    expect(planFixedTree({ preset: 'medium', frames: 100, depthStrength: 0.5, injectionSteps: [0, 10, 20], branches: [2, 5, 9] }))
      .toEqual({ steps: 30, injectionSteps: [0, 10, 20], branches: [2, 5, 9], images: 9 });
  });

  it('derives branch counts for explicit injection steps', () => {
    // F = 12 (medium, 100 frames): nb = round(2·6^(j/2)) = round([2, 4.899, 12]) = [2, 5, 12]
    expect(planFixedTree({ preset: 'medium', frames: 100, depthStrength: 0.5, injectionSteps: [0, 15, 24] }).branches).toEqual([2, 5, 12]);
  });

  it('derives injection steps for explicit branch counts', () => {
    // N = 30, d = .5: first = 15, last = 27, linspace(15, 27, 2) = [15, 27]
    expect(planFixedTree({ preset: 'medium', frames: 100, depthStrength: 0.5, branches: [2, 4, 8] }).injectionSteps).toEqual([0, 15, 27]);
  });

  it('honours a steps override', () => {
    // N = 20, F = 12, d = .5: first = 10, last = 17, n = 3: linspace(10, 17, 3) = [10, 13.5, 17] → [10, 13, 17]
    // nb = round(2·6^(j/3)) = round([2, 3.63, 6.60, 12]) = [2, 4, 7, 12]: all kept (Δ ≥ 3, increasing)
    expect(planFixedTree({ preset: 'medium', frames: 100, depthStrength: 0.5, steps: 20 })).toEqual({
      steps: 20, injectionSteps: [0, 10, 13, 17], branches: [2, 4, 7, 12], images: 12,
    });
  });

  it('rejects bad input with specific messages', () => {
    expect(() => planFixedTree({ preset: 'medium', frames: 100, depthStrength: 1 })).toThrow(/depthStrength must be in \(0, 1\)/);
    expect(() => planFixedTree({ preset: 'medium', frames: 1, depthStrength: 0.5 })).toThrow(/frames must be an integer ≥ 2/);
    expect(() => planFixedTree({ preset: 'medium', frames: 16, depthStrength: 0.5 })).toThrow(/plans 2 final image\(s\) for 16 frames/);
    expect(hintOf(() => planFixedTree({ preset: 'medium', frames: 16, depthStrength: 0.5 }))).toMatch(/at least 24 frames/);
    expect(() => planFixedTree({ preset: 'nope' as 'low', frames: 100, depthStrength: 0.5 })).toThrow(/unknown preset/);
    expect(() => planFixedTree({ preset: 'medium', frames: 100, depthStrength: 0.5, injectionSteps: [0, 20, 20], branches: [2, 3, 4] })).toThrow(/strictly increasing/);
    expect(() => planFixedTree({ preset: 'medium', frames: 100, depthStrength: 0.5, injectionSteps: [0, 20, 30], branches: [2, 3, 4] })).toThrow(/< steps \(30\)/);
    expect(() => planFixedTree({ preset: 'medium', frames: 100, depthStrength: 0.5, injectionSteps: [1, 20], branches: [2, 3] })).toThrow(/start with 0/);
    expect(() => planFixedTree({ preset: 'medium', frames: 100, depthStrength: 0.5, injectionSteps: [0, 20], branches: [3, 5] })).toThrow(/start with 2/);
    expect(() => planFixedTree({ preset: 'medium', frames: 100, depthStrength: 0.5, injectionSteps: [0, 20], branches: [2, 5, 8] })).toThrow(/one count per block/);
    // N = 12, d = 0.1: first = round(1.2) = 1 < 3 → no block survives
    expect(() => planFixedTree({ preset: 'lowest', frames: 100, depthStrength: 0.1 })).toThrow(/no branch block remains/);
    // N = 12, d = 0.99: first = round(11.88) = 12 = N → a block that would run no step
    expect(() => planFixedTree({ preset: 'lowest', frames: 100, depthStrength: 0.99 })).toThrow(/entry 1 is 12 in \[0, 12\]/);
  });
});

function hintOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as { hint?: string }).hint;
  }
  return undefined;
}

function checkInvariants(tree: FixedTree): void {
  const last = tree.blocks[tree.blocks.length - 1];
  // the final images are exactly the last block (F of them), in order of position
  expect(tree.finalOrder).toEqual(last.branchIds);
  const positions = tree.finalOrder.map((id) => tree.branches[id].position);
  for (let i = 1; i < positions.length; i++) expect(positions[i]).toBeGreaterThan(positions[i - 1]);
  expect(positions[0]).toBe(0);
  expect(positions[positions.length - 1]).toBe(1);
  for (const block of tree.blocks) {
    for (let i = 1; i < block.positions.length; i++) expect(block.positions[i]).toBeGreaterThan(block.positions[i - 1]);
    expect(block.positions[0]).toBe(0);
    expect(block.positions[block.positions.length - 1]).toBe(1);
  }
  for (const b of tree.branches) {
    // a branch lives in consecutive blocks from its own on, and runs exactly their steps
    const inBlocks = tree.blocks.filter((blk) => blk.branchIds.includes(b.id)).map((blk) => blk.index);
    expect(inBlocks).toEqual(inBlocks.map((_, i) => b.block + i));
    const after = b.block + inBlocks.length;
    expect(b.endStep).toBe(after < tree.blocks.length ? tree.blocks[after].injectionStep : tree.steps);
    if (b.id < 2) {
      expect(b.parents).toBeUndefined();
      expect(b.injectionStep).toBe(0);
      expect(b.endStep).toBe(tree.steps);
      continue;
    }
    const p = b.parents!;
    const left = tree.branches[p.left];
    const right = tree.branches[p.right];
    expect(left.position).toBeLessThan(b.position);
    expect(right.position).toBeGreaterThan(b.position);
    // parents are the nearest on each side in the previous block, and still running at k − 1
    const prev = tree.blocks[b.block - 1];
    expect(prev.branchIds).toContain(p.left);
    expect(prev.branchIds).toContain(p.right);
    expect(prev.positions.filter((f) => f > left.position && f < right.position)).toEqual([]);
    expect(left.injectionStep).toBeLessThan(b.injectionStep);
    expect(right.injectionStep).toBeLessThan(b.injectionStep);
    expect(left.endStep).toBeGreaterThanOrEqual(b.injectionStep);
    expect(right.endStep).toBeGreaterThanOrEqual(b.injectionStep);
    expect(p.t).toBeCloseTo((b.position - left.position) / (right.position - left.position), 12);
    expect(p.t).toBeGreaterThan(0);
    expect(p.t).toBeLessThan(1);
  }
}

const at = (tree: FixedTree, f: number) => tree.branches.filter((b) => Math.abs(b.position - f) < 1e-12);

describe('buildFixedTree', () => {
  it('builds the spec example with linear spacing: blocks span idx[b] … idx[b+1] − 1, F final images', () => {
    const tree = buildFixedTree(planFixedTree({ preset: 'medium', frames: 100, depthStrength: 0.65 }), 1.2);
    checkInvariants(tree);
    // block 1: [0, .5, 1] → new .5; block 2: linspace(0,1,6) → new .2 .4 .6 .8;
    // block 3: k/11 → 10 new. Branches 2 + 1 + 4 + 10 = 17, of which block 3's 12 are final.
    expect(tree.blocks.map((b) => b.newBranchIds.length)).toEqual([0, 1, 4, 10]);
    expect(tree.finalOrder).toHaveLength(12);
    // .4 (block 2) sits between 0 and .5 of block 1 → t = .8
    const [b04] = at(tree, 0.4);
    expect(tree.branches[b04.parents!.left].position).toBe(0);
    expect(tree.branches[b04.parents!.right].position).toBe(0.5);
    expect(b04.parents!.t).toBeCloseTo(0.8, 12);
    // .5 runs block 1 only (steps 20–22), .2 … .8 block 2 only (23–26), block 3 to the end
    expect(at(tree, 0.5)[0].endStep).toBe(23);
    expect(b04.endStep).toBe(27);
    // 2·30 + 1·(23−20) + 4·(27−23) + 10·(30−27) = 60 + 3 + 16 + 30 = 109
    expect(unetEvaluations(tree)).toBe(109);
  });

  it('runs a position that recurs in the next block on as the same branch', () => {
    // blocks [2, 3, 5]: positions [0,1], [0,.5,1], [0,.25,.5,.75,1] → .5 is block 1's branch.
    const tree = buildFixedTree({ steps: 20, injectionSteps: [0, 8, 14], branches: [2, 3, 5], images: 5 }, 1);
    checkInvariants(tree);
    expect(tree.blocks[2].newBranchIds.length).toBe(2);
    expect(tree.blocks[2].branchIds[2]).toBe(tree.blocks[1].branchIds[1]);
    expect(tree.branches[tree.blocks[1].branchIds[1]].endStep).toBe(20);
    // 2·20 + 1·(20−8) + 2·(20−14) = 64
    expect(unetEvaluations(tree)).toBe(64);
  });

  it('injects a position that an older block held anew from the previous block', () => {
    // blocks [2, 3, 4, 5]: [0,.5,1], [0,⅓,⅔,1], [0,.25,.5,.75,1]. Block 2 drops .5, so block 3's
    // .5 is a new branch between ⅓ and ⅔ (t = .5) injected at 12, not block 1's .5 (which ran 6–8).
    const tree = buildFixedTree({ steps: 15, injectionSteps: [0, 6, 9, 12], branches: [2, 3, 4, 5], images: 5 }, 1);
    checkInvariants(tree);
    const halves = at(tree, 0.5);
    expect(halves.map((b) => [b.block, b.injectionStep, b.endStep])).toEqual([[1, 6, 9], [3, 12, 15]]);
    const late = halves[1];
    expect([tree.branches[late.parents!.left].position, tree.branches[late.parents!.right].position]).toEqual([1 / 3, 2 / 3]);
    expect(late.parents!.t).toBeCloseTo(0.5, 12);
    expect(tree.finalOrder.map((id) => tree.branches[id].injectionStep)).toEqual([0, 12, 12, 12, 0]);
    // 2·15 + 1·(9−6) + 2·(12−9) + 3·(15−12) = 30 + 3 + 6 + 9 = 48
    expect(unetEvaluations(tree)).toBe(48);
  });

  it('keeps the invariants with mid compression on every preset', () => {
    const presets = ['lowest', 'low', 'medium', 'high', 'ultra'] as const;
    for (const preset of presets) {
      for (const d of [0.3, 0.5, 0.65, 0.8]) {
        const plan = planFixedTree({ preset, frames: 240, depthStrength: d });
        for (const s of [1.2, 2]) {
          const tree = buildFixedTree(plan, s);
          checkInvariants(tree);
          expect(tree.finalOrder.length).toBe(plan.images);
          // spec §3a cost: keyframes N each, block b's other nb[b] − 2 branches run its span
          const spans = plan.injectionSteps.map((k, b) => (b + 1 < plan.injectionSteps.length ? plan.injectionSteps[b + 1] : plan.steps) - k);
          const expected = plan.branches.reduce((sum, nb, b) => sum + (b === 0 ? 0 : (nb - 2) * spans[b]), 2 * plan.steps);
          expect(unetEvaluations(tree)).toBe(expected);
        }
      }
    }
  });

  it('counts adaptive plans as keyframes plus stems × remaining steps', () => {
    // 2·30 + 1·(30−18) + 2·(30−21) = 60 + 12 + 18 = 90
    expect(unetEvaluations({ steps: 30, injectionSteps: [18, 21], stems: [1, 2] })).toBe(90);
  });
});
