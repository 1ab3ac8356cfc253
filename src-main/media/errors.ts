import { CodedError } from '../engine/errors';

/**
 * An error of the media layer (ffmpeg, frames, output files). Its codes are in the one table,
 * engine/errors.ts ERROR_CODES: each names one thing the user can fix (install ffmpeg, pick
 * another folder, use a known extension); `message` says what and where, `hint` how to fix it.
 */
export class MediaError extends CodedError {
  override name = 'MediaError';
}

export function exportCancelled(): MediaError {
  return new MediaError('CANCELLED', 'The export was cancelled.');
}
