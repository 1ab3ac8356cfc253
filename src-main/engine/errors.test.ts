import { describe, expect, it } from 'vitest';
import { CodedError, ERROR_CODES, EngineError, deserializeError, serializeError } from './errors';
import { SchedulerConfigError } from './scheduler/config';
import { TokenizerError } from './tokenizer/errors';

describe('the error vocabulary', () => {
  it('is one table of upper-case codes, each with a meaning', () => {
    for (const [code, meaning] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]*$/);
      expect(meaning.length).toBeGreaterThan(5);
    }
    // One name per meaning: an invalid project is INVALID_PROJECT everywhere.
    expect(Object.keys(ERROR_CODES)).toContain('INVALID_PROJECT');
    expect(Object.keys(ERROR_CODES)).not.toContain('PROJECT_INVALID');
  });

  it('gives every coded error one shape that survives the worker seam', () => {
    const error = new EngineError('MODEL_FILE_MISSING', 'unet/model.onnx is missing.', { hint: 'Export the UNet again.', file: '/m/unet', path: ['model'] });
    expect(error).toBeInstanceOf(CodedError);
    expect(error.name).toBe('EngineError');
    const back = deserializeError(structuredClone(serializeError(error)));
    expect(back).toBeInstanceOf(EngineError);
    expect({ code: back.code, message: back.message, hint: back.hint, file: back.file, path: back.path }).toEqual({
      code: 'MODEL_FILE_MISSING',
      message: 'unet/model.onnx is missing.',
      hint: 'Export the UNet again.',
      file: '/m/unet',
      path: ['model'],
    });
  });

  it('codes the tokenizer and scheduler-config errors as a bad model config, naming the file', () => {
    expect(serializeError(new TokenizerError('vocab.json is not JSON', '/m/tokenizer/vocab.json'))).toMatchObject({ code: 'MODEL_BAD_CONFIG', file: '/m/tokenizer/vocab.json' });
    const scheduler = new SchedulerConfigError('beta_schedule "cosine" is not supported', 'beta_schedule', '/m/scheduler/scheduler_config.json');
    expect(scheduler).toMatchObject({ name: 'SchedulerConfigError', code: 'MODEL_BAD_CONFIG', key: 'beta_schedule', file: '/m/scheduler/scheduler_config.json' });
  });

  it('keeps a Node error code and makes anything else INTERNAL', () => {
    expect(serializeError(Object.assign(new Error('no such file'), { code: 'ENOENT' }))).toMatchObject({ code: 'ENOENT', message: 'no such file' });
    expect(serializeError(new RangeError('boom'))).toEqual({ code: 'INTERNAL', message: 'Internal error: boom' });
  });
});
