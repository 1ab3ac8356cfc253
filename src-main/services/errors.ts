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
  const e = error as { code?: unknown; message?: unknown; hint?: unknown; file?: unknown } | null;
  if (e && typeof e === 'object' && typeof e.code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(e.code) && typeof e.message === 'string') {
    // A coded error from the worker seam, or Node's fs errors, whose codes are also upper case: ENOENT ….
    return { code: e.code, message: e.message, ...(typeof e.hint === 'string' ? { hint: e.hint } : {}) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: `Internal error: ${message}`, hint: 'This is a bug in the studio; please report it with the steps that led here.' };
}
