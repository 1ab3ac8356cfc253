import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, statfs, writeFile } from 'node:fs/promises';
import { basename, dirname, join, parse, resolve } from 'node:path';
import { MediaError } from './errors';
import { removeStaleTempsIn } from './stale-temps';
import { assertNotSystemFolder } from './system-folders';
import type { VideoFormat } from './video-format';

/**
 * An output being written under a hidden temporary name beside its target. Whatever was at
 * the target stays untouched until `commit()` renames the finished result into place (a rename
 * within one folder is atomic), and `discard()` removes every trace of a failed or cancelled one.
 */
export interface StagedOutput {
  readonly target: string;
  /** The temporary file or folder to write into. */
  readonly temp: string;
  commit(): Promise<void>;
  discard(): Promise<void>;
}

export interface StageOptions {
  kind: 'file' | 'dir';
  /** The format being written: an existing file of another kind is not replaced without `overwrite`. */
  format: VideoFormat;
  /** A low estimate of the finished size: less free space than this fails before any work. */
  minimumBytes?: number;
  /** The exact absolute path the user confirmed may be replaced whatever it holds (UI dialog, `--force`). */
  overwrite?: string;
}

/**
 * The file a PNG-sequence folder written by the studio carries. Only a folder holding it (or the
 * CLI's `frames.json`), or an empty one, is ever replaced: a typo naming a home folder must
 * not erase it.
 */
export const EXPORT_FOLDER_MANIFEST = 'latentblend.json';
const STUDIO_FOLDER_MARKERS = [EXPORT_FOLDER_MANIFEST, 'frames.json'];

/** `.movie.partial-<pid>-<tag>.mp4`, `.frames.partial-<pid>-<tag>`, `.frames.old-<pid>-<tag>`: the pid says whose it is. */
const TEMP_NAME = /^\..+\.(?:partial|old)-(\d+)-[0-9a-f]{8}(?:\.[A-Za-z0-9]+)?$/;

/** Temporaries of this process not yet committed or discarded; removed synchronously on a hard exit. */
const liveTemps = new Set<string>();

/** For a host quitting at once (second Ctrl-C): leave no temporary output behind. */
export function discardLiveTempsSync(): void {
  for (const temp of liveTemps) rmSync(temp, { recursive: true, force: true });
  liveTemps.clear();
}

/**
 * Check the target's folder and reserve a temporary file (`kind: 'file'`) or folder
 * (`kind: 'dir'`, for PNG sequences) beside it. Fails before any encoding starts when the
 * folder is missing, is not a folder, cannot be written or lacks the space, or when the target
 * is something this export must not replace.
 */
export async function stageOutput(target: string, options: StageOptions): Promise<StagedOutput> {
  const { kind } = options;
  const absolute = resolve(target);
  const folder = dirname(absolute);
  assertNotSystemFolder(absolute, kind);
  await checkFolder(folder, absolute);
  await removeStaleTemps(folder);
  await checkTarget(absolute, options);
  if (options.minimumBytes !== undefined) await checkFreeSpace(folder, absolute, options.minimumBytes);

  const { name, ext } = parse(absolute);
  const tag = `${process.pid}-${randomTag()}`;
  const temp = join(folder, kind === 'file' ? `.${name}.partial-${tag}${ext}` : `.${basename(absolute)}.partial-${tag}`);
  try {
    if (kind === 'file') await (await open(temp, 'wx')).close();
    else await mkdir(temp);
  } catch (error) {
    throw fileSystemFailure(absolute, `cannot create files in ${folder}`, error);
  }
  liveTemps.add(temp);

  const discard = async (): Promise<void> => {
    await rm(temp, { recursive: true, force: true });
    liveTemps.delete(temp);
  };
  const commit = async (): Promise<void> => {
    try {
      if (kind === 'file') await rename(temp, absolute);
      else {
        await writeFile(join(temp, EXPORT_FOLDER_MANIFEST), `${JSON.stringify({ writer: 'latent-blending-studio', kind: 'png-sequence' })}\n`);
        await replaceFolder(temp, absolute);
      }
      liveTemps.delete(temp);
    } catch (error) {
      await discard();
      throw fileSystemFailure(absolute, 'the finished export could not be moved into place', error);
    }
  };
  return { target: absolute, temp, commit, discard };
}

/**
 * The checks `stageOutput` makes, without reserving anything: a host calls it before a long
 * render so that a target that would be refused fails in the first second, not after the work.
 */
export async function checkOutputTarget(target: string, options: Omit<StageOptions, 'minimumBytes'>): Promise<void> {
  const absolute = resolve(target);
  assertNotSystemFolder(absolute, options.kind);
  await checkFolder(dirname(absolute), absolute);
  await checkTarget(absolute, options);
}

async function checkFolder(folder: string, target: string): Promise<void> {
  try {
    const s = await stat(folder);
    if (!s.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') {
      throw notWritable(target, `the folder ${folder} does not exist`, 'Create the folder first or choose another output location.', error);
    }
    if (code === 'ENOTDIR') {
      throw notWritable(target, `${folder} is not a folder (a file is in the way on that path)`, 'Choose an output path inside an existing folder.', error);
    }
    throw notWritable(target, `the folder ${folder} cannot be read (${code})`, 'Choose a folder you can write to, or fix its permissions.', error);
  }
}

