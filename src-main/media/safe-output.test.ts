import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stageOutput } from './safe-output';
import { mediaFailure } from './test-support/media-failure';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'safe-output-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('stageOutput', () => {
  it('writes beside the target under a hidden partial name and keeps the old file until commit', async () => {
    const target = join(dir, 'movie.mp4');
    await writeFile(target, 'old');
    const staged = await stageOutput(target, 'file');
    expect(staged.temp.startsWith(join(dir, '.movie.partial-'))).toBe(true);
    expect(staged.temp.endsWith('.mp4')).toBe(true);
    await writeFile(staged.temp, 'new');
    expect(await readFile(target, 'utf8')).toBe('old');
    await staged.commit();
    expect(await readFile(target, 'utf8')).toBe('new');
    expect((await readdir(dir)).filter((n) => n.includes('partial'))).toEqual([]);
  });

  it('discard leaves the old file intact and no temporary file behind', async () => {
    const target = join(dir, 'keep.webm');
    await writeFile(target, 'precious');
    const staged = await stageOutput(target, 'file');
    await writeFile(staged.temp, 'half-written');
    await staged.discard();
    expect(await readFile(target, 'utf8')).toBe('precious');
    expect((await readdir(dir)).filter((n) => n.startsWith('.keep'))).toEqual([]);
  });

  it('replaces an existing frame folder whole on commit', async () => {
    const target = join(dir, 'frames');
    await mkdir(target);
    await writeFile(join(target, 'stale.png'), 'x');
    const staged = await stageOutput(target, 'dir');
    await writeFile(join(staged.temp, '00000.png'), 'y');
    await staged.commit();
    expect(await readdir(target)).toEqual(['00000.png']);
    expect((await readdir(dir)).filter((n) => n.startsWith('.frames'))).toEqual([]);
  });

  it('fails clearly when the folder does not exist', async () => {
    const error = await mediaFailure(stageOutput(join(dir, 'missing', 'out.mp4'), 'file'));
    expect(error.code).toBe('OUTPUT_NOT_WRITABLE');
    expect(error.message).toContain(join(dir, 'missing'));
    expect(error.message).toContain('does not exist');
  });

  it('fails clearly when a file is in the way of the folder', async () => {
    const file = join(dir, 'file.txt');
    await writeFile(file, 'not a folder');
    const error = await mediaFailure(stageOutput(join(file, 'out.mp4'), 'file'));
    expect(error.code).toBe('OUTPUT_NOT_WRITABLE');
    expect(error.message).toContain('is not a folder');
  });

  it('refuses to write a video over a folder, or a frame folder over a file', async () => {
    await mkdir(join(dir, 'taken.mp4'));
    expect((await mediaFailure(stageOutput(join(dir, 'taken.mp4'), 'file'))).message).toContain('a folder already exists');
    await writeFile(join(dir, 'taken-frames'), 'file');
    expect((await mediaFailure(stageOutput(join(dir, 'taken-frames'), 'dir'))).message).toContain('a file already exists');
  });
});
