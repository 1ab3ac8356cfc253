import { describe, expect, it } from 'vitest';
import { unetEvaluations } from './fixed-tree';
import { evenPositions, fastInjectionStep, planFast } from './fast-plan';

describe('planFast', () => {
  it('defines an injection step for every N = 1 … 8 (k = round(N·d) kept inside [1, N − 1], k = 0 for N = 1)', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => fastInjectionStep(n, 0.5))).toEqual([0, 1, 2, 2, 2, 3, 4, 4]);
    expect([1, 2, 3, 4, 8].map((n) => fastInjectionStep(n, 0.05))).toEqual([0, 1, 1, 1, 1]);
    expect([1, 2, 3, 4, 8].map((n) => fastInjectionStep(n, 0.95))).toEqual([0, 1, 2, 3, 7]);
  });

  it('the original project\'s form: 4 steps, every branch at step 2, evenly spaced', () => {
    const plan = planFast({ steps: 4, depthStrength: 0.5, branches: 9 });
    expect(plan).toEqual({ steps: 4, injectionStep: 2, injectionSteps: [2], stems: [7], even: true });
    // 2 keyframes × 4 steps + 7 branches × 2 steps
    expect(unetEvaluations(plan)).toBe(22);
    expect(evenPositions(3)).toEqual([0.25, 0.5, 0.75]);
  });

  it('N = 1 injects at step 0 (the keyframes\' noise is mixed) and costs one step per image', () => {
    const plan = planFast({ steps: 1, depthStrength: 0.5, branches: 5 });
    expect(plan.injectionStep).toBe(0);
    expect(unetEvaluations(plan)).toBe(5);
  });

  it('grows to an image count or a time budget for adaptive insertion at step k', () => {
    expect(planFast({ steps: 4, injectionStep: 2, maxImages: 12 }).stems).toEqual([10]);
    // per branch: 2 steps × 0.5 s + 0.2 s decode + 0.1 s metric = 1.3 s → 10 s buys 7
    const byTime = planFast({ steps: 4, injectionStep: 2, budgetSeconds: 10, tStep: 0.5, tDecode: 0.2, tMetric: 0.1 });
    expect(byTime).toEqual({ steps: 4, injectionStep: 2, injectionSteps: [2], stems: [7], even: false });
    expect(planFast({ steps: 4, injectionStep: 2, budgetSeconds: 0.1, tStep: 0.5 }).stems).toEqual([1]);
  });

  it('rejects impossible plans with what to do', () => {
    expect(() => planFast({ steps: 4, injectionStep: 4, branches: 5 })).toThrow(/injectionStep must be an integer in 0…3, got 4/);
    expect(() => planFast({ steps: 4, branches: 5, maxImages: 5 })).toThrow(/exactly one of branches, maxImages and budgetSeconds/);
    expect(() => planFast({ steps: 4, branches: 2 })).toThrow(/branches must be an integer in 3…10000, got 2/);
    expect(() => planFast({ steps: 1, maxImages: 5 })).toThrow(/adaptive insertion needs an injection step ≥ 1/);
    expect(() => planFast({ steps: 4, budgetSeconds: 5 })).toThrow(/a time budget needs tStep > 0/);
    expect(() => planFast({ steps: 0, branches: 3 })).toThrow(/steps must be an integer in 1…10000/);
  });
});
