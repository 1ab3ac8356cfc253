import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodePng, readPngFile } from '../media/png';
import { MediaError } from '../media/errors';
import { ErrorSchema } from '../contract/contract';
import { EngineError } from '../engine/errors';
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

/** An error with exactly the fields Node.js gives a failed file-system call. */
function systemError(code: string, errno: number, syscall: string, file: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${code.toLowerCase()} thing, ${syscall} '${file}'`), { code, errno, syscall, path: file });
}

describe('file-system errors reach the user in words', () => {
  it('a full disk, a read-only disk and a refused permission each get a code, the place and a hint, never the raw "ENOSPC: …"', () => {
    const cases = [
      [systemError('ENOSPC', -28, 'write', '/films/night.lbs.json'), 'DISK_FULL', 'Could not write /films/night.lbs.json: the disk is full.'],
      [systemError('EROFS', -30, 'open', '/mnt/cd/night.lbs.json'), 'READ_ONLY', 'Could not open /mnt/cd/night.lbs.json: it is on a read-only disk.'],
      [systemError('EACCES', -13, 'mkdir', '/root/masks'), 'PERMISSION_DENIED', 'Could not create the folder /root/masks: permission denied.'],
      [systemError('EWHATEVER', -999, 'open', '/x'), 'FILE_SYSTEM', 'Could not open /x: system error EWHATEVER.'],
    ] as const;
    for (const [error, code, message] of cases) {
      const data = toErrorData(error);
      expect(data).toMatchObject({ code, message });
      expect(data.hint).toBeTruthy();
      expect(data.message).not.toMatch(/^E[A-Z]+:/);
    }
  });

  it('the real error of a real failed call is put in words too', async () => {
    const error = await import('node:fs/promises').then((fs) => fs.readFile('/no/such/folder/film.lbs.json')).catch((e: unknown) => e);
    expect(toErrorData(error)).toMatchObject({ code: 'NOT_FOUND', message: 'Could not open /no/such/folder/film.lbs.json: it does not exist.' });
  });

  it('a damaged PNG is IMAGE_UNREADABLE naming the file, not pngjs\'s "read requests waiting on finished stream"', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lbs-errors-'));
    try {
      const file = path.join(dir, 'frame.png');
      const png = encodePng({ width: 8, height: 8, data: new Uint8Array(8 * 8 * 3) });
      await writeFile(file, png.subarray(0, png.length - 20));
      const error = await readPngFile(file).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MediaError);
      expect(toErrorData(error)).toMatchObject({ code: 'IMAGE_UNREADABLE', message: `The image ${file} is not a readable PNG (it is damaged or cut short).` });
      expect((error as Error).message).not.toMatch(/read requests|waitng|waiting/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
