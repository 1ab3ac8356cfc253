import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { MediaError } from './errors';
import { locateFfmpeg } from './ffmpeg-locate';

/** Rate the studio analyses audio at: plenty for onsets and waveforms, a quarter of CD data. */
export const ANALYSIS_SAMPLE_RATE = 22050;

export interface DecodedAudio {
  /** Mono samples, −1 … 1. */
  readonly samples: Float32Array;
  readonly sampleRate: number;
  readonly durationSeconds: number;
}

/**
 * Any audio ffmpeg reads (wav, mp3, flac, m4a, ogg, …) as mono 32-bit float PCM. A file that
 * is missing or that ffmpeg cannot decode is a MediaError naming the file and ffmpeg's reason.
 */
export async function decodeAudio(file: string, options: { ffmpegPath?: string; sampleRate?: number; signal?: AbortSignal } = {}): Promise<DecodedAudio> {
  if (!existsSync(file)) {
    throw new MediaError('AUDIO_NOT_FOUND', `The audio file ${file} does not exist.`, { file, hint: 'Put the audio file next to the project and choose it again.' });
  }
  const sampleRate = options.sampleRate ?? ANALYSIS_SAMPLE_RATE;
  const ffmpeg = await locateFfmpeg({ explicitPath: options.ffmpegPath });
  const args = ['-v', 'error', '-nostdin', '-i', file, '-vn', '-ac', '1', '-ar', String(sampleRate), '-f', 'f32le', 'pipe:1'];
  const child = spawn(ffmpeg.path, args, { stdio: ['ignore', 'pipe', 'pipe'], signal: options.signal });
  const chunks: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => chunks.push(c));
  child.stderr.on('data', (c: Buffer) => {
    if (stderr.length < 4000) stderr += c.toString();
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', (error) => reject(error));
    child.on('close', resolve);
  }).catch((error: unknown) => {
    if (options.signal?.aborted) throw new MediaError('CANCELLED', 'Reading the audio was cancelled.');
    throw new MediaError('FFMPEG_FAILED', `ffmpeg could not be started to read ${file}: ${(error as Error).message}`, { file });
  });
  if (code !== 0) {
    const reason = stderr.trim().split('\n').slice(-2).join(' ') || `exit code ${code}`;
    throw new MediaError('FFMPEG_FAILED', `ffmpeg could not decode the audio file ${file}: ${reason}`, {
      file,
      hint: 'Use a wav, mp3, flac, m4a or ogg file that plays in a media player.',
    });
  }
  const bytes = Buffer.concat(chunks);
  const samples = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + (bytes.byteLength - (bytes.byteLength % 4))));
  return { samples, sampleRate, durationSeconds: samples.length / sampleRate };
}
