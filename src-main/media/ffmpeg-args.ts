import { join } from 'node:path';
import { MediaError } from './errors';
import { gifFilterGraph, gifLoopArg, resolveGifOptions, type GifOptions } from './gif-options';
import { AUDIO_ENCODER, VIDEO_ENCODER, evenUp, needsEvenSize, type VideoFormat } from './video-format';

/** x264's preset names, slowest last; the same names steer VP9's speed/quality trade-off. */
export const PRESETS = ['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow', 'placebo'] as const;
export type Preset = (typeof PRESETS)[number];

/** Visually near-lossless defaults: x264 CRF 18, and VP9 CRF 31 (the value libvpx's docs suggest for HD). */
export const DEFAULT_CRF: Readonly<Record<'mp4' | 'webm', number>> = { mp4: 18, webm: 31 };
const CRF_MAX: Readonly<Record<'mp4' | 'webm', number>> = { mp4: 51, webm: 63 };
export const DEFAULT_PRESET: Preset = 'medium';

/** libvpx-vp9 `-cpu-used` for each preset in "good" deadline mode: 0 is slowest/best, 5 fastest. */
const VP9_CPU_USED: Readonly<Record<Preset, number>> = {
  ultrafast: 5,
  superfast: 5,
  veryfast: 5,
  faster: 4,
  fast: 3,
  medium: 2,
  slow: 1,
  slower: 1,
  veryslow: 0,
  placebo: 0,
};

export interface EncodeSettings {
  format: VideoFormat;
  width: number;
  height: number;
  fps: number;
  totalFrames: number;
  /** Constant quality: x264 0–51 (default 18), VP9 0–63 (default 31). Ignored for GIF and PNG. */
  crf?: number;
  /** x264 preset name (default "medium"); also picks VP9's speed. */
  preset?: string;
  /** An audio file to mux in (mp4: AAC, webm: Opus), padded with silence or cut to the video's length. */
  audio?: string;
  /** Where ffmpeg writes: a file for mp4/webm/gif, a folder for a PNG sequence. */
  output: string;
  /** Where the raw rgb24 frames come from; stdin unless a benchmark feeds a file. */
  input?: string;
  /** Size, loop and palette choices for GIF (gif-options.ts has the defaults); ignored otherwise. */
  gif?: Partial<GifOptions>;
}

/** The CRF for a format, checked against the encoder's range; null for formats without one. */
export function resolveCrf(format: VideoFormat, crf: number | undefined): number | null {
  if (format !== 'mp4' && format !== 'webm') return null;
  if (crf === undefined) return DEFAULT_CRF[format];
  if (!Number.isInteger(crf) || crf < 0 || crf > CRF_MAX[format]) {
    throw new MediaError('BAD_OPTION', `crf ${crf} is out of range for ${format}: use a whole number from 0 (lossless) to ${CRF_MAX[format]}.`, {
      hint: `Lower is better quality and bigger files; ${DEFAULT_CRF[format]} is the default.`,
    });
  }
  return crf;
}

export function resolvePreset(preset: string | undefined): Preset {
  if (preset === undefined) return DEFAULT_PRESET;
  if (!(PRESETS as readonly string[]).includes(preset)) {
    throw new MediaError('BAD_OPTION', `Unknown encoder preset "${preset}": use one of ${PRESETS.join(', ')}.`, {
      hint: `"${DEFAULT_PRESET}" is the default; faster presets give bigger files at the same quality.`,
    });
  }
  return preset as Preset;
}

/** ffmpeg's command line (without the executable) for one export. Pure: same settings, same arguments. */
export function buildFfmpegArgs(settings: EncodeSettings): string[] {
  const { format, width, height, fps } = settings;
  const crf = resolveCrf(format, settings.crf);
  const preset = resolvePreset(settings.preset);
  const audio = AUDIO_ENCODER[format] !== null ? settings.audio : undefined;

  // -progress on stdout: key=value lines ("frame=N" = frames in the output), which the ETA is
  // measured on; stderr stays for error messages.
  const args = ['-hide_banner', '-loglevel', 'error', '-nostats', '-progress', 'pipe:1', '-y'];
  args.push('-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-r', String(fps), '-i', settings.input ?? 'pipe:0');
  if (audio) args.push('-i', audio);

  const gif = format === 'gif' ? resolveGifOptions(settings.gif) : null;
  if (gif) {
    args.push('-filter_complex', gifFilterGraph(width, height, gif), '-map', '[out]');
  } else {
    args.push('-map', '0:v:0');
    if (audio) args.push('-map', '1:a:0');
    if (needsEvenSize(format) && (width % 2 !== 0 || height % 2 !== 0)) {
      // yuv420p needs even sizes; stretching by one pixel is invisible, a black edge would not be.
      args.push('-vf', `scale=${evenUp(width)}:${evenUp(height)}:flags=bicubic,setsar=1`);
    }
  }

  args.push('-c:v', VIDEO_ENCODER[format]);
  switch (format) {
    case 'mp4':
      args.push('-preset', preset, '-crf', String(crf), '-pix_fmt', 'yuv420p');
      break;
    case 'webm':
      // -b:v 0 makes CRF a pure constant-quality mode instead of a cap on a default bitrate.
      args.push('-crf', String(crf), '-b:v', '0', '-pix_fmt', 'yuv420p', '-deadline', 'good', '-cpu-used', String(VP9_CPU_USED[preset]), '-row-mt', '1');
      break;
    case 'gif':
      args.push('-loop', gifLoopArg(gif!.plays));
      break;
    case 'png':
      break;
  }

  if (audio) {
    args.push('-c:a', AUDIO_ENCODER[format]!, '-b:a', format === 'mp4' ? '192k' : '128k');
    // Pad short audio with silence, then cut everything at the video's length.
    args.push('-af', 'apad', '-t', (settings.totalFrames / fps).toFixed(6));
  }

  switch (format) {
    case 'mp4':
      args.push('-movflags', '+faststart', '-f', 'mp4', settings.output);
      break;
    case 'webm':
      args.push('-f', 'webm', settings.output);
      break;
    case 'gif':
      args.push('-f', 'gif', settings.output);
      break;
    case 'png':
      args.push('-f', 'image2', '-start_number', '0', join(settings.output, '%05d.png'));
      break;
  }
  return args;
}
