import { createHash, randomBytes, randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, cp, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { applyChanges, diffDocuments, type DocumentChange, type ProjectEdit, type ProjectState, type RecentEntry, type RecoveryEntry } from '../contract/contract';
import { hasPngSignature } from '../media/png';
import { assertNotSystemFolder } from '../media/system-folders';
import { cleanupStaleTemps, tempPathFor, writeFileAtomic, type AtomicWriteOptions } from '../project/atomic-write';
import { cacheDirFor } from '../project/disk-transition-cache';
import { autosavePathFor, discardAutosave, readRecovery, writeAutosave } from '../project/autosave';
import { currentStudio, heldByRunningStudio, releaseDraftLock, studioIsAlive, writeDraftLock, type StudioIdentity } from '../project/draft-lock';
import { createDefaultProject, createProject } from '../project/create';
import { ProjectError } from '../project/errors';
import type { Project } from '../project/schema';
import { parseProject } from '../project/parse';
import { isProjectFile, loadProject, saveProjectAtomic, serializeProject } from '../project/store';
import { AppError } from './errors';
import type { MediaRoots } from './media/media-roots';
import { MAX_RECENT, type SettingsStore } from './settings';

export const DEFAULT_AUTOSAVE_IDLE_MS = 3000;
const UNTITLED_FILE = 'untitled.lbs.json';

export interface ProjectsOptions {
  settings: SettingsStore;
  media: MediaRoots;
  /** Idle time after the last edit before the autosave sidecar is written. */
  autosaveIdleMs?: number;
  now?: () => number;
  /** Passed to the atomic write (tests crash the process between write and rename). */
  saveOptions?: AtomicWriteOptions;
  /** The studio process this service runs in, as its draft locks name it (tests fake a crashed one). */
  studio?: StudioIdentity;
  /** Whether the studio named by a lock still runs. */
  isStudioAlive?: (studio: StudioIdentity) => boolean;
}

interface Current {
  /** The saved file; null while untitled. */
  path: string | null;
  /**
   * Untitled projects live in a folder of their own under the config dir: their autosave,
   * painted masks and render snapshot go there until the first save.
   */
  untitledFile: string | null;
  project: Project;
  /** The document's revision: see ProjectState.revision. */
  revision: number;
  dirty: boolean;
  savedAt: number | null;
  autosavedAt: number | null;
}

/**
 * The open project: new, open, save, save as, edits, the recent list, autosave after a few
 * idle seconds to a sidecar, and recovery of autosaves a crash left behind. One project is open
 * at a time (per host process); each call answers with the state it leads to (no event: the
 * caller is the one window that changes it; another window's stale edit is refused by revision).
 */
export class ProjectsService {
  private current: Current | null = null;
  private autosaveTimer: ReturnType<typeof setTimeout> | null = null;
  private autosaving: Promise<void> = Promise.resolve();
  private readonly idleMs: number;
  private readonly now: () => number;
  private readonly studio: StudioIdentity;
  /** The last revision handed out; never reused, so a replaced project never matches an old base. */
  private lastRevision = 0;

  constructor(private readonly options: ProjectsOptions) {
    this.idleMs = options.autosaveIdleMs ?? DEFAULT_AUTOSAVE_IDLE_MS;
    this.now = options.now ?? Date.now;
    this.studio = options.studio ?? currentStudio();
  }

  private get untitledRoot(): string {
    return path.join(this.options.settings.dir, 'untitled');
  }

  state(): ProjectState | null {
    const c = this.current;
    if (!c) return null;
    return { path: c.path, project: c.project, revision: c.revision, dirty: c.dirty, savedAt: c.savedAt, autosavedAt: c.autosavedAt };
  }

  /** The open project or NO_PROJECT. */
  require(): Current {
    if (!this.current) throw new AppError('NO_PROJECT', 'No project is open.', { hint: 'Create a project (File → New) or open one first.' });
    return this.current;
  }

  /** The folder the project's relative paths (images, masks, render cache) are relative to. */
  projectDir(): string {
    const c = this.require();
    return path.dirname(c.path ?? c.untitledFile!);
  }

  private nextRevision(): number {
    return ++this.lastRevision;
  }

  private async replace(next: Current): Promise<ProjectState> {
    this.cancelAutosave();
    const previous = this.current;
    this.current = next;
    // Served to the UI: the render cache (the studio writes all of it) and the files the project
    // names; never the whole folder the project sits in (it may be a home folder).
    this.options.media.allow(cacheDirFor(next.path ?? next.untitledFile!));
    this.allowAssets(next);
    const state = this.state()!;
    // Autosaves are for crashes. A project replaced in a live session was saved, or the user
    // was asked and chose not to keep the changes: offering them back at the next start only
    // nags. (Recovering a project's own autosave keeps it: same owner.)
    const before = previous ? (previous.path ?? previous.untitledFile!) : null;
    const after = next.path ?? next.untitledFile!;
    // This studio holds the project now: its draft is a live autosave, not one to recover.
    // Best effort: a read-only folder can still be opened, its draft is then simply offered.
    await writeDraftLock(after, this.studio).catch(() => undefined);
    if (before && before !== after) {
      await this.autosaving;
      await discardAutosave(before).catch(() => undefined);
      await releaseDraftLock(before, this.studio).catch(() => undefined);
    }
    return state;
  }

  private newUntitledFile(): string {
    const stamp = `${new Date(this.now()).toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
    return path.join(this.untitledRoot, stamp, UNTITLED_FILE);
  }

  async create(prompts?: string[], name?: string): Promise<ProjectState> {
    const template = prompts ? createProject(prompts, name) : name ? { ...createDefaultProject(), name } : createDefaultProject();
    // Each keyframe of a new project gets its own seed, as Add keyframe does: a creator expects
    // variety, and the seed field shows it so it can be locked or typed over.
    const project = { ...template, keyframes: template.keyframes.map((k) => ({ ...k, seed: randomInt(0, 2 ** 32) })) };
    const untitledFile = this.newUntitledFile();
    await mkdir(path.dirname(untitledFile), { recursive: true });
    return await this.replace({ path: null, untitledFile, project, revision: this.nextRevision(), dirty: false, savedAt: null, autosavedAt: null });
  }

  async open(file: string): Promise<ProjectState> {
    const abs = path.resolve(file);
    // Validation failures throw ProjectError (INVALID_PROJECT): nothing opens, nothing is written.
    const project = await loadProject(abs);
    // What a killed save or Save As left behind in this folder goes when the folder is next used.
    await cleanupStaleTemps(path.dirname(abs)).catch(() => undefined);
    const state = await this.replace({ path: abs, untitledFile: null, project, revision: this.nextRevision(), dirty: false, savedAt: this.now(), autosavedAt: null });
    await this.remember(abs, project.name);
    return state;
  }

  /**
   * An edit from the UI (`project.update`): `changes` made on revision `base`. The changes are
   * applied to the open document and the result is validated once; the answer is what the
   * document now differs in, so the caller's copy of it stays byte-identical without the whole
   * document crossing back.
   */
  edit(base: number, changes: readonly DocumentChange[]): ProjectEdit {
    const c = this.require();
    if (base !== c.revision) {
      throw new AppError('STALE_EDIT', `This edit was made on revision ${base} of the project, but it is at revision ${c.revision} now (it was changed in another window).`, {
        path: ['base'],
        hint: 'The studio reads the project again and repeats the edit on it.',
      });
    }
    let next: Project;
    try {
      next = parseProject(applyChanges(c.project, changes));
    } catch (error) {
      // The path names the field inside the project document, as the editor shows it.
      if (error instanceof ProjectError) throw new AppError('INVALID_PROJECT', error.message, { path: ['project', ...(error.path ?? [])], ...(error.hint ? { hint: error.hint } : {}) });
      throw error;
    }
    const applied = diffDocuments(c.project, next, { keyOrder: true });
    if (applied.length > 0) this.commit(c, next);
    return { revision: c.revision, changes: applied };
  }

  /** Replace the whole document (hosts and tests that build one); validated like an edit. */
  update(project: Project): ProjectState {
    const c = this.require();
    this.commit(c, parseProject(project));
    return this.state()!;
  }

  private commit(c: Current, project: Project): void {
    c.project = project;
    c.revision = this.nextRevision();
    c.dirty = true;
    this.allowAssets(c);
    this.scheduleAutosave();
  }

  async save(): Promise<ProjectState> {
    const c = this.require();
    if (!c.path) throw new AppError('NO_PATH', 'This project has not been saved yet.', { hint: 'Use Save As to choose a file name.' });
    return this.saveTo(c.path);
  }

  /**
   * Save under a new name. An existing file there is replaced only when it is a project, or
   * when the user confirmed replacing that exact path (`overwrite`): a slip of the file name
   * must not turn `package.json` into a project.
   */
  async saveAs(file: string, overwrite?: string): Promise<ProjectState> {
    const abs = path.resolve(file);
    if (!/\.json$/i.test(abs)) {
      throw new AppError('BAD_REQUEST', `Cannot save the project as ${abs}: project files end in ".lbs.json".`, { path: ['path'], hint: `Try ${abs.replace(/\.[^./\\]*$/, '')}.lbs.json` });
    }
    assertNotSystemFolder(abs, 'file');
    const existing = await stat(abs).catch(() => null);
    if (existing?.isDirectory()) {
      throw new AppError('BAD_REQUEST', `Cannot save the project as ${abs}: a folder has that name.`, { path: ['path'], hint: 'Choose another file name.' });
    }
    const current = this.current?.path ?? null;
    if (existing && existing.size > 0 && abs !== current && overwrite !== abs && !(await isProjectFile(abs))) {
      throw new AppError('OVERWRITE_NEEDS_CONFIRMATION', `${abs} already exists and is not a Latent Blending Studio project; it was not replaced.`, {
        path: ['path'],
        hint: 'Choose another file name, or confirm that this exact file may be replaced.',
      });
    }
    await cleanupStaleTemps(path.dirname(abs)).catch(() => undefined);
    return this.saveTo(abs);
  }

  private async saveTo(file: string): Promise<ProjectState> {
    const c = this.require();
    const fromDir = path.dirname(c.path ?? c.untitledFile!);
    const toDir = path.dirname(file);
    if (fromDir !== toDir) await copyAssets(c.project, fromDir, toDir);
    this.cancelAutosave();
    await this.autosaving;
    // What the file gets: an edit that lands while it is written is not in it.
    const written = { project: c.project, revision: c.revision };
    await saveProjectAtomic(file, written.project, this.options.saveOptions);
    await carryRenderCache(c.path ?? c.untitledFile!, file, c.path === null);
    const previousSidecarOwner = c.path ?? c.untitledFile!;
    await discardAutosave(previousSidecarOwner).catch(() => undefined);
    if (previousSidecarOwner !== file) await discardAutosave(file).catch(() => undefined);
    const editedMeanwhile = c.revision !== written.revision;
    // The same document under a new name: its revision stays, so edits in flight still apply.
    // Edited while it was written, it is still unsaved (and autosaved again), never marked saved.
    const state = await this.replace({ path: file, untitledFile: null, project: c.project, revision: c.revision, dirty: editedMeanwhile, savedAt: this.now(), autosavedAt: null });
    if (editedMeanwhile) this.scheduleAutosave();
    await this.remember(file, written.project.name);
    return state;
  }

  async recent(): Promise<RecentEntry[]> {
    return (await this.options.settings.read()).recent;
  }

  private async remember(file: string, name: string): Promise<void> {
    await this.options.settings.update((s) => ({
      ...s,
      recent: [{ path: file, name, openedAt: this.now() }, ...s.recent.filter((r) => r.path !== file)].slice(0, MAX_RECENT),
    }));
  }

  // ------------------------------------------------------------------ autosave and recovery

  private cancelAutosave(): void {
    if (this.autosaveTimer) clearTimeout(this.autosaveTimer);
    this.autosaveTimer = null;
  }

  private scheduleAutosave(): void {
    this.cancelAutosave();
    // Autosave is best effort: a full disk must not crash the host; the next edit tries again.
    this.autosaveTimer = setTimeout(() => void this.autosaveNow().catch(() => undefined), this.idleMs);
    // An idle timer must never keep a CLI or test process alive.
    this.autosaveTimer.unref?.();
  }

  /** Write the sidecar now (the idle timer calls this; tests and shutdown may too). */
  async autosaveNow(): Promise<void> {
    this.cancelAutosave();
    const c = this.current;
    if (!c || !c.dirty) return;
    const owner = c.path ?? c.untitledFile!;
    const project = c.project;
    const run = this.autosaving.then(async () => {
      await mkdir(path.dirname(owner), { recursive: true });
      await writeAutosave(owner, project);
      if (this.current === c) c.autosavedAt = this.now();
    });
    this.autosaving = run.catch(() => undefined);
    await run;
  }

  /** Autosaves that are newer than their project: recent projects and untitled sessions. */
  async recoverable(): Promise<RecoveryEntry[]> {
    const owners = new Set<string>((await this.recent()).map((r) => r.path));
    for (const dir of await readdir(this.untitledRoot).catch(() => [] as string[])) owners.add(path.join(this.untitledRoot, dir, UNTITLED_FILE));
    const open = this.current ? (this.current.path ?? this.current.untitledFile) : null;
    const out: RecoveryEntry[] = [];
    for (const owner of owners) {
      // The open project's own sidecar is its live autosave, not something to recover; so is
      // the draft of a project another running studio holds.
      if (owner === open) continue;
      const recovery = await readRecovery(owner).catch(() => undefined);
      if (!recovery) continue;
      if (await heldByRunningStudio(owner, this.options.isStudioAlive ?? studioIsAlive)) continue;
      const untitled = owner.startsWith(this.untitledRoot + path.sep);
      const { keyframes } = recovery.project;
      out.push({
        id: owner,
        projectPath: untitled ? null : owner,
        name: recovery.project.name,
        savedAt: recovery.savedAt.getTime(),
        firstPrompt: keyframes.find((k) => k.prompt.trim())?.prompt.trim() ?? '',
        keyframes: keyframes.length,
      });
    }
    return out.sort((a, b) => b.savedAt - a.savedAt);
  }

  private async findRecovery(id: string) {
    // Only ids recoverable() offered: the id is a path, and must not become a way to read any file.
    const entry = (await this.recoverable()).find((e) => e.id === id);
    const recovery = entry ? await readRecovery(id) : undefined;
    if (!entry || !recovery) throw new AppError('NOT_FOUND', 'There is no autosave to recover under that id (it may have been recovered or discarded already).', { path: ['id'] });
    return { entry, recovery };
  }

  async recover(id: string): Promise<ProjectState> {
    const { entry, recovery } = await this.findRecovery(id);
    const savedAt = entry.projectPath ? (await stat(entry.projectPath).catch(() => null))?.mtimeMs ?? null : null;
    const state = await this.replace({
      path: entry.projectPath,
      untitledFile: entry.projectPath ? null : id,
      project: recovery.project,
      revision: this.nextRevision(),
      dirty: true,
      savedAt,
      autosavedAt: entry.savedAt,
    });
    return state;
  }

  async discardRecovery(id: string): Promise<void> {
    await this.findRecovery(id);
    await discardAutosave(id);
  }

  // ------------------------------------------------------------------ files for other services

  /**
   * A project file on disk with the current document, for the render job: the project itself
   * when it is saved and unchanged, else a snapshot next to it (so relative image paths still
   * resolve). The user's file is never written without a save.
   */
  /** The render cache of the open project (shared by saved and unsaved renders). */
  cacheDirForRender(): string {
    const c = this.require();
    return cacheDirFor(c.path ?? c.untitledFile!);
  }

  async fileForRender(): Promise<string> {
    const c = this.require();
    if (c.path && !c.dirty) return c.path;
    const owner = c.path ?? c.untitledFile!;
    const snapshot = path.join(path.dirname(owner), `.${path.basename(owner).replace(/\.lbs\.json$|\.json$/i, '')}.render.lbs.json`);
    await mkdir(path.dirname(snapshot), { recursive: true });
    await writeFileAtomic(snapshot, serializeProject(c.project));
    return snapshot;
  }

  /** Store a PNG for a keyframe's image or mask; returns the project-relative path. */
  async writeAsset(kind: 'image' | 'mask', keyframeId: string, png: Uint8Array): Promise<{ path: string; file: string }> {
    if (!hasPngSignature(png)) {
      throw new AppError('BAD_REQUEST', 'The data is not a PNG image.', { path: ['pngBase64'], hint: 'Send the PNG file bytes, base64-encoded.' });
    }
    const dir = this.projectDir();
    const hash = createHash('sha256').update(png).digest('hex').slice(0, 12);
    // Content-addressed names: a repainted mask gets a new URL, so no stale cached image shows.
    const relative = `${kind === 'mask' ? 'masks' : 'images'}/${keyframeId}-${hash}.png`;
    const file = path.join(dir, ...relative.split('/'));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, png);
    this.options.media.allowFile(file);
    return { path: relative, file };
  }

  /** The images, masks and audio file the project names, each allowed on its own for the UI. */
  private allowAssets(c: Current): void {
    const dir = path.dirname(c.path ?? c.untitledFile!);
    for (const rel of assetPaths(c.project)) {
      const file = path.resolve(dir, rel);
      if (isInside(dir, file)) this.options.media.allowFile(file);
    }
  }

  /**
   * The file behind a project-relative path the UI wants to show: only one the open project
   * names (or that was written for it this session), so the media route cannot be pointed at
   * any other file in the project's folder.
   */
  servableAsset(relative: string): string {
    const c = this.require();
    const file = this.resolveAsset(relative);
    const dir = path.dirname(c.path ?? c.untitledFile!);
    const named = assetPaths(c.project).some((rel) => path.resolve(dir, rel) === file);
    if (!named && !this.options.media.allowed().includes(file)) {
      throw new AppError('NOT_FOUND', `"${relative}" is not an image, mask or audio file of the open project.`, { path: ['path'], hint: 'Set it as a keyframe image or mask first.' });
    }
    this.options.media.allowFile(file);
    return file;
  }

  /** Absolute path of a project-relative file, refusing anything outside the project folder. */
  resolveAsset(relative: string): string {
    const dir = this.projectDir();
    const file = path.resolve(dir, relative);
    if (!isInside(dir, file)) {
      throw new AppError('BAD_REQUEST', `"${relative}" is not a path inside the project's folder.`, { path: ['path'] });
    }
    return file;
  }

  /** Stop the autosave timer and flush a pending autosave (on quit). */
  async dispose(): Promise<void> {
    if (this.autosaveTimer) await this.autosaveNow().catch(() => undefined);
    this.cancelAutosave();
    // A studio that closes is gone: a draft it leaves (unsaved work) is offered at the next start.
    const c = this.current;
    if (c) await releaseDraftLock(c.path ?? c.untitledFile!, this.studio).catch(() => undefined);
  }

  /** The sidecar path the open project autosaves to (for tests and diagnostics). */
  autosaveFile(): string {
    const c = this.require();
    return autosavePathFor(c.path ?? c.untitledFile!);
  }
}

