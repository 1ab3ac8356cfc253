import { describe, expect, it } from 'vitest';
import { chooseInsertion, planAdaptive } from './adaptive-plan';

describe('planAdaptive', () => {
  // N = 30, d = 0.6: idx = arange(18, 29, 3) = [18, 21, 24, 27]; remaining steps [12, 9, 6, 3].
  it('grows stems by the doubling rule until the image count is reached', () => {
    // maxImages 10 → 8 branches. grow: [1,1,1,2] (no ratio ≥ 2: last), [1,1,2,2], [1,2,2,2],
    // [2,2,2,2] (sum 8 → stop).
    expect(planAdaptive({ steps: 30, depthStrength: 0.6, maxImages: 10, tStep: 1, tDecode: 1 })).toEqual({
      steps: 30, injectionSteps: [18, 21, 24, 27], stems: [2, 2, 2, 2],
    });
  });

  it('spreads single stems over the depth range when the count is hit on the first pass', () => {
    // maxImages 5 → 3 branches; first grow gives sum 5 ≥ 3 → idx = int(linspace(18, 27, 3)) =
    // int([18, 22.5, 27]) = [18, 22, 27], stems = [1, 1, 1].
    expect(planAdaptive({ steps: 30, depthStrength: 0.6, maxImages: 5, tStep: 1, tDecode: 1 })).toEqual({
      steps: 30, injectionSteps: [18, 22, 27], stems: [1, 1, 1],
    });
  });

  it('stops on the time budget as the spec orders it (cost, grow, then test)', () => {
    // tStep .1, tDecode .2, budget 10. cost(stems) = .1·Σ(rem·stems) + .2·Σstems:
    // [1,1,1,1] 3.8 → [1,1,1,2] 4.3 → [1,1,2,2] 5.1 → [1,2,2,2] 6.2 → [2,2,2,2] 7.6 →
    // [2,2,2,3] 8.1 → [2,2,2,4] 8.6 → [2,2,3,4] 9.4 → [2,2,3,5] 9.9 → [2,2,3,6] 10.4 > 10,
    // after which the loop has already grown once more: 6/3 ≥ 2 → [2,2,4,6].
    expect(planAdaptive({ steps: 30, depthStrength: 0.6, budgetSeconds: 10, tStep: 0.1, tDecode: 0.2 }).stems).toEqual([2, 2, 4, 6]);
  });

  it('counts metric time per stem', () => {
    // Same as above with tMetric .3 → per-stem .5: [1,1,1,1] 3.0+2.0 = 5.0 → [1,1,1,2] 3.3+2.5 = 5.8 →
    // [1,1,2,2] 3.9+3.0 = 6.9 > 6 → stop after growing to [1,2,2,2].
    expect(planAdaptive({ steps: 30, depthStrength: 0.6, budgetSeconds: 6, tStep: 0.1, tDecode: 0.2, tMetric: 0.3 }).stems).toEqual([1, 2, 2, 2]);
  });

  it('rejects ambiguous or impossible budgets', () => {
    expect(() => planAdaptive({ steps: 30, depthStrength: 0.6, tStep: 1, tDecode: 1 })).toThrow(/exactly one of budgetSeconds and maxImages/);
    expect(() => planAdaptive({ steps: 30, depthStrength: 0.6, maxImages: 9, budgetSeconds: 3, tStep: 1, tDecode: 1 })).toThrow(/exactly one/);
    expect(() => planAdaptive({ steps: 30, depthStrength: 0.6, maxImages: 2, tStep: 1, tDecode: 1 })).toThrow(/maxImages must be an integer ≥ 3/);
    expect(() => planAdaptive({ steps: 30, depthStrength: 0.6, budgetSeconds: 5, tStep: 0, tDecode: 1 })).toThrow(/tStep must be > 0/);
    // round(30·.98) = 29 = N − 1: no candidate step
    expect(() => planAdaptive({ steps: 30, depthStrength: 0.01, maxImages: 9, tStep: 1, tDecode: 1 })).toThrow(/first injection at step 0/);
    expect(() => planAdaptive({ steps: 30, depthStrength: 0.98, maxImages: 9, tStep: 1, tDecode: 1 })).toThrow(/must be before step 29/);
  });
});

describe('chooseInsertion', () => {
  it('splits the most different pair and takes it as parents when both are older', () => {
    const r = chooseInsertion([0, 1], [0, 0], [0.7], 18);
    expect(r).toEqual({ pair: 0, position: 0.5, left: 0, right: 1, t: 0.5 });
  });

  it('walks outward past branches injected at the same depth or later', () => {
    // positions 0, .5 (k=18), .75 (k=21), 1; largest distance between .5 and .75; new branch at k = 21:
    // left .5 (18 < 21) qualifies, right .75 (21) does not → walk to 1. f = .625, t = (.625−.5)/(1−.5) = .25
    const r = chooseInsertion([0, 0.5, 0.75, 1], [0, 18, 21, 0], [0.1, 0.5, 0.2], 21);
    expect(r).toEqual({ pair: 1, position: 0.625, left: 1, right: 3, t: 0.25 });
  });

  it('takes the first pair on ties', () => {
    expect(chooseInsertion([0, 0.5, 1], [0, 18, 0], [0.3, 0.3], 21).pair).toBe(0);
  });
});
