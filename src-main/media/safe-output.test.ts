import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { EXPORT_FOLDER_MANIFEST, stageOutput } from './safe-output';
import { mediaFailure } from './testing/media-failure';

const FILE = { kind: 'file', format: 'mp4' } as const;
const DIR = { kind: 'dir', format: 'png' } as const;
/** The first bytes of a real mp4 / webm: what the target check recognises. */
const MP4_HEAD = Buffer.from('000000206674797069736f6d', 'hex');
const WEBM_HEAD = Buffer.from('1a45dfa3', 'hex');

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
    await writeFile(target, Buffer.concat([MP4_HEAD, Buffer.from('old')]));
    const staged = await stageOutput(target, { kind: 'file', format: target.endsWith('.webm') ? 'webm' : 'mp4' });
    expect(staged.temp.startsWith(join(dir, '.movie.partial-'))).toBe(true);
    expect(staged.temp.endsWith('.mp4')).toBe(true);
    await writeFile(staged.temp, 'new');
    expect((await readFile(target)).subarray(MP4_HEAD.length).toString()).toBe('old');
    await staged.commit();
    expect(await readFile(target, 'utf8')).toBe('new');
    expect((await readdir(dir)).filter((n) => n.includes('partial'))).toEqual([]);
  });

  it('discard leaves the old file intact and no temporary file behind', async () => {
    const target = join(dir, 'keep.webm');
    await writeFile(target, Buffer.concat([WEBM_HEAD, Buffer.from('precious')]));
    const staged = await stageOutput(target, { kind: 'file', format: target.endsWith('.webm') ? 'webm' : 'mp4' });
    await writeFile(staged.temp, 'half-written');
    await staged.discard();
    expect((await readFile(target)).subarray(WEBM_HEAD.length).toString()).toBe('precious');
    expect((await readdir(dir)).filter((n) => n.startsWith('.keep'))).toEqual([]);
  });

  it('replaces a frame folder the studio wrote whole on commit, and marks the new one as its own', async () => {
    const target = join(dir, 'frames');
    await mkdir(target);
    await writeFile(join(target, 'stale.png'), 'x');
    await writeFile(join(target, EXPORT_FOLDER_MANIFEST), '{}');
    const staged = await stageOutput(target, DIR);
    await writeFile(join(staged.temp, '00000.png'), 'y');
    await staged.commit();
    expect((await readdir(target)).sort()).toEqual(['00000.png', EXPORT_FOLDER_MANIFEST]);
    expect((await readdir(dir)).filter((n) => n.startsWith('.frames'))).toEqual([]);
    // The folder just written is recognised: exporting again replaces it.
    await (await stageOutput(target, DIR)).discard();
  });

  it('refuses to replace a folder it did not write (a typo naming a home folder erases nothing)', async () => {
    const home = join(dir, 'home');
    await mkdir(join(home, 'Documents'), { recursive: true });
    await writeFile(join(home, 'Documents', 'thesis.txt'), 'years of work');
    const error = await mediaFailure(stageOutput(home, DIR));
    expect(error.code).toBe('OVERWRITE_REFUSED');
    expect(error.message).toContain(home);
    expect(await readFile(join(home, 'Documents', 'thesis.txt'), 'utf8')).toBe('years of work');
    expect((await readdir(dir)).filter((n) => n.startsWith('.home'))).toEqual([]);
    // An empty folder holds nothing to lose.
    await mkdir(join(dir, 'empty'));
    await (await stageOutput(join(dir, 'empty'), DIR)).discard();
  });

  it('refuses to replace a file of another kind unless that exact path was confirmed', async () => {
    const notes = join(dir, 'notes.mp4');
    await writeFile(notes, 'my notes');
    const error = await mediaFailure(stageOutput(notes, FILE));
    expect(error.code).toBe('OVERWRITE_NEEDS_CONFIRMATION');
    expect(error.message).toContain('not a MP4 video');
    // A webm named .mp4 is a video, but not of the kind being written.
    const webm = join(dir, 'clip.mp4');
    await writeFile(webm, WEBM_HEAD);
    expect((await mediaFailure(stageOutput(webm, FILE))).message).toContain('a WEBM video');
    // Confirming another path does not count; confirming this one does.
    await mediaFailure(stageOutput(notes, { ...FILE, overwrite: webm }));
    const staged = await stageOutput(notes, { ...FILE, overwrite: notes });
    await writeFile(staged.temp, 'video');
    await staged.commit();
    expect(await readFile(notes, 'utf8')).toBe('video');
  });

  it('fails up front with DISK_FULL when the folder has less space than the smallest plausible output', async () => {
    const target = join(dir, 'huge.mp4');
    const error = await mediaFailure(stageOutput(target, { ...FILE, minimumBytes: Number.MAX_SAFE_INTEGER }));
    expect(error.code).toBe('DISK_FULL');
    expect(error.message).toMatch(/needs at least .* MB, .* MB are free/);
    expect((await readdir(dir)).filter((n) => n.startsWith('.huge'))).toEqual([]);
  });

  it('removes temporaries a killed export left behind when the folder is next used, not those of live processes', async () => {
    const folder = join(dir, 'stale');
    await mkdir(folder);
    const dead = await deadPid();
    await writeFile(join(folder, `.movie.partial-${dead}-0badc0de.mp4`), 'half');
    await mkdir(join(folder, `.frames.partial-${dead}-0badc0de`));
    await mkdir(join(folder, `.frames.old-${dead}-0badc0de`));
    const live = `.other.partial-${process.pid}-0badc0de.mp4`;
    await writeFile(join(folder, live), 'being written');
    await writeFile(join(folder, '.movie.partial-notes.txt'), 'a user file that only looks similar');
    await (await stageOutput(join(folder, 'movie.mp4'), FILE)).discard();
    expect((await readdir(folder)).sort()).toEqual(['.movie.partial-notes.txt', live]);
  });

  it('fails clearly when the folder does not exist', async () => {
    const error = await mediaFailure(stageOutput(join(dir, 'missing', 'out.mp4'), FILE));
    expect(error.code).toBe('OUTPUT_NOT_WRITABLE');
    expect(error.message).toContain(join(dir, 'missing'));
    expect(error.message).toContain('does not exist');
  });

  it('fails clearly when a file is in the way of the folder', async () => {
    const file = join(dir, 'file.txt');
    await writeFile(file, 'not a folder');
    const error = await mediaFailure(stageOutput(join(file, 'out.mp4'), FILE));
    expect(error.code).toBe('OUTPUT_NOT_WRITABLE');
    expect(error.message).toContain('is not a folder');
  });

  it('refuses to write a video over a folder, or a frame folder over a file', async () => {
    await mkdir(join(dir, 'taken.mp4'));
    expect((await mediaFailure(stageOutput(join(dir, 'taken.mp4'), FILE))).message).toContain('a folder already exists');
    await writeFile(join(dir, 'taken-frames'), 'file');
    expect((await mediaFailure(stageOutput(join(dir, 'taken-frames'), DIR))).message).toContain('a file already exists');
  });
});

/** The pid of a process that has exited (and so cannot own a temporary file). */
async function deadPid(): Promise<number> {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid!;
}

describe('system folders', () => {
  it('refuses to stage or check an output in a system folder before touching it, for files and frame folders', async () => {
    const { checkOutputTarget } = await import('./safe-output');
    await expect(stageOutput('/etc/movie.mp4', FILE)).rejects.toMatchObject({ code: 'SYSTEM_FOLDER', file: '/etc/movie.mp4' });
    await expect(stageOutput('/usr/frames', DIR)).rejects.toMatchObject({ code: 'SYSTEM_FOLDER', message: expect.stringContaining('/usr is a system folder') });
    await expect(checkOutputTarget('/movie.mp4', FILE)).rejects.toMatchObject({ code: 'SYSTEM_FOLDER' });
    // Even a confirmed overwrite does not open a system folder.
    await expect(checkOutputTarget('/etc/hostname', { ...FILE, overwrite: '/etc/hostname' })).rejects.toMatchObject({ code: 'SYSTEM_FOLDER' });
    // A folder of one's own is fine.
    await expect(checkOutputTarget(join(dir, 'fine.mp4'), FILE)).resolves.toBeUndefined();
  });
});
