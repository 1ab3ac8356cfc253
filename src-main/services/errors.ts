import { ZodError } from 'zod';
import type { ContractErrorData } from '../contract/contract';
import { CodedError } from '../engine/errors';

/** An error a service raises on purpose: it crosses the contract as {code, message, path?, hint?}. */
export class AppError extends CodedError {
  override name = 'AppError';
}

function zodPath(path: readonly PropertyKey[]): (string | number)[] {
  return path.map((p) => (typeof p === 'number' ? p : String(p)));
}

function describeZodIssues(error: ZodError, prefix: (string | number)[]): string {
  const lines = error.issues.slice(0, 10).map((i) => {
    const where = [...prefix, ...zodPath(i.path)];
    return where.length ? `${where.join('.')}: ${i.message}` : i.message;
  });
  if (error.issues.length > 10) lines.push(`… and ${error.issues.length - 10} more`);
  return lines.join('; ');
}

/** A request that failed its schema: BAD_REQUEST naming the method and the first bad field. */
export function badRequest(method: string, error: ZodError, prefix: (string | number)[] = []): ContractErrorData {
  const first = error.issues[0];
  const path = [...prefix, ...zodPath(first?.path ?? [])];
  return {
    code: 'BAD_REQUEST',
    message: `Invalid request to ${method}: ${describeZodIssues(error, prefix)}`,
    ...(path.length ? { path } : {}),
  };
}

/**
 * Anything thrown by a service, the engine, media or the project layer as contract error data.
 * Typed errors keep their code and hint; anything else becomes INTERNAL without a stack trace.
 */
export function toErrorData(error: unknown): ContractErrorData {
  if (error instanceof CodedError) {
    return { code: error.code, message: error.message, ...(error.path ? { path: error.path } : {}), ...(error.hint ? { hint: error.hint } : {}) };
  }
  if (error instanceof ZodError) {
    return { code: 'BAD_REQUEST', message: describeZodIssues(error, []), path: zodPath(error.issues[0]?.path ?? []) };
  }
  const system = fileSystemErrorData(error);
  if (system) return system;
  const e = error as { code?: unknown; message?: unknown; hint?: unknown; file?: unknown } | null;
  if (e && typeof e === 'object' && typeof e.code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(e.code) && typeof e.message === 'string') {
    // A coded error from the worker seam, or Node's fs errors, whose codes are also upper case: ENOENT ….
    return { code: e.code, message: e.message, ...(typeof e.hint === 'string' ? { hint: e.hint } : {}) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: `Internal error: ${message}`, hint: 'This is a bug in the studio; please report it with the steps that led here.' };
}

const SYSCALL_VERBS: Readonly<Record<string, string>> = {
  open: 'open',
  read: 'read',
  write: 'write',
  mkdir: 'create the folder',
  rename: 'move a file into',
  unlink: 'remove',
  rmdir: 'remove the folder',
  scandir: 'list the folder',
  copyfile: 'copy to',
  fsync: 'save',
  stat: 'look at',
};

/**
 * A Node.js file-system error (`{code: 'EROFS', syscall: 'open', path, …}`) as something a
 * person can act on: what failed, where, why in plain words, and a hint; null for anything else.
 */
export function fileSystemErrorData(error: unknown): ContractErrorData | null {
  const e = error as { code?: unknown; syscall?: unknown; path?: unknown; dest?: unknown; errno?: unknown } | null;
  if (!e || typeof e !== 'object' || typeof e.code !== 'string' || typeof e.syscall !== 'string' || typeof e.errno !== 'number') return null;
  const where = typeof e.dest === 'string' ? e.dest : typeof e.path === 'string' ? e.path : 'a file';
  const verb = SYSCALL_VERBS[e.syscall] ?? `${e.syscall}`;
  const known: Record<string, { code: string; reason: string; hint: string }> = {
    ENOSPC: { code: 'DISK_FULL', reason: 'the disk is full', hint: 'Free some disk space, or save to another disk. Nothing that was saved before was lost.' },
    EDQUOT: { code: 'DISK_FULL', reason: 'your disk quota is used up', hint: 'Free some space, or save to another disk.' },
    EROFS: { code: 'READ_ONLY', reason: 'it is on a read-only disk', hint: 'Choose a folder on a writable disk.' },
    EACCES: { code: 'PERMISSION_DENIED', reason: 'permission denied', hint: 'Choose a folder you own, or change its permissions.' },
    EPERM: { code: 'PERMISSION_DENIED', reason: 'the system does not allow it', hint: 'Choose a folder you own, or change its permissions.' },
    ENOENT: { code: 'NOT_FOUND', reason: 'it does not exist', hint: 'Check the path; the file or folder may have been moved or deleted.' },
    ENOTDIR: { code: 'NOT_FOUND', reason: 'a part of the path is a file, not a folder', hint: 'Check the path.' },
    EISDIR: { code: 'FILE_SYSTEM', reason: 'it is a folder', hint: 'Choose a file, not a folder.' },
    EBUSY: { code: 'FILE_SYSTEM', reason: 'another program holds it open', hint: 'Close the other program and try again.' },
    EMFILE: { code: 'FILE_SYSTEM', reason: 'too many files are open', hint: 'Close some programs and try again.' },
    EIO: { code: 'FILE_SYSTEM', reason: 'the disk reported an input/output error', hint: 'Check the disk; try another folder.' },
  };
  const k = known[e.code] ?? { code: 'FILE_SYSTEM', reason: `system error ${e.code}`, hint: 'Try another folder; if it keeps failing, check the disk.' };
  return { code: k.code, message: `Could not ${verb} ${where}: ${k.reason}.`, hint: k.hint };
}
