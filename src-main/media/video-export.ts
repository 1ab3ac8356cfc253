import { readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { encodeFrames } from './encoder-process';
import { MediaError, exportCancelled } from './errors';
import { buildFfmpegArgs, resolveCrf, resolvePreset, type EncodeSettings } from './ffmpeg-args';
import { locateFfmpeg } from './ffmpeg-locate';
import { resolveGifOptions } from './gif-options';
import type { RgbImage } from '../engine/image';
import { ProgressMeter, type ExportProgress } from './progress-meter';
import { freeBytes, stageOutput } from './safe-output';
import { verifyOutput } from './verify-output';
import { AUDIO_ENCODER, VIDEO_FORMATS, evenUp, formatFromPath, needsEvenSize, type VideoFormat } from './video-format';

/** What ffmpeg is told (output: the video file, or for `png` the folder for 00000.png, …), plus how to run it. */
export interface ExportOptions extends Omit<EncodeSettings, 'format' | 'input'> {
  /** Defaults to the output's extension. */
  format?: VideoFormat;
  /** The user's ffmpeg setting; see locateFfmpeg for the search order without it. */
  ffmpegPath?: string;
  signal?: AbortSignal;
  /**
   * Called synchronously at the last moment a cancel still counts, right before the finished
   * output is renamed into place; returning false cancels instead. A host uses it to stop
   * treating an interrupt as a cancel once the target is being replaced.
   */
  onCommit?: () => boolean | void;
  /** The exact path the user confirmed may be replaced even though it is not a video of this format. */
  overwrite?: string;
  onProgress?: (progress: ExportProgress) => void;
}

export interface ExportResult {
  /** Absolute path of the finished file or folder. */
  output: string;
  frames: number;
  format: VideoFormat;
  /** Size on disk; for a PNG sequence the sum of its files. */
  bytes: number;
  warnings: string[];
}

/**
 * Encode frames to a video file (mp4, webm, gif) or a PNG sequence through ffmpeg.
 * Frames are pulled lazily and streamed as raw RGB, never as temporary images. The result is
 * written beside the target under a hidden temporary name and renamed into place only when
 * ffmpeg succeeded, so an existing file survives a failure or a cancel untouched.
 * `onProgress` is called as each frame is handed to ffmpeg and as ffmpeg reports frames in
 * the output (the ETA is measured on those); the promise settles when the file is complete.
 */
export async function exportVideo(frames: AsyncIterable<RgbImage> | Iterable<RgbImage>, options: ExportOptions): Promise<ExportResult> {
  const format = checkOptions(options);
  const warnings: string[] = [];
  let audio = options.audio;
  if (audio !== undefined && AUDIO_ENCODER[format] === null) {
    warnings.push(`The audio file ${audio} was ignored: ${format === 'gif' ? 'GIF' : 'a PNG sequence'} has no sound track.`);
    audio = undefined;
  }
  if (audio !== undefined) await checkAudioFile(audio);
  if (needsEvenSize(format) && (options.width % 2 !== 0 || options.height % 2 !== 0)) {
    warnings.push(`${options.width}×${options.height} was scaled to ${evenUp(options.width)}×${evenUp(options.height)}: ${format} video (yuv420p) needs an even width and height.`);
  }
  if (options.signal?.aborted) throw exportCancelled();

  const ffmpeg = await locateFfmpeg({
    explicitPath: options.ffmpegPath,
    require: format,
    requireEncoders: audio !== undefined ? [AUDIO_ENCODER[format]!] : [],
  });
  if (options.signal?.aborted) throw exportCancelled();

  const staged = await stageOutput(options.output, {
    kind: format === 'png' ? 'dir' : 'file',
    format,
    minimumBytes: minimumOutputBytes(format, options.width, options.height, options.totalFrames),
    overwrite: options.overwrite,
  });
  try {
    const args = buildFfmpegArgs({ ...options, format, audio, output: staged.temp });
    const meter = new ProgressMeter(options.totalFrames);
    const written = await encodeFrames(ffmpeg.path, args, frames, {
      width: options.width,
      height: options.height,
      totalFrames: options.totalFrames,
      signal: options.signal,
      onFrame: options.onProgress ? (done) => options.onProgress!(meter.record(done)) : undefined,
      onEncoded: options.onProgress ? (encoded) => options.onProgress!(meter.recordEncoded(encoded)) : undefined,
      describeOutput: staged.target,
    });
    if (options.signal?.aborted) throw exportCancelled();
    const problem = await verifyOutput(staged.temp, format, written, { ffmpegPath: ffmpeg.path, signal: options.signal });
    if (problem !== null) throw await invalidOutput(staged.target, staged.temp, problem);
    // Checked in the same tick as the rename starts: a cancel either wins here or comes too late to matter.
    if (options.signal?.aborted || options.onCommit?.() === false) throw exportCancelled();
    await staged.commit();
    return { output: staged.target, frames: written, format, bytes: await sizeOnDisk(staged.target), warnings };
  } catch (error) {
    await staged.discard();
    throw error;
  }
}

/**
 * A low estimate of an export's size on disk (heavily compressed frames): with less free space
 * than this the export cannot succeed, so it fails before any encoding.
 */
export function minimumOutputBytes(format: VideoFormat, width: number, height: number, frames: number): number {
  const bytesPerPixel = { mp4: 0.002, webm: 0.002, gif: 0.02, png: 0.1 }[format];
  return Math.ceil(64 * 1024 + width * height * frames * bytesPerPixel);
}

/** ffmpeg said it succeeded, yet the file is not the planned video: say why, and whether the disk filled up. */
async function invalidOutput(target: string, temp: string, problem: string): Promise<MediaError> {
  const free = await freeBytes(dirname(temp));
  if (free !== null && free < 1024 * 1024) {
    return new MediaError('DISK_FULL', `The disk filled up while writing ${target}: ${problem}. Any previous file there was kept.`, {
      hint: 'Free some disk space or choose another folder, then export again.',
      file: target,
    });
  }
  return new MediaError('OUTPUT_INVALID', `ffmpeg finished but ${target} would not be a playable video: ${problem}. Any previous file there was kept.`, {
    hint: 'Check the free disk space and the ffmpeg build (FFMPEG_PATH or the ffmpegPath setting), then export again.',
    file: target,
  });
}

/** Reject bad options before anything touches the disk or starts a process. */
function checkOptions(options: ExportOptions): VideoFormat {
  if (typeof options.output !== 'string' || options.output.trim() === '') {
    throw badOption('output must be the path of the file (or, for png, the folder) to write.');
  }
  const positiveInteger = (name: 'width' | 'height' | 'totalFrames', max: number): void => {
    const value = options[name];
    if (!Number.isInteger(value) || value < 1 || value > max) {
      throw badOption(`${name} must be a whole number from 1 to ${max}, got ${String(value)}.`);
    }
  };
  positiveInteger('width', 16384);
  positiveInteger('height', 16384);
  positiveInteger('totalFrames', 10_000_000);
  if (typeof options.fps !== 'number' || !Number.isFinite(options.fps) || options.fps <= 0 || options.fps > 1000) {
    throw badOption(`fps must be a number above 0 and at most 1000, got ${String(options.fps)}.`);
  }

  let format: VideoFormat;
  if (options.format !== undefined) {
    if (!VIDEO_FORMATS.includes(options.format)) {
      throw new MediaError('BAD_FORMAT', `Unknown video format "${String(options.format)}": use one of ${VIDEO_FORMATS.join(', ')}.`);
    }
    format = options.format;
    const implied = impliedFormat(options.output);
    if (implied !== null && implied !== format && format !== 'png') {
      throw new MediaError('BAD_FORMAT', `The output ${options.output} has a .${implied} name but the format asked for is ${format}.`, {
        hint: `Rename the output to end in .${format}, or drop the format option to export ${implied}.`,
        file: options.output,
      });
    }
  } else {
    format = formatFromPath(options.output);
  }
  resolveCrf(format, options.crf);
  resolvePreset(options.preset);
  if (format === 'gif') resolveGifOptions(options.gif);
  return format;
}

function impliedFormat(path: string): VideoFormat | null {
  try {
    return formatFromPath(path);
  } catch {
    return null;
  }
}

async function checkAudioFile(audio: string): Promise<void> {
  let isFile = false;
  try {
    isFile = (await stat(audio)).isFile();
  } catch {
    // reported below
  }
  if (!isFile) {
    throw new MediaError('AUDIO_NOT_FOUND', `The audio file ${audio} does not exist or is not a file.`, {
      hint: 'Choose an existing audio file (wav, mp3, m4a, ogg, …), or export without audio.',
      file: audio,
    });
  }
}

async function sizeOnDisk(path: string): Promise<number> {
  const s = await stat(path);
  if (!s.isDirectory()) return s.size;
  let total = 0;
  for (const entry of await readdir(path, { withFileTypes: true })) {
    if (entry.isFile()) total += (await stat(join(path, entry.name))).size;
  }
  return total;
}

function badOption(message: string): MediaError {
  return new MediaError('BAD_OPTION', `Export options: ${message}`);
}
