/**
 * Typed media errors. Each code names one thing the user can fix (install ffmpeg, pick another
 * folder, use a known extension); `message` says what and where, `hint` says how to fix it.
 * Hosts show both and never a stack trace.
 */
export type MediaErrorCode =
  | 'FFMPEG_NOT_FOUND'
  | 'FFMPEG_UNUSABLE'
  | 'ENCODER_MISSING'
  | 'OUTPUT_NOT_WRITABLE'
  | 'AUDIO_NOT_FOUND'
  | 'FFMPEG_FAILED'
  | 'CANCELLED'
  | 'BAD_FRAME'
  | 'BAD_FORMAT'
  | 'BAD_OPTION'
  /** Not enough free space for the output, or the disk filled while writing (the old file is kept). */
  | 'DISK_FULL'
  /** ffmpeg reported success but the file is not the planned video (the old file is kept). */
  | 'OUTPUT_INVALID'
  /** A folder the studio did not write is never replaced by a PNG-sequence export. */
  | 'OVERWRITE_REFUSED'
  /** The target is a file of another kind: replaced only when the user confirmed that exact path. */
  | 'OVERWRITE_NEEDS_CONFIRMATION'
  /** A PNG that cannot be decoded (damaged, cut short, not a PNG). */
  | 'IMAGE_UNREADABLE';

export class MediaError extends Error {
  readonly code: MediaErrorCode;
  readonly hint?: string;
  /** The file or folder the error is about, when there is one. */
  readonly file?: string;

  constructor(code: MediaErrorCode, message: string, options: { hint?: string; file?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MediaError';
    this.code = code;
    this.hint = options.hint;
    this.file = options.file;
  }

  /** Plain data for crossing a thread or process boundary. */
  toJSON(): { code: MediaErrorCode; message: string; hint?: string; file?: string } {
    return { code: this.code, message: this.message, hint: this.hint, file: this.file };
  }
}

export function exportCancelled(): MediaError {
  return new MediaError('CANCELLED', 'The export was cancelled.');
}
