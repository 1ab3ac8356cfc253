import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, truncate, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanupStaleTemps, isTempFileName, writeFileAtomic } from './atomic-write';
import { autosavePathFor, discardAutosave, readRecovery, writeAutosave } from './autosave';
import { createProject } from './create';
import { ProjectError } from './errors';
import { parseProject } from './parse';
import { CURRENT_PROJECT_VERSION, type Project } from './schema';
import { loadProject, saveProjectAtomic, serializeProject } from './store';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lbs-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('serializeProject', () => {
  it('writes 2-space JSON with a final newline in schema field order, whatever the build order', () => {
    const p = createProject(['a', 'b']);
    // Same content, keys inserted in reverse order.
    const reversed = Object.fromEntries(Object.entries(p).reverse()) as Project;
    const text = serializeProject(reversed);
    expect(text).toBe(serializeProject(p));
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toBe('  "format": "latent-blending-studio",');
    expect(text.split('\n')[2]).toBe(`  "version": ${CURRENT_PROJECT_VERSION},`);
    expect(JSON.parse(text)).toEqual(p);
  });
});

describe('saveProjectAtomic / loadProject', () => {
  it('round-trips a project', async () => {
    const file = path.join(dir, 'trip.lbs.json');
    const p = createProject(['one', 'two', 'three'], 'Trip');
    await saveProjectAtomic(file, p);
    expect(await loadProject(file)).toEqual(p);
    // Nothing but the project is left in the folder.
    expect(await readdir(dir)).toEqual(['trip.lbs.json']);
  });

  it('refuses to write an invalid project and leaves the previous file intact', async () => {
    const file = path.join(dir, 'trip.lbs.json');
    const good = createProject(['one', 'two']);
    await saveProjectAtomic(file, good);
    const before = await readFile(file, 'utf8');
    const bad = { ...good, transitions: [] } as Project;
    await expect(saveProjectAtomic(file, bad)).rejects.toThrow(/trip\.lbs\.json.*transitions: has 0 entries/);
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(await readdir(dir)).toEqual(['trip.lbs.json']);
  });

  it('opens nothing from an invalid file and does not touch it', async () => {
    const file = path.join(dir, 'bad.lbs.json');
    const text = JSON.stringify({ format: 'latent-blending-studio', version: 1, keyframes: [{ seed: -4 }] });
    await writeFile(file, text);
    const err = await loadProject(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProjectError);
    expect((err as ProjectError).message).toMatch(/bad\.lbs\.json.*keyframes\[0\]\.seed/);
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  it('does not rewrite a migrated file on open', async () => {
    const file = path.join(dir, 'old.lbs.json');
    const text = JSON.stringify({ version: 0, prompts: ['a', 'b'] });
    await writeFile(file, text);
    expect((await loadProject(file)).version).toBe(CURRENT_PROJECT_VERSION);
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  it('names a missing file', async () => {
    await expect(loadProject(path.join(dir, 'nope.lbs.json'))).rejects.toThrow(/nope\.lbs\.json.*file not found/);
    await expect(loadProject(dir)).rejects.toThrow(/is a folder/);
  });
});

describe('loadProject on files that are not projects', () => {
  it('never quotes the content of a file opened by mistake', async () => {
    const shadow = path.join(dir, 'shadow');
    await writeFile(shadow, 'root:*:20200:0:99999:7:::\ndaemon:*:20200:0:99999:7:::\n');
    const error = await loadProject(shadow).then(() => null, (e: unknown) => e as Error);
    expect(error).toBeInstanceOf(ProjectError);
    expect(error!.message).toContain(shadow);
    expect(error!.message).not.toMatch(/root|20200|daemon/);
    // Valid JSON that is some other program's file: refused without listing its keys.
    const pkg = path.join(dir, 'package.json');
    await writeFile(pkg, JSON.stringify({ name: 'secret-internal-tool', version: '1.0.0', dependencies: { left: '1' } }));
    const other = await loadProject(pkg).then(() => null, (e: unknown) => e as Error);
    expect(other!.message).toMatch(/is not a Latent Blending Studio project/);
    expect(other!.message).not.toMatch(/secret-internal-tool|dependencies/);
  });

  it('refuses devices, pipes and huge files before reading them', async () => {
    const zero = await loadProject('/dev/zero').then(() => null, (e: unknown) => e as Error);
    expect(zero!.message).toMatch(/is not a regular file/);
    const fifo = path.join(dir, 'pipe.lbs.json');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // A FIFO with no writer would block a plain read forever.
    await expect(loadProject(fifo)).rejects.toThrow(/is not a regular file/);
    const big = path.join(dir, 'big.lbs.json');
    await writeFile(big, '');
    await truncate(big, 33 * 1024 * 1024);
    await expect(loadProject(big)).rejects.toThrow(/far larger than a project file/);
  });
});

describe('crash safety', () => {
  function runChild(target: string, mode: 'crash' | 'finish') {
    return spawnSync(process.execPath, ['--import', 'tsx', path.join(here, 'testdata/save-then-maybe-crash.ts'), target, mode], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 60_000,
    });
  }

  it('a process killed between write and rename leaves the old file and a recognisable temp file', async () => {
    const file = path.join(dir, 'movie.lbs.json');
    const old = createProject(['the old version', 'still here'], 'Old');
    await saveProjectAtomic(file, old);
    const oldBytes = await readFile(file, 'utf8');

    const child = runChild(file, 'crash');
    expect(child.signal).toBe('SIGKILL');

    // The target is exactly the old file, and it still opens.
    expect(await readFile(file, 'utf8')).toBe(oldBytes);
    expect((await loadProject(file)).name).toBe('Old');

    // The complete-but-unrenamed temp file is there, named so that it can be recognised.
    const leftovers = (await readdir(dir)).filter((n) => n !== 'movie.lbs.json');
    expect(leftovers).toHaveLength(1);
    expect(isTempFileName(leftovers[0])).toBe(true);
    expect(leftovers[0].startsWith('.movie.lbs.json.')).toBe(true);

    // The writer is dead, so its temp file is stale and gets cleaned.
    const removed = await cleanupStaleTemps(dir);
    expect(removed.map((f) => path.basename(f))).toEqual(leftovers);
    expect(await readdir(dir)).toEqual(['movie.lbs.json']);

    // A writer that is allowed to finish replaces the file completely.
    const done = runChild(file, 'finish');
    expect(done.status, done.stderr).toBe(0);
    expect((await loadProject(file)).name).toBe('New');
    expect(await readdir(dir)).toEqual(['movie.lbs.json']);
  });

  it('cleanupStaleTemps keeps temp files of live processes and unrelated files', async () => {
    const mine = path.join(dir, `.x.lbs.json.${process.pid}.0123456789ab.lbs-tmp`);
    await writeFile(mine, 'in flight');
    await writeFile(path.join(dir, 'notes.txt'), 'keep');
    expect(await cleanupStaleTemps(dir)).toEqual([]);
    // Very old temp files go even when their pid is alive (pids are reused).
    const old = new Date(Date.now() - 48 * 3600 * 1000);
    await utimes(mine, old, old);
    expect(await cleanupStaleTemps(dir)).toEqual([mine]);
    expect(await readdir(dir)).toEqual(['notes.txt']);
    expect(await cleanupStaleTemps(path.join(dir, 'missing'))).toEqual([]);
  });

  it('writeFileAtomic removes its temp file when the write fails before the rename', async () => {
    const target = path.join(dir, 'f.bin');
    await expect(
      writeFileAtomic(target, 'data', {
        beforeRename: () => {
          throw new Error('disk full');
        },
      }),
    ).rejects.toThrow('disk full');
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('autosave', () => {
  const file = () => path.join(dir, 'movie.lbs.json');
  const at = async (p: string, secondsAgo: number) => {
    const t = new Date(Date.now() - secondsAgo * 1000);
    await utimes(p, t, t);
  };

  it('lives in a hidden sidecar next to the project', () => {
    expect(autosavePathFor('/films/movie.lbs.json')).toBe(path.join('/films', '.movie.lbs.json.autosave'));
  });

  it('offers a newer, different autosave for recovery', async () => {
    const saved = createProject(['a', 'b'], 'Saved');
    await saveProjectAtomic(file(), saved);
    await at(file(), 60);
    const edited = parseProject({ ...saved, name: 'Edited' });
    await writeAutosave(file(), edited);
    const recovery = await readRecovery(file());
    expect(recovery?.project).toEqual(edited);
    expect(recovery?.autosavePath).toBe(autosavePathFor(file()));
  });

  it('offers nothing when the autosave is older or identical', async () => {
    const saved = createProject(['a', 'b'], 'Saved');
    await saveProjectAtomic(file(), saved);
    await writeAutosave(file(), parseProject({ ...saved, name: 'Edited' }));
    await at(autosavePathFor(file()), 60);
    expect(await readRecovery(file())).toBeUndefined();

    await writeAutosave(file(), saved);
    await at(file(), 60);
    expect(await readRecovery(file())).toBeUndefined();
  });

  it('offers the autosave of a never-saved project, or when the project file is broken', async () => {
    const edited = createProject(['x', 'y'], 'Unsaved');
    await writeAutosave(file(), edited);
    expect((await readRecovery(file()))?.project.name).toBe('Unsaved');

    await writeFile(file(), '{ broken');
    await at(file(), 60);
    expect((await readRecovery(file()))?.project.name).toBe('Unsaved');
  });

  it('ignores an unreadable autosave but leaves it in place; discard removes it', async () => {
    await writeFile(autosavePathFor(file()), 'not json');
    expect(await readRecovery(file())).toBeUndefined();
    expect(await readdir(dir)).toContain('.movie.lbs.json.autosave');
    await discardAutosave(file());
    expect(await readdir(dir)).toEqual([]);
    await expect(discardAutosave(file())).resolves.toBeUndefined();
  });
});
