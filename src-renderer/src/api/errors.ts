import { ContractError } from '../../../src-main/contract/contract';

/** A readable sentence for any error the UI shows: message, then how to fix it. */
export function describeError(error: unknown): string {
  if (error instanceof ContractError) return error.hint ? `${error.message} ${error.hint}` : error.message;
  if (error && typeof error === 'object' && 'message' in error) {
    const e = error as { message: unknown; hint?: unknown };
    const hint = typeof e.hint === 'string' ? ` ${e.hint}` : '';
    return `${String(e.message)}${hint}`;
  }
  return String(error);
}

export function errorCode(error: unknown): string | undefined {
  return error && typeof error === 'object' && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

export function errorPath(error: unknown): (string | number)[] | undefined {
  return error instanceof ContractError ? error.path : undefined;
}
