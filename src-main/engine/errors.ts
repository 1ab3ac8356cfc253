/**
 * The studio's one error vocabulary. Every failure a user can cause (a bad model folder, a bad
 * request, a missing ffmpeg, a cancel) is a CodedError with one of these codes and a message
 * that says what went wrong, where, and how to fix it; hosts show `message` (and `hint`) and
 * never a stack trace. Errors cross the contract as {code, message, path?, hint?}.
 *
 * The table lives in the engine, the lowest layer that raises coded errors, so every layer
 * above (media, project, services, the contract and through it the renderer) shares it. Add a
 * code as one line: `CODE: 'what it means',`.
 */
export const ERROR_CODES = {
  // model folders and execution providers
  MODEL_NOT_FOUND: 'the model folder does not exist',
  MODEL_FILE_MISSING: 'a file the model folder needs is missing',
  MODEL_NOT_ONNX: 'a model file is not an ONNX graph',
  MODEL_BAD_IO: "a graph's inputs or outputs are not the ones an SD 2.x export has",
  MODEL_UNSUPPORTED_OP: 'a graph uses an operator ONNX Runtime cannot run here',
  MODEL_BAD_CONFIG: 'a tokenizer, scheduler or model_index file cannot be used',
  MODEL_EXTERNAL_DATA: "a graph's external weight file is missing or unreadable",
  MODEL_SIZE_UNSUPPORTED: "the project's width/height is not one the model's UNet accepts (see sd/size-rule.ts)",
  MODEL_GPU_ONLY: 'a model is built for a GPU provider only (fused contrib operators the CPU lacks)',
  MODEL_NOT_SD2_ONNX: 'a downloaded repository is not a usable Stable Diffusion 2.x ONNX layout',
  MODEL_NOT_DOWNLOADED: 'a Hub model named by a project or --model is not in the Hugging Face cache',
  // the Hugging Face Hub
  HUB_NOT_FOUND: 'no such repository, revision or file on the Hub',
  HUB_GATED: 'the repository is gated or private and the token (HF_TOKEN) has no access',
  HUB_NETWORK: 'the Hub could not be reached or ended a download early (run the pull again to resume)',
  HUB_OFFLINE: 'HF_HUB_OFFLINE=1 forbids a download the request needs',
  HUB_BAD_LISTING: "the Hub's file list has an entry that cannot be stored safely",
  HUB_CHECKSUM: "a downloaded file's sha256 differs from the Hub's LFS id (the partial file is deleted)",
  PROVIDER_UNAVAILABLE: 'the chosen execution provider cannot run on this machine',
  NON_FINITE_OUTPUT: 'a model produced NaN or infinite values; the job stops instead of writing black frames',
  // arguments, requests and projects
  BAD_ARGUMENT: 'a value passed to the engine is out of range or of the wrong kind',
  BAD_REQUEST: "the payload does not match the method's request schema",
  UNKNOWN_METHOD: 'no contract method has that name',
  FORBIDDEN: 'IPC from a page other than the studio in the main window',
  INVALID_PROJECT: 'a project document or file failed validation (see path)',
  NO_PROJECT: 'the method needs an open project',
  STALE_EDIT: 'an edit made on a revision of the project the host has moved past (another window changed it): the studio re-reads the project and sends the edit again',
  NO_PATH: 'save on an untitled project: the UI asks for a path (saveAs)',
  NOT_FOUND: 'a file, job, recovery or model that does not exist',
  UNSUPPORTED: 'not available on this host (e.g. native dialogs in the browser)',
  BUSY: 'e.g. a second export while one runs',
  // renders and caches
  NOT_RENDERED: 'export before every transition of the movie is rendered',
  NOT_CACHED: 'a cache-only render found an image missing from the cache',
  RENDER_NEEDS_CONFIRMATION: 'the render is estimated to take very long: ask, then repeat with `confirmHuge: true`',
  CACHE_DAMAGED: 'a render cache file is not ours or is damaged; it is recomputed',
  // media
  FFMPEG_NOT_FOUND: 'no ffmpeg binary was found',
  FFMPEG_UNUSABLE: 'the ffmpeg found does not run or is too old',
  ENCODER_MISSING: 'ffmpeg lacks the encoder the export format needs',
  OUTPUT_NOT_WRITABLE: 'the export file or folder cannot be written',
  AUDIO_NOT_FOUND: 'the audio file to mux does not exist',
  FFMPEG_FAILED: 'ffmpeg exited with an error',
  BAD_FRAME: 'a frame has the wrong size or format for the video',
  BAD_FORMAT: 'an unknown video format or file extension',
  BAD_OPTION: 'an export option is out of range',
  OUTPUT_INVALID: 'ffmpeg reported success but the file is not the planned video (the old file is kept)',
  OVERWRITE_REFUSED: 'a folder the studio did not write is never replaced by a PNG-sequence export',
  IMAGE_UNREADABLE: 'a PNG that cannot be decoded (damaged, cut short, not a PNG)',
  PNG_ENCODER_FAILED: 'a PNG encoder thread failed or stopped; the images it held are not written',
  // files the user owns
  OVERWRITE_NEEDS_CONFIRMATION: 'the target is a file of another kind: ask, then repeat with `overwrite: path`',
  DISK_FULL: 'not enough free space, or the disk filled while writing (the old file is kept)',
  READ_ONLY: 'a file-system error: the folder is on a read-only disk',
  PERMISSION_DENIED: 'a file-system error: not allowed to read or write there',
  FILE_SYSTEM: 'any other file-system error, named with what failed and where',
  SYSTEM_FOLDER: 'a save or export into a system folder (/etc, /usr, C:\\Windows…): pick a folder of your own',
  // jobs, workers and transports
  FARM_UNAVAILABLE: "the render farm's Redis cannot be reached or went away (nothing local is lost)",
  FARM_JOB_FAILED: 'a farm job failed for good; the reason is the worker\'s',
  CANCELLED: 'the user cancelled the job',
  WORKER_CRASHED: 'the engine worker died; the next job starts a new one',
  DISCONNECTED: 'renderer side: the WebSocket to the web host dropped',
  OUT_OF_MEMORY: 'the machine lacks the memory to load or run the model',
  INTERNAL: 'a bug in the studio',
} as const satisfies Record<string, string>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface CodedErrorOptions {
  /** How to fix it. */
  hint?: string;
  /** The file or folder the error is about, when there is one. */
  file?: string;
  /** Field path inside the request or document, e.g. ['transitions', 1, 'duration']. */
  path?: (string | number)[];
  cause?: unknown;
}

