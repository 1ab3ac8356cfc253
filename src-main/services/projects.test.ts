import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyChanges } from '../contract/contract';
import { isTempFileName } from '../project/atomic-write';
import { autosavePathFor } from '../project/autosave';
import { createProject } from '../project/create';
import { loadProject, saveProjectAtomic } from '../project/store';
import { AppError, toErrorData } from './errors';
import { MediaRoots } from './media/media-roots';
import { processStartTime, type StudioIdentity } from '../project/draft-lock';
import { ProjectsService } from './projects';
import { SettingsStore, configDir } from './settings';
import { until, withTempDir } from './testing/temp';

function makeService(config: string, autosaveIdleMs = 40, studio?: StudioIdentity) {
  const projects = new ProjectsService({ settings: new SettingsStore(config), media: new MediaRoots('/media'), autosaveIdleMs, studio });
  return { projects };
}

/** A studio that crashed: its process has exited (a finished child's pid). */
function crashedStudio(): StudioIdentity {
  const pid = spawnSync(process.execPath, ['-e', '']).pid;
  return { pid, startedAt: processStartTime(pid) ?? 0 };
}

describe('ProjectsService', () => {
  it('saves as, reopens, and keeps a recent list in the settings file', async () => {
    await withTempDir(async (dir) => {
      const config = path.join(dir, 'config');
      const { projects } = makeService(config);
      const created = await projects.create(['a red fox', 'a blue whale', 'a green forest']);
      expect(created.path).toBeNull();
      expect(created.project.keyframes.map((k) => k.prompt)).toEqual(['a red fox', 'a blue whale', 'a green forest']);
      // Every new keyframe gets its own seed (2³² values: a collision is a bug, not luck).
      expect(new Set(created.project.keyframes.map((k) => k.seed)).size).toBe(3);
      await expect(projects.save()).rejects.toMatchObject({ code: 'NO_PATH' });

      const file = path.join(dir, 'fox.lbs.json');
      const saved = await projects.saveAs(file);
      expect(saved).toMatchObject({ path: file, dirty: false });
      expect((await loadProject(file)).keyframes).toHaveLength(3);

      // A second process (a restart) sees the same recent list through the settings file.
      const again = makeService(config).projects;
      expect((await again.recent()).map((r) => r.path)).toEqual([file]);
      const reopened = await again.open(file);
      expect(reopened.project).toEqual(saved.project);
    });
  });

  it('carries the render cache of an untitled project to the saved file, and copies it on Save As', async () => {
    await withTempDir(async (dir) => {
      const { projects } = makeService(path.join(dir, 'config'));
      await projects.create(['a red fox', 'a blue whale']);
      const untitledCache = projects.cacheDirForRender();
      await mkdir(path.join(untitledCache, 'images'), { recursive: true });
      await writeFile(path.join(untitledCache, 'images', 'x.png'), 'rendered');
      const file = path.join(dir, 'fox.lbs.json');
      await projects.saveAs(file);
      expect(projects.cacheDirForRender()).toBe(path.join(dir, 'fox.lbs.cache'));
      expect(await readFile(path.join(dir, 'fox.lbs.cache', 'images', 'x.png'), 'utf8')).toBe('rendered');
      expect(existsSync(untitledCache)).toBe(false);

      const copy = path.join(dir, 'copy', 'fox2.lbs.json');
      await mkdir(path.dirname(copy));
      await projects.saveAs(copy);
      expect(await readFile(path.join(dir, 'copy', 'fox2.lbs.cache', 'images', 'x.png'), 'utf8')).toBe('rendered');
      expect(existsSync(path.join(dir, 'fox.lbs.cache', 'images', 'x.png'))).toBe(true);
    });
  });

  it('opens nothing from an invalid file, says why, and leaves the file untouched', async () => {
    await withTempDir(async (dir) => {
      const { projects } = makeService(path.join(dir, 'config'));
      const good = path.join(dir, 'good.lbs.json');
      await saveProjectAtomic(good, createProject(['one', 'two']));
      await projects.open(good);

      const bad = path.join(dir, 'bad.lbs.json');
      const text = JSON.stringify({ format: 'latent-blending-studio', version: 1, keyframes: [{ prompt: 'a' }, { prompt: 'b' }], transitions: [{ duration: -1 }] });
      await writeFile(bad, text);
      const before = await stat(bad);
      const error = await projects.open(bad).then(() => null, (e: unknown) => e);
      const data = toErrorData(error);
      expect(data.code).toBe('INVALID_PROJECT');
      expect(data.path).toEqual(['transitions', 0, 'duration']);
      expect(data.message).toContain('bad.lbs.json');
      expect(await readFile(bad, 'utf8')).toBe(text);
      expect((await stat(bad)).mtimeMs).toBe(before.mtimeMs);
      expect(projects.state()?.path).toBe(good);
    });
  });

  it('autosaves after an idle pause and offers the autosave after a crash', async () => {
    await withTempDir(async (dir) => {
      const config = path.join(dir, 'config');
      const file = path.join(dir, 'movie.lbs.json');
      await saveProjectAtomic(file, createProject(['dawn', 'dusk'], 'Movie'));
      const first = makeService(config, 40, crashedStudio());
      const opened = await first.projects.open(file);
      first.projects.update({ ...opened.project, name: 'Movie, edited' });
      const sidecar = first.projects.autosaveFile();
      await until(() => first.projects.state()?.autosavedAt != null, 'the autosave');
      expect(await stat(sidecar).then(() => true)).toBe(true);
      // The saved file itself still has the old content: autosave never touches it.
      expect((await loadProject(file)).name).toBe('Movie');

      // "Crash": the first service is simply abandoned; a fresh one starts.
      const second = makeService(config).projects;
      const offers = await second.recoverable();
      expect(offers).toEqual([{ id: file, projectPath: file, name: 'Movie, edited', savedAt: expect.any(Number), firstPrompt: 'dawn', keyframes: 2 }]);
      const recovered = await second.recover(offers[0].id);
      expect(recovered).toMatchObject({ path: file, dirty: true });
      expect(recovered.project.name).toBe('Movie, edited');
      await second.save();
      expect((await loadProject(file)).name).toBe('Movie, edited');
      expect(await second.recoverable()).toEqual([]);
      await expect(second.recover(file)).rejects.toBeInstanceOf(AppError);
    });
  });

  it('recovers an untitled project and can discard an offer', async () => {
    await withTempDir(async (dir) => {
      const config = path.join(dir, 'config');
      const first = makeService(config, 40, crashedStudio());
      const created = await first.projects.create(['sea', 'sky']);
      first.projects.update({ ...created.project, name: 'Never saved' });
      await first.projects.autosaveNow();

      const second = makeService(config).projects;
      const [offer] = await second.recoverable();
      expect(offer).toMatchObject({ projectPath: null, name: 'Never saved' });
      const third = makeService(config).projects;
      await third.discardRecovery(offer.id);
      expect(await third.recoverable()).toEqual([]);
    });
  });

  it('offers only drafts whose studio is gone: not those of a studio still running', async () => {
    await withTempDir(async (dir) => {
      const config = path.join(dir, 'config');
      const file = path.join(dir, 'movie.lbs.json');
      await saveProjectAtomic(file, createProject(['dawn', 'dusk'], 'Movie'));
      // Another studio: a live process, named in its locks by pid and start time.
      const other = spawn(process.execPath, ['-e', 'process.stdin.resume()'], { stdio: ['pipe', 'ignore', 'ignore'] });
      try {
        const otherStudio = { pid: other.pid!, startedAt: processStartTime(other.pid!) ?? 0 };
        const running = makeService(config, 40, otherStudio).projects;
        const created = await running.create(['', 'a lighthouse at dusk', 'a storm']);
        running.update({ ...created.project, keyframes: created.project.keyframes.map((k, i) => (i === 2 ? { ...k, prompt: 'a storm at sea' } : k)) });
        await running.autosaveNow();

        // This studio starts while the other one runs: the other's draft is its live autosave.
        const here = makeService(config).projects;
        await here.open(file);
        expect(await here.recoverable()).toEqual([]);

        // The other studio is gone (killed, no clean exit): now its draft is unsaved work to offer.
        const exited = new Promise((resolve) => other.once('exit', resolve));
        other.kill('SIGKILL');
        await exited;
        expect(await here.recoverable()).toEqual([
          { id: expect.any(String), projectPath: null, name: 'Untitled', savedAt: expect.any(Number), firstPrompt: 'a lighthouse at dusk', keyframes: 3 },
        ]);
      } finally {
        other.kill('SIGKILL');
      }
    });
  });

  it('a studio that closes leaves its unsaved draft to the next start; a pid reused by another process does not hide it', async () => {
    await withTempDir(async (dir) => {
      const config = path.join(dir, 'config');
      const first = makeService(config).projects;
      const created = await first.create(['sea', 'sky']);
      first.update({ ...created.project, name: 'Closed unsaved' });
      await first.autosaveNow();
      expect(await makeService(config).projects.recoverable()).toEqual([]);
      await first.dispose();
      expect((await makeService(config).projects.recoverable()).map((e) => e.name)).toEqual(['Closed unsaved']);

      // A crashed studio whose pid now belongs to a later process (here: this one, started at another time).
      const reused = makeService(config, 40, { pid: process.pid, startedAt: (processStartTime(process.pid) ?? Date.now()) - 3_600_000 }).projects;
      const draft = await reused.create(['moon']);
      reused.update({ ...draft.project, name: 'Crashed long ago' });
      await reused.autosaveNow();
      const names = (await makeService(config).projects.recoverable()).map((e) => e.name).sort();
      // Where the system tells a process's start time (Linux), the reused pid is seen through.
      expect(names).toEqual(processStartTime(process.pid) === undefined ? ['Closed unsaved'] : ['Closed unsaved', 'Crashed long ago']);
    });
  });

  it('drops the autosave of a project replaced in a live session, so the next start does not offer work the user chose not to keep', async () => {
    await withTempDir(async (dir) => {
      const config = path.join(dir, 'config');
      const file = path.join(dir, 'movie.lbs.json');
      await saveProjectAtomic(file, createProject(['dawn', 'dusk'], 'Movie'));
      const first = makeService(config).projects;
      // An untitled project with edits the user then answers "Don't save" for (New project).
      const created = await first.create(['sea', 'sky']);
      first.update({ ...created.project, name: 'Dropped' });
      await first.autosaveNow();
      await first.create();
      // An opened project edited and then left for another one the same way.
      const opened = await first.open(file);
      first.update({ ...opened.project, name: 'Also dropped' });
      await first.autosaveNow();
      await first.create();

      expect(await makeService(config).projects.recoverable()).toEqual([]);
      expect((await loadProject(file)).name).toBe('Movie');
    });
  });

  it('Save As replaces another project without asking, but a file of another kind only when that exact path was confirmed', async () => {
    await withTempDir(async (dir) => {
      const { projects } = makeService(path.join(dir, 'config'));
      await projects.create(['left', 'right']);
      const notes = path.join(dir, 'notes.json');
      await writeFile(notes, '{"todo": "buy milk"}');
      const refused = await projects.saveAs(notes).then(() => null, (e: unknown) => e);
      expect(toErrorData(refused)).toMatchObject({ code: 'OVERWRITE_NEEDS_CONFIRMATION', path: ['path'] });
      expect(toErrorData(refused).message).toContain(notes);
      expect(await readFile(notes, 'utf8')).toBe('{"todo": "buy milk"}');
      // Confirming some other path is not confirming this one.
      await expect(projects.saveAs(notes, path.join(dir, 'other.json'))).rejects.toMatchObject({ code: 'OVERWRITE_NEEDS_CONFIRMATION' });
      await projects.saveAs(notes, notes);
      expect((await loadProject(notes)).keyframes).toHaveLength(2);
      // Now it is a project: saving over it again needs no confirmation.
      const second = makeService(path.join(dir, 'config2')).projects;
      await second.create(['a', 'b', 'c']);
      await second.saveAs(notes);
      expect((await loadProject(notes)).keyframes).toHaveLength(3);
    });
  });

  it('Save As refuses a system folder with SYSTEM_FOLDER, confirmed or not, and the open project keeps its path', async () => {
    await withTempDir(async (dir) => {
      const { projects } = makeService(path.join(dir, 'config'));
      await projects.create(['left', 'right']);
      const mine = path.join(dir, 'mine.lbs.json');
      await projects.saveAs(mine);
      for (const [file, confirmed] of [['/etc/movie.lbs.json', undefined], ['/usr/share/movie.lbs.json', '/usr/share/movie.lbs.json'], ['/movie.lbs.json', undefined]] as const) {
        const refused = await projects.saveAs(file, confirmed).then(() => null, (e: unknown) => e);
        expect(toErrorData(refused), file).toMatchObject({ code: 'SYSTEM_FOLDER', message: expect.stringContaining('is a system folder') });
        expect(toErrorData(refused).hint).toMatch(/folder of your own/);
      }
      expect(projects.state()?.path ?? null).toBe(mine);
    });
  });

  it('removes the temp files a killed save left in a folder when the folder is next used', async () => {
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'crash.lbs.json');
      await saveProjectAtomic(file, createProject(['left', 'right'], 'Before'));
      const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'testing/crash-during-save.ts'), path.join(dir, 'config'), file], { encoding: 'utf8', timeout: 60_000 });
      expect(child.signal).toBe('SIGKILL');
      expect((await readdir(dir)).filter(isTempFileName)).toHaveLength(1);
      // A half-copied render cache of a Save As that died, named like every temp.
      const halfCache = path.join(dir, `.crash.lbs.cache.${child.pid}.0123456789ab.lbs-tmp`);
      await mkdir(path.join(halfCache, 'images'), { recursive: true });
      const { projects } = makeService(path.join(dir, 'config'));
      await projects.open(file);
      expect((await readdir(dir)).filter(isTempFileName)).toEqual([]);
    });
  });

  it('keeps the old file whole when the process dies between writing and renaming', async () => {
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'crash.lbs.json');
      await saveProjectAtomic(file, createProject(['left', 'right'], 'Before'));
      const oldText = await readFile(file, 'utf8');
      const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'testing/crash-during-save.ts'), path.join(dir, 'config'), file], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(child.signal).toBe('SIGKILL');
      expect(child.stdout).not.toContain('saved without crashing');
      expect(await readFile(file, 'utf8')).toBe(oldText);
      expect((await loadProject(file)).name).toBe('Before');
      // The finished temp file is left beside it under a recognisable name, never at the target.
      const temps = (await readdir(dir)).filter(isTempFileName);
      expect(temps).toHaveLength(1);
      expect(JSON.parse(await readFile(path.join(dir, temps[0]), 'utf8')).name).toBe('Edited before the crash');
    });
  });

  it('stores painted masks as content-addressed PNGs and copies them on Save As elsewhere', async () => {
    await withTempDir(async (dir) => {
      const { projects } = makeService(path.join(dir, 'config'));
      const state = await projects.create(['a', 'b']);
      const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
      const { path: rel } = await projects.writeAsset('mask', state.project.keyframes[0].id!, png);
      expect(rel).toMatch(/^masks\/k1-[0-9a-f]{12}\.png$/);
      await expect(projects.writeAsset('mask', 'k1', Buffer.from('GIF89a'))).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      const p = state.project;
      projects.update({ ...p, keyframes: [{ ...p.keyframes[0], mask: rel }, p.keyframes[1]] });
      const target = path.join(dir, 'elsewhere', 'm.lbs.json');
      await projects.saveAs(target);
      expect(await readFile(path.join(dir, 'elsewhere', rel))).toEqual(png);
      expect(() => projects.resolveAsset('../../etc/passwd')).toThrow(/not a path inside/);
    });
  });

  it('applies an edit, validates the result and answers with what changed: applied to the old document it gives the host\'s byte for byte', async () => {
    await withTempDir(async (dir) => {
      const { projects } = makeService(path.join(dir, 'config'));
      const created = await projects.create(['a', 'b']);
      const before = created.project;
      const edit = projects.edit(created.revision, [
        { path: ['keyframes', 0, 'prompt'], value: 'a red fox' },
        // The schema trims a name and puts a new key in its place: the answer carries the host's version.
        { path: ['name'], value: '  Fox film  ' },
        { path: ['keyframes', 1, 'image'], value: 'images\\fox.png' },
      ]);
      const state = projects.state()!;
      expect(state).toMatchObject({ dirty: true, revision: edit.revision });
      expect(edit.revision).toBeGreaterThan(created.revision);
      expect(state.project.name).toBe('Fox film');
      expect(state.project.keyframes[1].image).toBe('images/fox.png');
      expect(edit.changes).toContainEqual({ path: ['keyframes', 0, 'prompt'], value: 'a red fox' });
      expect(edit.changes).toContainEqual({ path: ['name'], value: 'Fox film' });
      expect(JSON.stringify(applyChanges(before, edit.changes))).toBe(JSON.stringify(state.project));
      // The answer is the change, not the document.
      expect(JSON.stringify(edit).length).toBeLessThan(JSON.stringify(state.project).length / 2);

      // An edit that changes nothing moves nothing on.
      const again = projects.edit(edit.revision, [{ path: ['name'], value: 'Fox film' }]);
      expect(again).toEqual({ revision: edit.revision, changes: [] });
    });
  });

  it('an edit that lands while a save is writing stays unsaved: the file has the saved document, the project is still dirty and autosaves the edit', async () => {
    await withTempDir(async (dir) => {
      let editDuringWrite: (() => void) | null = null;
      const projects = new ProjectsService({
        settings: new SettingsStore(path.join(dir, 'config')),
        media: new MediaRoots('/media'),
        autosaveIdleMs: 20,
        saveOptions: { beforeRename: () => editDuringWrite?.() },
      });
      const created = await projects.create(['a red fox', 'a blue whale']);
      const file = path.join(dir, 'fox.lbs.json');
      editDuringWrite = () => {
        editDuringWrite = null;
        projects.edit(projects.state()!.revision, [{ path: ['keyframes', 0, 'prompt'], value: 'a red fox at night' }]);
      };
      const saved = await projects.saveAs(file);
      // The file holds what was written; the edit made meanwhile is not in it, so it is not saved.
      expect((await loadProject(file)).keyframes[0].prompt).toBe('a red fox');
      expect(saved).toMatchObject({ path: file, dirty: true });
      expect(saved.project.keyframes[0].prompt).toBe('a red fox at night');
      expect(saved.revision).toBeGreaterThan(created.revision);
      // …and the edit reaches the autosave, so a crash now still keeps it.
      await projects.autosaveNow();
      expect((await readFile(autosavePathFor(file), 'utf8'))).toContain('a red fox at night');
      // The next save writes it and is clean.
      const again = await projects.save();
      expect(again.dirty).toBe(false);
      expect((await loadProject(file)).keyframes[0].prompt).toBe('a red fox at night');
    });
  });

  it('refuses an invalid result, a stale base and a path that is not there, keeping the document and its revision', async () => {
    await withTempDir(async (dir) => {
      const { projects } = makeService(path.join(dir, 'config'));
      const created = await projects.create(['a', 'b']);
      const { revision, project } = created;
      const invalid = (() => {
        try {
          projects.edit(revision, [{ path: ['transitions', 0, 'duration'], value: -3 }]);
        } catch (error) {
          return toErrorData(error);
        }
      })();
      expect(invalid).toMatchObject({ code: 'INVALID_PROJECT', path: ['project', 'transitions', 0, 'duration'] });
      expect(() => projects.edit(revision - 1, [{ path: ['name'], value: 'x' }])).toThrow(expect.objectContaining({ code: 'STALE_EDIT' }));
      for (const path of [['keyframes', 5, 'prompt'], ['keyframes', 'length'], ['nope', 'deeper'], ['__proto__', 'polluted']]) {
        expect(() => projects.edit(revision, [{ path, value: 1 }])).toThrow(expect.objectContaining({ code: 'BAD_REQUEST', path: ['changes', 0, 'path'] }));
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(projects.state()).toMatchObject({ revision, dirty: false, project });

      // Saving keeps the revision (same document); a new project gets one never used before.
      const edited = projects.edit(revision, [{ path: ['name'], value: 'Kept' }]);
      const saved = await projects.saveAs(path.join(dir, 'kept.lbs.json'));
      expect(saved.revision).toBe(edited.revision);
      const fresh = await projects.create();
      expect([revision, edited.revision]).not.toContain(fresh.revision);
      expect(() => projects.edit(edited.revision, [{ path: ['name'], value: 'late' }])).toThrow(expect.objectContaining({ code: 'STALE_EDIT' }));
    });
  });

  it('puts settings under LBS_CONFIG_DIR when set, else the platform config folder', () => {
    expect(configDir({ LBS_CONFIG_DIR: '/tmp/lbs-conf' }, 'linux')).toBe('/tmp/lbs-conf');
    expect(configDir({ XDG_CONFIG_HOME: '/x/conf' }, 'linux')).toBe('/x/conf/latent-blending-studio');
    expect(configDir({ APPDATA: 'C:\\Users\\me\\AppData\\Roaming' }, 'win32')).toContain('latent-blending-studio');
  });
});
