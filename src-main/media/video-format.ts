import { extname } from 'node:path';
import { MediaError } from './errors';

export type VideoFormat = 'mp4' | 'webm' | 'gif' | 'png';

export const VIDEO_FORMATS: readonly VideoFormat[] = ['mp4', 'webm', 'gif', 'png'];

/** The ffmpeg video encoder each format needs (as listed by `ffmpeg -encoders`). */
export const VIDEO_ENCODER: Readonly<Record<VideoFormat, string>> = {
  mp4: 'libx264',
  webm: 'libvpx-vp9',
  gif: 'gif',
  png: 'png',
};

/** The ffmpeg audio encoder for formats that carry sound; GIF and PNG sequences have none. */
export const AUDIO_ENCODER: Readonly<Record<VideoFormat, string | null>> = {
  mp4: 'aac',
  webm: 'libopus',
  gif: null,
  png: null,
};

const EXTENSIONS: Readonly<Record<string, VideoFormat>> = {
  '.mp4': 'mp4',
  '.m4v': 'mp4',
  '.webm': 'webm',
  '.gif': 'gif',
  '.png': 'png',
};

/**
 * The format an output path asks for, from its extension. A PNG sequence is a folder, so a
 * path without an extension (or ending in a separator) can only be named with `format: 'png'`.
 */
export function formatFromPath(path: string): VideoFormat {
  const ext = extname(path).toLowerCase();
  const format = EXTENSIONS[ext];
  if (format) return format;
  const known = Object.keys(EXTENSIONS).join(', ');
  throw new MediaError(
    'BAD_FORMAT',
    ext
      ? `Cannot tell the video format of "${path}": the extension "${ext}" is not one we export (known: ${known}).`
      : `Cannot tell the video format of "${path}": it has no extension (known: ${known}).`,
    { hint: 'Name the output with a known extension, or pass the format explicitly (mp4, webm, gif or png).', file: path },
  );
}

/** True when the format is stored as yuv420p, which needs even width and height. */
export function needsEvenSize(format: VideoFormat): boolean {
  return format === 'mp4' || format === 'webm';
}

/** Round a dimension up to the next even number (4:2:0 chroma covers 2×2 pixel blocks). */
export function evenUp(n: number): number {
  return n % 2 === 0 ? n : n + 1;
}