/** The one base of the studio's typed errors: a code from ERROR_CODES, a message for the user, and where. */
export class CodedError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly file?: string;
  readonly path?: (string | number)[];

  constructor(code: ErrorCode, message: string, options: CodedErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CodedError';
    this.code = code;
    this.hint = options.hint;
    this.file = options.file;
    this.path = options.path;
  }

  /** Plain data for crossing a thread or process boundary. */
  toJSON(): SerializedError {
    return { code: this.code, message: this.message, hint: this.hint, file: this.file, ...(this.path ? { path: this.path } : {}) };
  }
}

/**
 * An error the engine raises. A subclass because it crosses the worker seam: the host rebuilds
 * it (deserializeError), and the pipeline passes it through where other errors get wrapped.
 */
export class EngineError extends CodedError {
  override name = 'EngineError';
}

export interface SerializedError {
  code: ErrorCode;
  message: string;
  hint?: string;
  file?: string;
  path?: (string | number)[];
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
export function serializeError(error: unknown): SerializedError {
  if (error instanceof CodedError) return error.toJSON();
  const e = error as { code?: unknown; message?: unknown; hint?: unknown };
  if (e && typeof e.code === 'string' && typeof e.message === 'string') {
    // Node's own errors (ENOENT, EACCES …) keep their code: it names the cause.
    return { code: e.code as ErrorCode, message: e.message, hint: typeof e.hint === 'string' ? e.hint : undefined };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: `Internal error: ${message}` };
}

export function deserializeError(data: SerializedError): EngineError {
  return new EngineError(data.code, data.message, { hint: data.hint, file: data.file, path: data.path });
}
