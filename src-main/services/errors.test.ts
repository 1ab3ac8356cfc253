import { describe, expect, it } from 'vitest';
import { ErrorSchema } from '../contract/contract';
import { EngineError } from '../engine/errors';
import { MediaError } from '../media/errors';
import { ProjectError } from '../project/errors';
import { AppError, toErrorData } from './errors';

describe('toErrorData', () => {
  it('sends every coded error as {code, message, path?, hint?}, nothing more', () => {
    const cases = [
      [new AppError('NO_PROJECT', 'Open a project first.', { hint: 'Use File > Open.' }), { code: 'NO_PROJECT', message: 'Open a project first.', hint: 'Use File > Open.' }],
      [new EngineError('CANCELLED', 'The job was cancelled.', { file: '/secret/dir' }), { code: 'CANCELLED', message: 'The job was cancelled.' }],
      [new MediaError('FFMPEG_NOT_FOUND', 'No ffmpeg.', { hint: 'Install ffmpeg.', file: '/usr/bin' }), { code: 'FFMPEG_NOT_FOUND', message: 'No ffmpeg.', hint: 'Install ffmpeg.' }],
    ] as const;
    for (const [error, data] of cases) {
      expect(toErrorData(error)).toEqual(data);
      expect(ErrorSchema.strict().parse(toErrorData(error))).toEqual(data);
    }
  });

  it('answers an invalid project as INVALID_PROJECT with the first field path', () => {
    const error = new ProjectError([{ path: 'transitions[1].depthStrength', message: 'must be at most 0.95' }], '/films/a.lbs.json');
    expect(toErrorData(error)).toEqual({ code: 'INVALID_PROJECT', message: error.message, path: ['transitions', 1, 'depthStrength'] });
    expect(toErrorData(new ProjectError([{ path: '', message: 'is not JSON' }]))).toEqual({ code: 'INVALID_PROJECT', message: 'Invalid project: is not JSON' });
  });
});
