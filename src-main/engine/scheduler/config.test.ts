import { describe, expect, it } from 'vitest';
import {
  parseSchedulerConfig,
  resolveTimestepSpacing,
  SchedulerConfigError,
  SD2_BASE_SCHEDULER_CONFIG,
  SD2_BASE_SCHEDULER_JSON,
} from './config';

const FILE = '/models/sd21/scheduler/scheduler_config.json';

function parseError(json: unknown): SchedulerConfigError {
  try {
    parseSchedulerConfig(json, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(SchedulerConfigError);
    return error as SchedulerConfigError;
  }
  throw new Error('expected parseSchedulerConfig to fail');
}

describe('parseSchedulerConfig', () => {
  it('reads the SD 2.1 base config into SD2_BASE_SCHEDULER_CONFIG', () => {
    expect(parseSchedulerConfig(SD2_BASE_SCHEDULER_JSON, FILE)).toEqual(SD2_BASE_SCHEDULER_CONFIG);
  });

  it('reads the 768 model (v_prediction) and other DDIM-family class names the same way', () => {
    const v = parseSchedulerConfig({ ...SD2_BASE_SCHEDULER_JSON, _class_name: 'PNDMScheduler', prediction_type: 'v_prediction' });
    expect(v).toEqual({ ...SD2_BASE_SCHEDULER_CONFIG, predictionType: 'v_prediction' });
  });

  it('fills absent keys with DDIMScheduler defaults, as DDIMScheduler.from_config does', () => {
    expect(parseSchedulerConfig({})).toEqual({
      numTrainTimesteps: 1000,
      betaStart: 0.0001,
      betaEnd: 0.02,
      betaSchedule: 'linear',
      predictionType: 'epsilon',
      setAlphaToOne: true,
      stepsOffset: 0,
      clipSample: true,
      clipSampleRange: 1,
    });
  });

  it('keeps an explicit timestep_spacing, and without one each scheduler uses its diffusers default', () => {
    expect(parseSchedulerConfig({ ...SD2_BASE_SCHEDULER_JSON, timestep_spacing: 'trailing' }).timestepSpacing).toBe('trailing');
    const absent = parseSchedulerConfig(SD2_BASE_SCHEDULER_JSON);
    expect(absent.timestepSpacing).toBeUndefined();
    expect(resolveTimestepSpacing(absent, 'ddim')).toBe('leading');
    expect(resolveTimestepSpacing(absent, 'dpmpp-2m')).toBe('linspace');
  });

  it('reads trained_betas, clip_sample_range and squaredcos_cap_v2', () => {
    const betas = Array.from({ length: 10 }, (_, i) => 0.01 + i * 0.01);
    const cfg = parseSchedulerConfig({ num_train_timesteps: 10, trained_betas: betas, clip_sample_range: 2.5 });
    expect(cfg.trainedBetas).toEqual(betas);
    expect(cfg.clipSampleRange).toBe(2.5);
    expect(parseSchedulerConfig({ beta_schedule: 'squaredcos_cap_v2' }).betaSchedule).toBe('squaredcos_cap_v2');
  });

  it('notes DPM-Solver options the studio does not follow instead of failing', () => {
    const cfg = parseSchedulerConfig({ ...SD2_BASE_SCHEDULER_JSON, _class_name: 'DPMSolverMultistepScheduler', use_karras_sigmas: true, solver_order: 2 });
    expect(cfg.notes).toEqual([expect.stringMatching(/use_karras_sigmas = true is ignored/)]);
  });

  it('rejects prediction_type "sample" with the file, the key and what to do', () => {
    const e = parseError({ ...SD2_BASE_SCHEDULER_JSON, prediction_type: 'sample' });
    expect(e.key).toBe('prediction_type');
    expect(e.file).toBe(FILE);
    expect(e.message).toContain(FILE);
    expect(e.message).toMatch(/"prediction_type" is "sample", which the studio does not support/);
  });

  it('names the key and the allowed values for unknown choices', () => {
    expect(parseError({ ...SD2_BASE_SCHEDULER_JSON, beta_schedule: 'sigmoid' }).message).toMatch(
      /"beta_schedule" is "sigmoid"; supported values are "linear", "scaled_linear", "squaredcos_cap_v2"/,
    );
    expect(parseError({ ...SD2_BASE_SCHEDULER_JSON, prediction_type: 'flow' }).key).toBe('prediction_type');
    expect(parseError({ ...SD2_BASE_SCHEDULER_JSON, timestep_spacing: 'uniform' }).key).toBe('timestep_spacing');
  });

  it('rejects wrongly typed or out-of-range values', () => {
    expect(parseError({ ...SD2_BASE_SCHEDULER_JSON, num_train_timesteps: '1000' }).message).toMatch(
      /"num_train_timesteps" is "1000"; it must be an integer from 1 to 100000/,
    );
    expect(parseError({ ...SD2_BASE_SCHEDULER_JSON, num_train_timesteps: 0 }).key).toBe('num_train_timesteps');
    expect(parseError({ ...SD2_BASE_SCHEDULER_JSON, beta_start: -1 }).key).toBe('beta_start');
    expect(parseError({ ...SD2_BASE_SCHEDULER_JSON, beta_end: 'high' }).key).toBe('beta_end');
    expect(parseError({ ...SD2_BASE_SCHEDULER_JSON, beta_start: 0.02, beta_end: 0.01 }).message).toMatch(/larger than beta_end/);
    expect(parseError({ ...SD2_BASE_SCHEDULER_JSON, clip_sample: 'no' }).message).toMatch(/"clip_sample" is "no"; it must be true or false/);
    expect(parseError({ ...SD2_BASE_SCHEDULER_JSON, steps_offset: 1.5 }).key).toBe('steps_offset');
    expect(parseError({ ...SD2_BASE_SCHEDULER_JSON, clip_sample_range: 0 }).key).toBe('clip_sample_range');
    expect(parseError({ ...SD2_BASE_SCHEDULER_JSON, trained_betas: [0.1, 2] }).key).toBe('trained_betas');
    expect(parseError({ ...SD2_BASE_SCHEDULER_JSON, trained_betas: [0.1, 0.2] }).message).toMatch(/has 2 values but num_train_timesteps is 1000/);
  });

  it('rejects settings that change the math and the engine does not support (thresholding, zero-SNR rescaling)', () => {
    expect(parseError({ ...SD2_BASE_SCHEDULER_JSON, thresholding: true }).message).toMatch(/"thresholding" is true; dynamic thresholding is not supported/);
    expect(parseError({ ...SD2_BASE_SCHEDULER_JSON, rescale_betas_zero_snr: true }).key).toBe('rescale_betas_zero_snr');
    expect(parseSchedulerConfig({ ...SD2_BASE_SCHEDULER_JSON, thresholding: false })).toEqual(SD2_BASE_SCHEDULER_CONFIG);
  });

  it('rejects anything but a JSON object, naming the file', () => {
    for (const bad of [null, [], 'DDIM', 42]) {
      const e = parseError(bad);
      expect(e.message).toContain(`${FILE} must hold a JSON object`);
    }
    expect(() => parseSchedulerConfig([])).toThrow(/scheduler_config\.json must hold a JSON object/);
  });
});