/** True when `file` is inside `dir`: a `..` segment leaves it, a name such as `..dots.png` does not. */
function isInside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

function assetPaths(project: Project): string[] {
  return [...project.keyframes.flatMap((k) => [k.image, k.mask]), project.export.audio].filter((p): p is string => typeof p === 'string');
}

/** Copy the project's relative image/mask/audio files to a new folder (Save As elsewhere). */
async function copyAssets(project: Project, fromDir: string, toDir: string): Promise<void> {
  const relatives = [
    ...project.keyframes.flatMap((k) => [k.image, k.mask]),
    project.export.audio,
  ].filter((p): p is string => typeof p === 'string');
  for (const rel of relatives) {
    const from = path.resolve(fromDir, rel);
    const to = path.resolve(toDir, rel);
    if (!to.startsWith(path.resolve(toDir) + path.sep)) continue; // "../x" stays where it is
    const exists = await stat(to).then(() => true, () => false);
    if (exists) continue;
    const source = await stat(from).then((s) => s.isFile(), () => false);
    if (!source) continue;
    await mkdir(path.dirname(to), { recursive: true });
    await copyFile(from, to);
  }
}

/**
 * Renders belong to the project, not to its old name: on the first save of an untitled project
 * its cache moves to the new file's cache folder; Save As of a saved project copies it (keys
 * are content hashes, so the copy is valid for the new file). An existing cache at the target
 * is left alone.
 */
async function carryRenderCache(fromFile: string, toFile: string, move: boolean): Promise<void> {
  const from = cacheDirFor(fromFile);
  const to = cacheDirFor(toFile);
  if (from === to || !existsSync(from) || existsSync(to)) return;
  if (move) {
    try {
      await rename(from, to);
      return;
    } catch {
      // Another file system (config folder vs project folder): copy, then remove.
    }
  }
  // Copied under a temp name and renamed whole: a Save As that dies half way leaves no
  // half-filled cache under the project's name, only a temp folder the next use of the folder removes.
  const temp = tempPathFor(to);
  try {
    await cp(from, temp, { recursive: true });
    await rename(temp, to);
  } catch (error) {
    await rm(temp, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
  if (move) await rm(from, { recursive: true, force: true });
}
