/**
 * Typed engine errors. Every failure a user can cause (a bad model folder, a bad prompt
 * setting, a cancel) maps to one of these codes with a message that says what went wrong,
 * where, and how to fix it; hosts show `message` (and `hint`) and never a stack trace.
 */
export type EngineErrorCode =
  | 'MODEL_NOT_FOUND'
  | 'MODEL_FILE_MISSING'
  | 'MODEL_NOT_ONNX'
  | 'MODEL_BAD_IO'
  | 'MODEL_UNSUPPORTED_OP'
  | 'MODEL_BAD_CONFIG'
  | 'MODEL_EXTERNAL_DATA'
  | 'PROVIDER_UNAVAILABLE'
  | 'NON_FINITE_OUTPUT'
  | 'BAD_ARGUMENT'
  | 'PROJECT_INVALID'
  | 'CANCELLED'
  | 'NOT_CACHED'
  | 'WORKER_CRASHED'
  | 'INTERNAL';

export class EngineError extends Error {
  readonly code: EngineErrorCode;
  readonly hint?: string;
  readonly file?: string;

  constructor(code: EngineErrorCode, message: string, options: { hint?: string; file?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EngineError';
    this.code = code;
    this.hint = options.hint;
    this.file = options.file;
  }

  /** Plain data for crossing a thread or process boundary. */
  toJSON(): SerializedEngineError {
    return { code: this.code, message: this.message, hint: this.hint, file: this.file };
  }
}

export interface SerializedEngineError {
  code: EngineErrorCode;
  message: string;
  hint?: string;
  file?: string;
}

export function cancelledError(what = 'The job'): EngineError {
  return new EngineError('CANCELLED', `${what} was cancelled.`);
}

export function isCancelled(error: unknown): boolean {
  return error instanceof EngineError ? error.code === 'CANCELLED' : (error as { code?: string })?.code === 'CANCELLED';
}

export function throwIfAborted(signal: AbortSignal | undefined, what?: string): void {
  if (signal?.aborted) throw cancelledError(what);
}

/** Turn anything thrown into the serialisable form, keeping typed errors intact. */
export function serializeError(error: unknown): SerializedEngineError {
  if (error instanceof EngineError) return error.toJSON();
  const e = error as { code?: unknown; message?: unknown; hint?: unknown };
  if (e && typeof e.code === 'string' && typeof e.message === 'string') {
    return { code: e.code as EngineErrorCode, message: e.message, hint: typeof e.hint === 'string' ? e.hint : undefined };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: `Internal error: ${message}` };
}

export function deserializeError(data: SerializedEngineError): EngineError {
  return new EngineError(data.code, data.message, { hint: data.hint, file: data.file });
}
