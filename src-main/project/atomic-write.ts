import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { removeStaleTempsIn } from '../media/stale-temps';
import { FolderSyncs } from './folder-sync';

/**
 * Crash-safe file replacement: write a temp file in the target's folder, fsync it, rename it
 * over the target, fsync the folder. A reader (or a power cut) sees the old file or the new
 * one, never a mix. Temp files are named `.<target name>.<pid>.<random>.lbs-tmp` so a crashed
 * writer's leftovers are recognisable and `cleanupStaleTemps` can remove them.
 */

const TEMP_SUFFIX = '.lbs-tmp';
const TEMP_NAME = /^\.(.+)\.(\d+)\.([0-9a-f]{12})\.lbs-tmp$/;

export interface AtomicWriteOptions {
  /**
   * Called after the temp file is complete and synced, just before the rename. Tests use it
   * to crash the process at the worst moment; production code leaves it unset.
   */
  readonly beforeRename?: (tempPath: string) => void | Promise<void>;
}

export function tempPathFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
}

/** True for names `writeFileAtomic` gives its temp files. */
export function isTempFileName(name: string): boolean {
  return TEMP_NAME.test(name);
}

export async function writeFileAtomic(target: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const temp = tempPathFor(target);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await options.beforeRename?.(temp);
    await renameWithRetry(temp, target);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  await folderSyncs.sync(path.dirname(target));
}

/** Concurrent writes into one folder (a render's cache entries) share its fsyncs. */
const folderSyncs = new FolderSyncs((dir) => fsyncDirectory(dir));

/**
 * Windows refuses a rename while another process (an indexer, a virus scanner) briefly holds
 * the target open; those locks clear within milliseconds, so retry a few times.
 */
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const transient = process.platform === 'win32' && (code === 'EPERM' || code === 'EACCES' || code === 'EBUSY');
      if (!transient || attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
    }
  }
}

/** Make a rename durable. Windows cannot open folders for syncing (and NTFS journals renames). */
export async function fsyncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (err) {
    // Some file systems (network mounts, FUSE) do not support syncing a folder.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'ENOTSUP' && code !== 'EISDIR') throw err;
  } finally {
    await handle.close();
  }
}

export interface CleanupOptions {
  /** Also remove temp files of live processes once older than this (a pid can be reused). Default 24 h. */
  readonly olderThanMs?: number;
}

/**
 * Remove temp files (and temp folders named the same way) left in `dir` by writers that died before their rename. A temp file of a
 * process that is still running is kept (it may be mid-write) unless it is very old.
 * Returns the removed paths. A missing folder has nothing to clean.
 */
export async function cleanupStaleTemps(dir: string, options: CleanupOptions = {}): Promise<string[]> {
  const writerPid = (name: string) => {
    const match = TEMP_NAME.exec(name);
    return match ? Number(match[2]) : undefined;
  };
  return removeStaleTempsIn(dir, { writerPid, maxAgeMs: options.olderThanMs ?? 24 * 60 * 60 * 1000 });
}
