import { describe, expect, it } from 'vitest';
import { SD2_BASE_SCHEDULER_CONFIG, type SchedulerConfig } from './config';
import { makeSchedule } from './schedule';
import { numpyArange, numpyLinspace, roundHalfEven } from './timesteps';

const SD2 = SD2_BASE_SCHEDULER_CONFIG;
const withSpacing = (timestepSpacing: SchedulerConfig['timestepSpacing']): SchedulerConfig => ({ ...SD2, timestepSpacing });

describe('DDIM timesteps', () => {
  it('leading (the SD 2 default): reference N = 30 list and N = 50 / 20 starts', () => {
    // Reference doc: arange(N)·(1000 // N), reversed, + steps_offset 1 → 958 − 33k.
    expect(makeSchedule(SD2, 'ddim', 30).timesteps).toEqual([
      958, 925, 892, 859, 826, 793, 760, 727, 694, 661, 628, 595, 562, 529, 496,
      463, 430, 397, 364, 331, 298, 265, 232, 199, 166, 133, 100, 67, 34, 1,
    ]);
    expect(makeSchedule(SD2, 'ddim', 50).timesteps.slice(0, 2)).toEqual([981, 961]);
    expect(makeSchedule(SD2, 'ddim', 20).timesteps.slice(0, 2)).toEqual([951, 901]);
  });

  it('trailing, N = 30', () => {
    // diffusers: round(arange(1000, 0, −1000/30)) − 1. The values 1000 − 33.3̅·k have
    // fractions .0/.33/.67, so: 1000→999, 966.67→967→966, 933.33→933→932, 900→899, …,
    // 66.67→67→66, 33.33→33→32 (no steps_offset for trailing).
    expect(makeSchedule(withSpacing('trailing'), 'ddim', 30).timesteps).toEqual([
      999, 966, 932, 899, 866, 832, 799, 766, 732, 699, 666, 632, 599, 566, 532,
      499, 466, 432, 399, 366, 332, 299, 266, 232, 199, 166, 132, 99, 66, 32,
    ]);
  });

  it('trailing, N = 16 rounds exact halves to even like numpy', () => {
    // 1000 − 62.5k: 937.5→938, 875, 812.5→812, 750, 687.5→688, 625, 562.5→562, 500,
    // 437.5→438, 375, 312.5→312, 250, 187.5→188, 125, 62.5→62; then − 1.
    expect(makeSchedule(withSpacing('trailing'), 'ddim', 16).timesteps).toEqual([
      999, 937, 874, 811, 749, 687, 624, 561, 499, 437, 374, 311, 249, 187, 124, 61,
    ]);
  });

  it('linspace, N = 30', () => {
    // diffusers: round(linspace(0, 999, 30)) reversed; k·999/29 = 34k + 13k/29 never ends in .5:
    // 999, 964.55→965, 930.10→930, 895.66→896, 861.21→861, 826.76→827, 792.31→792, 757.86→758,
    // 723.41→723, 688.97→689, 654.52→655, 620.07→620, 585.62→586, 551.17→551, 516.72→517,
    // 482.28→482, 447.83→448, 413.38→413, 378.93→379, 344.48→344, 310.03→310, 275.59→276,
    // 241.14→241, 206.69→207, 172.24→172, 137.79→138, 103.34→103, 68.90→69, 34.45→34, 0.
    expect(makeSchedule(withSpacing('linspace'), 'ddim', 30).timesteps).toEqual([
      999, 965, 930, 896, 861, 827, 792, 758, 723, 689, 655, 620, 586, 551, 517,
      482, 448, 413, 379, 344, 310, 276, 241, 207, 172, 138, 103, 69, 34, 0,
    ]);
  });
});

describe('DPM-Solver++ timesteps', () => {
  it('linspace (the DPM default when the file has no timestep_spacing): reference N = 30 list', () => {
    // round(linspace(0, 999, 31)) reversed, last dropped. numpy computes k·(999/30) in double:
    // 25·33.3 = 832.4999…→832 (doc), 15·33.3 = 499.4999…→499, 5·33.3 = 166.5 → 166 (half to even).
    expect(makeSchedule(SD2, 'dpmpp-2m', 30).timesteps).toEqual([
      999, 966, 932, 899, 866, 832, 799, 766, 733, 699, 666, 633, 599, 566, 533,
      499, 466, 433, 400, 366, 333, 300, 266, 233, 200, 166, 133, 100, 67, 33,
    ]);
  });

  it('leading, N = 30', () => {
    // arange(31)·(1000 // 31 = 32) reversed, last (0) dropped, + steps_offset 1 → 961 − 32k.
    const expected = Array.from({ length: 30 }, (_, k) => 961 - 32 * k);
    expect(makeSchedule(withSpacing('leading'), 'dpmpp-2m', 30).timesteps).toEqual(expected);
    expect(expected.at(-1)).toBe(33);
  });

  it('trailing, N = 30 (same formula as DDIM trailing)', () => {
    expect(makeSchedule(withSpacing('trailing'), 'dpmpp-2m', 30).timesteps).toEqual(
      makeSchedule(withSpacing('trailing'), 'ddim', 30).timesteps,
    );
  });
});