async function checkTarget(target: string, options: StageOptions): Promise<void> {
  let existing;
  try {
    existing = await stat(target);
  } catch {
    return; // nothing there yet
  }
  if (options.kind === 'file' && existing.isDirectory()) {
    throw notWritable(target, 'a folder already exists with that name', 'Choose another file name, or remove the folder.');
  }
  if (options.kind === 'dir' && !existing.isDirectory()) {
    throw notWritable(target, 'a file already exists with that name, and a PNG sequence is written as a folder', 'Choose another name for the frame folder, or remove the file.');
  }
  if (options.kind === 'dir') {
    if (!(await isStudioFolder(target))) {
      throw new MediaError(
        'OVERWRITE_REFUSED',
        `Will not replace the folder ${target}: it was not written by Latent Blending Studio, and a PNG-sequence export replaces the whole folder.`,
        { hint: 'Choose a new or empty folder name for the frames (for example a folder beside your video).', file: target },
      );
    }
    return;
  }
  if (existing.size === 0 || options.overwrite === target) return;
  const found = await sniffVideoFormat(target);
  if (found !== options.format) {
    throw new MediaError(
      'OVERWRITE_NEEDS_CONFIRMATION',
      `${target} already exists and is ${found ? `a ${found.toUpperCase()} video, not ${options.format.toUpperCase()}` : `not a ${options.format.toUpperCase()} video`}; it was not replaced.`,
      { hint: 'Choose another file name, or confirm that this exact file may be replaced (--force on the command line).', file: target },
    );
  }
}

/** A folder this studio wrote (it carries our manifest) or an empty one: nothing else is lost by replacing it. */
export async function isStudioFolder(dir: string): Promise<boolean> {
  const names = await readdir(dir).catch(() => null);
  if (names === null) return false;
  return names.length === 0 || names.some((n) => STUDIO_FOLDER_MARKERS.includes(n));
}

/** The video format a file's first bytes show (mp4 `ftyp`, WebM EBML, GIF), or null. */
export async function sniffVideoFormat(file: string): Promise<Exclude<VideoFormat, 'png'> | null> {
  const handle = await open(file, 'r').catch(() => null);
  if (!handle) return null;
  try {
    const head = Buffer.alloc(12);
    const { bytesRead } = await handle.read(head, 0, 12, 0);
    if (bytesRead >= 8 && head.toString('latin1', 4, 8) === 'ftyp') return 'mp4';
    if (bytesRead >= 4 && head.readUInt32BE(0) === 0x1a45dfa3) return 'webm';
    if (bytesRead >= 6 && /^GIF8[79]a$/.test(head.toString('latin1', 0, 6))) return 'gif';
    return null;
  } finally {
    await handle.close();
  }
}

async function checkFreeSpace(folder: string, target: string, minimumBytes: number): Promise<void> {
  const free = await freeBytes(folder);
  if (free !== null && free < minimumBytes) {
    throw new MediaError(
      'DISK_FULL',
      `Not enough free space in ${folder} for ${basename(target)}: it needs at least ${megabytes(minimumBytes)}, ${megabytes(free)} are free. Nothing was written.`,
      { hint: 'Free some disk space, choose another folder, or export fewer frames (lower fps or size).', file: target },
    );
  }
}

/** Bytes an unprivileged writer may still use in `folder`, or null where the system cannot tell. */
export async function freeBytes(folder: string): Promise<number | null> {
  try {
    const s = await statfs(folder);
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return null;
  }
}

/**
 * Remove temporaries that a killed export left in `folder`: partial files and folders, and old
 * folders moved aside, whose process is gone (or that are a day old: pids are reused).
 */
export async function removeStaleTemps(folder: string, maxAgeMs = 24 * 60 * 60 * 1000): Promise<string[]> {
  const writerPid = (name: string) => {
    const match = TEMP_NAME.exec(name);
    return match ? Number(match[1]) : undefined;
  };
  // Cleaning is a courtesy before an export: a folder it cannot read is the export's own error to report.
  return removeStaleTempsIn(folder, { writerPid, maxAgeMs, keep: (path) => liveTemps.has(path) }).catch(() => []);
}

/** Swap a finished folder in: move the old one aside, move the new one in, then delete the old. */
async function replaceFolder(temp: string, target: string): Promise<void> {
  const aside = join(dirname(target), `.${basename(target)}.old-${process.pid}-${randomTag()}`);
  let movedAside = false;
  try {
    await rename(target, aside);
    movedAside = true;
    liveTemps.add(aside);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
  try {
    await rename(temp, target);
  } catch (error) {
    if (movedAside) await rename(aside, target);
    liveTemps.delete(aside);
    throw error;
  }
  if (movedAside) await rm(aside, { recursive: true, force: true });
  liveTemps.delete(aside);
}

function notWritable(target: string, reason: string, hint: string, cause?: unknown): MediaError {
  return new MediaError('OUTPUT_NOT_WRITABLE', `Cannot write the export to ${target}: ${reason}.`, { hint, file: target, cause });
}

/** A file-system error while writing `target` as a coded error: what failed, where, and what to do. */
export function fileSystemFailure(target: string, what: string, error: unknown): MediaError {
  const code = errorCode(error);
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new MediaError('DISK_FULL', `Cannot write the export to ${target}: ${what}, the disk is full.`, {
      hint: 'Free some disk space or choose another folder; any previous file there was kept.',
      file: target,
      cause: error,
    });
  }
  const reason =
    code === 'EROFS'
      ? 'the folder is on a read-only file system'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EBUSY'
          ? 'another program holds the file open'
          : `system error ${code}`;
  return notWritable(target, `${what} (${reason})`, code === 'EROFS' ? 'Choose a folder on a writable disk.' : 'Choose a folder you can write to, or fix its permissions.', error);
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;
}

function errorCode(error: unknown): string {
  return (error as { code?: string })?.code ?? (error as Error)?.message ?? String(error);
}

function randomTag(): string {
  return randomBytes(4).toString('hex');
}
