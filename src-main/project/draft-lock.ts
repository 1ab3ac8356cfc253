import { readFileSync } from 'node:fs';
import { readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from './atomic-write';

/**
 * Which studio process holds a project (and so owns its autosave draft). Every studio of a user
 * keeps its untitled drafts in one folder and may open the same project files, so "there is an
 * autosave" does not mean "a studio crashed": a draft is offered for recovery only when the
 * studio that holds it is gone. The lock names the process by pid and start time, so a pid
 * reused by an unrelated process does not keep a crashed studio's draft hidden.
 */
export interface StudioIdentity {
  readonly pid: number;
  /** Epoch ms the process started. */
  readonly startedAt: number;
}

/** Start times read twice from the same clock agree to the tick; this allows clock jitter. */
const START_TOLERANCE_MS = 1000;

export function lockPathFor(projectFile: string): string {
  return path.join(path.dirname(projectFile), `.${path.basename(projectFile)}.lock`);
}

/** Linux: a process's start time from /proc (boot time + start ticks; USER_HZ is 100). Else undefined. */
export function processStartTime(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    const btime = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
    return Number.isFinite(ticks) && Number.isFinite(btime) ? btime * 1000 + ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}

/** This process as a lock names it. */
export function currentStudio(): StudioIdentity {
  return { pid: process.pid, startedAt: processStartTime(process.pid) ?? Math.round(performance.timeOrigin) };
}

/** True while the process named by `studio` runs (a pid now used by a later process does not count). */
export function studioIsAlive(studio: StudioIdentity): boolean {
  try {
    process.kill(studio.pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const started = processStartTime(studio.pid);
  return started === undefined || Math.abs(started - studio.startedAt) <= START_TOLERANCE_MS;
}

export async function writeDraftLock(projectFile: string, studio: StudioIdentity): Promise<void> {
  await writeFileAtomic(lockPathFor(projectFile), `${JSON.stringify(studio)}\n`);
}

export async function readDraftLock(projectFile: string): Promise<StudioIdentity | undefined> {
  try {
    const value = JSON.parse(await readFile(lockPathFor(projectFile), 'utf8')) as Partial<StudioIdentity>;
    return typeof value.pid === 'number' && typeof value.startedAt === 'number' ? { pid: value.pid, startedAt: value.startedAt } : undefined;
  } catch {
    // No lock (a studio from before locks, or it never got to write one) or a torn one: no holder.
    return undefined;
  }
}

/** Remove the lock if `studio` holds it (another studio may have taken the project since). */
export async function releaseDraftLock(projectFile: string, studio: StudioIdentity): Promise<void> {
  const holder = await readDraftLock(projectFile);
  if (!holder || holder.pid !== studio.pid || holder.startedAt !== studio.startedAt) return;
  await unlink(lockPathFor(projectFile)).catch(() => undefined);
}

/** Whether a running studio holds `projectFile`: its draft is then that studio's live autosave. */
export async function heldByRunningStudio(projectFile: string, isAlive: (s: StudioIdentity) => boolean = studioIsAlive): Promise<boolean> {
  const holder = await readDraftLock(projectFile);
  return holder !== undefined && isAlive(holder);
}
