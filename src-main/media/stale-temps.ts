import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Whether a process with this pid runs (EPERM: it exists but belongs to someone else). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface StaleTempRule {
  /** The writer's pid from a temp's name, or undefined for a name that is not such a temp. */
  readonly writerPid: (name: string) => number | undefined;
  /** Also remove temps of live processes once older than this: a pid can be reused. */
  readonly maxAgeMs: number;
  /** Paths this process is writing right now, never removed. */
  readonly keep?: (path: string) => boolean;
}

/**
 * Remove the temp files and folders in `folder` that a writer left when it died before its
 * rename: its process is gone, or the temp is older than `maxAgeMs`. One rule for the
 * project's atomic writes and the exports' partial files. A missing folder has nothing to
 * clean; returns the removed paths.
 */
export async function removeStaleTempsIn(folder: string, rule: StaleTempRule): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = rule.writerPid(name);
    if (pid === undefined) continue;
    const path = join(folder, name);
    if (rule.keep?.(path)) continue;
    let stale = !processIsAlive(pid);
    if (!stale) {
      const info = await stat(path).catch(() => undefined);
      stale = info !== undefined && Date.now() - info.mtimeMs > rule.maxAgeMs;
    }
    if (stale) {
      // A folder too: a render-cache copy a crashed Save As left, or a half-written PNG sequence.
      await rm(path, { recursive: true, force: true });
      removed.push(path);
    }
  }
  return removed;
}