describe('numpy helpers', () => {
  it('roundHalfEven', () => {
    expect([0.5, 1.5, 2.5, -2.5, -1.5, 2.4999, 2.5001].map(roundHalfEven)).toEqual([0, 2, 2, -2, -2, 2, 3]);
  });

  it('numpyLinspace and numpyArange', () => {
    expect(numpyLinspace(0, 1, 5)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(numpyLinspace(3, 9, 1)).toEqual([3]);
    expect(numpyArange(10, 0, -2.5)).toEqual([10, 7.5, 5, 2.5]);
    expect(numpyArange(0, 10, -1)).toEqual([]);
  });
});

describe('step count limits', () => {
  it('rejects step counts outside 1 … num_train_timesteps', () => {
    expect(() => makeSchedule(SD2, 'ddim', 0)).toThrow(/0 steps is not possible; choose a whole number from 1 to 1000/);
    expect(() => makeSchedule(SD2, 'dpmpp-2m', 1001)).toThrow(/1001 steps is not possible/);
    expect(() => makeSchedule(SD2, 'ddim', 2.5)).toThrow(/2\.5 steps/);
    expect(() => makeSchedule(SD2, 'lms' as never, 30)).toThrow(/Unknown scheduler "lms"/);
  });

  it('rejects schedules whose timesteps leave the model range or repeat', () => {
    // leading with steps_offset 1 and N = 1000 would ask the UNet for t = 1000.
    expect(() => makeSchedule(SD2, 'ddim', 1000)).toThrow(/gives timestep 1000, outside the model's 0…999/);
    // linspace(0, 999, 1001) rounds two neighbours to the same integer.
    expect(() => makeSchedule(SD2, 'dpmpp-2m', 1000)).toThrow(/repeats timestep/);
    expect(makeSchedule({ ...SD2, stepsOffset: 0 }, 'ddim', 1000).timesteps.at(0)).toBe(999);
    expect(makeSchedule(SD2, 'ddim', 1).timesteps).toEqual([1]);
    expect(makeSchedule(SD2, 'dpmpp-2m', 1).timesteps).toEqual([999]);
  });
});

describe('noise level after each step', () => {
  it('matches the DDIM and DPM-Solver++ step targets and ends clean for DPM (σ = 0)', async () => {
    const { makeSchedule, noiseLevelAfterStep } = await import('./schedule');
    const { alphasCumprod } = await import('./alphas');
    const { SD2_BASE_SCHEDULER_CONFIG } = await import('./config');
    const abar = alphasCumprod(SD2_BASE_SCHEDULER_CONFIG);
    const ddim = makeSchedule(SD2_BASE_SCHEDULER_CONFIG, 'ddim', 30);
    // After step 0 (t = 958) DDIM lands on t = 925: signal √ᾱ[925], noise √(1 − ᾱ[925]).
    expect(noiseLevelAfterStep(ddim, 0).signal).toBeCloseTo(Math.sqrt(abar[925]), 6);
    expect(noiseLevelAfterStep(ddim, 0).noise).toBeCloseTo(Math.sqrt(1 - abar[925]), 6);
    // After the last step (t = 1 → prev −29) set_alpha_to_one is false: the final ᾱ is ᾱ[0].
    expect(noiseLevelAfterStep(ddim, 29).signal).toBeCloseTo(Math.sqrt(abar[0]), 6);
    const dpm = makeSchedule(SD2_BASE_SCHEDULER_CONFIG, 'dpmpp-2m', 30);
    expect(noiseLevelAfterStep(dpm, 29)).toEqual({ signal: 1, noise: 0 });
    // Variance preserving: signal² + noise² = 1 at every step.
    for (let i = 0; i < 30; i++) {
      const { signal, noise } = noiseLevelAfterStep(dpm, i);
      expect(signal * signal + noise * noise).toBeCloseTo(1, 5);
    }
    expect(() => noiseLevelAfterStep(dpm, 30)).toThrow(/outside 0…29/);
  });
});
