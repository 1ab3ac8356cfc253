import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { exportCancelled } from './errors';
import type { VideoFormat } from './video-format';

/** Why a finished output is not what was planned; null when it is. */
export type OutputProblem = string | null;

/**
 * Check a finished export before it may replace anything: ffmpeg exits 0 even when the mp4
 * muxer hit a full disk (no `moov` atom) or wrote nothing at all. A video must open as a
 * container, hold a video stream and have exactly the planned number of frames; a PNG
 * sequence must have every numbered file, each a complete PNG.
 */
export async function verifyOutput(
  output: string,
  format: VideoFormat,
  expectedFrames: number,
  options: { ffmpegPath: string; signal?: AbortSignal },
): Promise<OutputProblem> {
  if (format === 'png') return verifyPngSequence(output, expectedFrames);
  let size = 0;
  try {
    size = (await stat(output)).size;
  } catch {
    return 'the file was not written';
  }
  if (size === 0) return 'the file is empty (0 bytes)';
  const counted = await countVideoFrames(output, options.ffmpegPath, options.signal);
  if (typeof counted === 'string') return counted;
  if (counted !== expectedFrames) return `it holds ${counted} frames, ${expectedFrames} were planned`;
  return null;
}

/** ffprobe beside the ffmpeg in use, else on PATH; null when there is none (ffmpeg-static ships none). */
export function ffprobeBeside(ffmpegPath: string): string | null {
  const name = basename(ffmpegPath).replace(/ffmpeg/i, 'ffprobe');
  const sibling = join(dirname(ffmpegPath), name);
  if (name !== basename(ffmpegPath) && existsSync(sibling)) return sibling;
  for (const dir of (process.env.PATH ?? '').split(process.platform === 'win32' ? ';' : ':')) {
    if (!dir) continue;
    const candidate = join(dir, process.platform === 'win32' ? 'ffprobe.exe' : 'ffprobe');
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/**
 * Frames in the first video stream, counted from packets (no decoding, fast even for long
 * movies; every format we write has one frame per packet), or the reason the file is unreadable.
 */
async function countVideoFrames(file: string, ffmpegPath: string, signal?: AbortSignal): Promise<number | string> {
  const ffprobe = ffprobeBeside(ffmpegPath);
  if (ffprobe) {
    const run = await runTool(ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-count_packets', '-show_entries', 'stream=nb_read_packets', '-of', 'csv=p=0', file], signal);
    if (run.code !== 0) return `it cannot be read as a video (${lastLine(run.stderr) ?? `ffprobe exit code ${run.code}`})`;
    const n = Number.parseInt(run.stdout.trim().split(/\s+/)[0] ?? '', 10);
    return Number.isInteger(n) ? n : 'it has no video stream';
  }
  // Without ffprobe, ffmpeg copying the stream to nowhere reads every packet the same way.
  const run = await runTool(ffmpegPath, ['-hide_banner', '-nostdin', '-v', 'error', '-stats', '-i', file, '-map', '0:v:0', '-c', 'copy', '-f', 'null', '-'], signal);
  if (run.code !== 0) return `it cannot be read as a video (${lastLine(run.stderr.replace(/frame=.*$/gm, '')) ?? `ffmpeg exit code ${run.code}`})`;
  const matches = [...run.stderr.matchAll(/frame=\s*(\d+)/g)];
  return matches.length > 0 ? Number(matches[matches.length - 1][1]) : 'it has no video stream';
}

async function verifyPngSequence(dir: string, expectedFrames: number): Promise<OutputProblem> {
  const names = new Set(await readdir(dir).catch(() => [] as string[]));
  for (let i = 0; i < expectedFrames; i++) {
    const name = `${String(i).padStart(5, '0')}.png`;
    if (!names.has(name)) return `frame ${name} is missing (${i} of ${expectedFrames} written)`;
    // Only the first and last files are read through: a full disk truncates the tail first.
    if ((i === 0 || i === expectedFrames - 1) && !(await endsWithIend(join(dir, name)))) return `frame ${name} is cut short`;
  }
  return null;
}

const IEND = Buffer.from([0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);

async function endsWithIend(file: string): Promise<boolean> {
  const handle = await open(file, 'r').catch(() => null);
  if (!handle) return false;
  try {
    const { size } = await handle.stat();
    if (size < IEND.length) return false;
    const tail = Buffer.alloc(IEND.length);
    await handle.read(tail, 0, IEND.length, size - IEND.length);
    return tail.equals(IEND);
  } finally {
    await handle.close();
  }
}

function runTool(path: string, args: string[], signal?: AbortSignal): Promise<{ code: number | null; stdout: string; stderr: string }> {
  if (signal?.aborted) return Promise.reject(exportCancelled());
  return new Promise((resolve, reject) => {
    const child = spawn(path, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout = (stdout + d).slice(-64 * 1024)));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-64 * 1024)));
    const onAbort = (): void => {
      child.kill('SIGKILL');
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    child.once('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      resolve({ code: -1, stdout, stderr: error.message });
    });
    child.once('close', (code) => {
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) reject(exportCancelled());
      else resolve({ code, stdout, stderr });
    });
  });
}

function lastLine(text: string): string | null {
  const lines = text.split(/\r?\n|\r/).map((l) => l.trim()).filter(Boolean);
  return lines.length > 0 ? lines[lines.length - 1] : null;
}
