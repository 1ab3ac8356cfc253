/**
 * Export benchmark: how much does streaming frames through exportVideo cost over ffmpeg
 * encoding the very same raw frames from a file with the very same settings?
 *
 *   npx tsx bench/export-bench.ts
 *
 * Prints numbers, asserts nothing. Goal: ratio ≤ 1.10 (the pipe, the frame checks and the
 * safe-output bookkeeping should be lost in the encoder's own time).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildFfmpegArgs, type EncodeSettings } from '../src-main/media/ffmpeg-args';
import { locateFfmpeg } from '../src-main/media/ffmpeg-locate';
import { DEFAULT_GIF_OPTIONS } from '../src-main/media/gif-options';
import { demoLikeFrames } from '../src-main/media/testing/demo-like-frames';
import type { RgbImage } from '../src-main/engine/image';
import { exportVideo } from '../src-main/media/video-export';

export interface ExportBenchOptions {
  size?: number;
  frames?: number;
  fps?: number;
  /** Timed runs of each side, alternated; the median is reported. */
  repeats?: number;
}

/** Smooth moving gradients with a drifting circle: content an encoder has to work on, like real renders. */
function syntheticFrame(size: number, index: number): RgbImage {
  const data = new Uint8Array(size * size * 3);
  const cx = size * (0.3 + 0.4 * Math.sin(index / 15));
  const cy = size * (0.5 + 0.3 * Math.cos(index / 11));
  const r2 = (size / 6) ** 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 3;
      const inside = (x - cx) ** 2 + (y - cy) ** 2 < r2;
      data[i] = inside ? 240 : (x + index * 2) & 255;
      data[i + 1] = inside ? 200 : (y * 255) / size;
      data[i + 2] = inside ? 40 : ((x + y) / 2 + index * 3) & 255;
    }
  }
  return { width: size, height: size, data };
}

function runFfmpeg(path: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(path, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}: ${stderr.slice(-2000)}`))));
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export async function runExportBench(options: ExportBenchOptions = {}): Promise<Record<string, number>> {
  const size = options.size ?? 512;
  const count = options.frames ?? 120;
  const fps = options.fps ?? 24;
  const repeats = options.repeats ?? 5;

  const dir = await mkdtemp(join(tmpdir(), 'export-bench-'));
  try {
    const frames = Array.from({ length: count }, (_, i) => syntheticFrame(size, i));
    const rawFile = join(dir, 'frames.rgb');
    await writeFile(rawFile, Buffer.concat(frames.map((f) => f.data)));
    // Probe once up front: an app exports many times per run, so the cached probe is the realistic case.
    const ffmpeg = await locateFfmpeg({ require: 'mp4' });

    const settings: EncodeSettings = { format: 'mp4', width: size, height: size, fps, totalFrames: count, output: join(dir, 'baseline.mp4'), input: rawFile };
    const baselineArgs = buildFfmpegArgs(settings);

    const ours: number[] = [];
    const baseline: number[] = [];
    for (let run = 0; run < repeats; run++) {
      // Alternate the order so drift in machine load hits both sides alike.
      const sides = run % 2 === 0 ? (['ours', 'baseline'] as const) : (['baseline', 'ours'] as const);
      for (const side of sides) {
        const start = performance.now();
        if (side === 'ours') {
          await exportVideo(frames, { output: join(dir, 'ours.mp4'), width: size, height: size, fps, totalFrames: count });
          ours.push(performance.now() - start);
        } else {
          await runFfmpeg(ffmpeg.path, baselineArgs);
          baseline.push(performance.now() - start);
        }
      }
    }

    const oursMs = median(ours);
    const baselineMs = median(baseline);
    return {
      width: size,
      height: size,
      frames: count,
      repeats,
      ours_ms: Math.round(oursMs),
      ffmpeg_from_file_ms: Math.round(baselineMs),
      ratio_ours_over_ffmpeg: Number((oursMs / baselineMs).toFixed(3)),
      encode_fps: Number(((count * 1000) / oursMs).toFixed(1)),
      ffmpeg_from_file_fps: Number(((count * 1000) / baselineMs).toFixed(1)),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * GIF: our one-pass graph (split → palettegen → paletteuse, frames streamed once through
 * exportVideo) against ffmpeg's own two-pass recipe on the same raw frames from a file
 * (pass 1 palettegen → palette.png, pass 2 paletteuse), with the same palette settings; plus the
 * size the previous defaults (full statistics, sierra2_4a dithering) wrote, once.
 */
export async function runGifBench(options: ExportBenchOptions = {}): Promise<Record<string, number>> {
  const size = options.size ?? 512;
  const count = options.frames ?? 120;
  const fps = options.fps ?? 24;
  const repeats = options.repeats ?? 1;
  const dir = await mkdtemp(join(tmpdir(), 'gif-bench-'));
  try {
    const frames = demoLikeFrames(size, count);
    const rawFile = join(dir, 'frames.rgb');
    await writeFile(rawFile, Buffer.concat(frames.map((f) => f.data)));
    const ffmpeg = await locateFfmpeg({ require: 'gif' });
    const g = DEFAULT_GIF_OPTIONS;
    const input = ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${size}x${size}`, '-r', String(fps), '-i', rawFile];
    const palette = join(dir, 'palette.png');
    const pass1 = [...input, '-vf', `palettegen=max_colors=${g.colors}:stats_mode=${g.statsMode}`, '-frames:v', '1', '-update', '1', palette];
    const twoPassOut = join(dir, 'two-pass.gif');
    const pass2 = [...input, '-i', palette, '-lavfi', `[0:v][1:v]paletteuse=dither=bayer:bayer_scale=${g.bayerScale}:diff_mode=rectangle`, '-loop', '0', '-f', 'gif', twoPassOut];
    const oursOut = join(dir, 'ours.gif');

    const ours: number[] = [];
    const twoPass: number[] = [];
    let oursBytes = 0;
    for (let run = 0; run < repeats; run++) {
      const sides = run % 2 === 0 ? (['ours', 'two-pass'] as const) : (['two-pass', 'ours'] as const);
      for (const side of sides) {
        const start = performance.now();
        if (side === 'ours') {
          oursBytes = (await exportVideo(frames, { output: oursOut, width: size, height: size, fps, totalFrames: count })).bytes;
          ours.push(performance.now() - start);
        } else {
          await runFfmpeg(ffmpeg.path, pass1);
          await runFfmpeg(ffmpeg.path, pass2);
          twoPass.push(performance.now() - start);
        }
      }
    }
    const twoPassBytes = (await stat(twoPassOut)).size;
    const previousOut = join(dir, 'previous.gif');
    await runFfmpeg(ffmpeg.path, [
      ...input,
      '-filter_complex',
      '[0:v]split[a][b];[b]palettegen=stats_mode=full[p];[a][p]paletteuse=dither=sierra2_4a[out]',
      '-map',
      '[out]',
      '-loop',
      '0',
      '-f',
      'gif',
      previousOut,
    ]);
    const previousBytes = (await stat(previousOut)).size;
    const oursMs = median(ours);
    const twoPassMs = median(twoPass);
    return {
      width: size,
      height: size,
      frames: count,
      repeats,
      ours_ms: Math.round(oursMs),
      ffmpeg_two_pass_ms: Math.round(twoPassMs),
      time_ratio_ours_over_two_pass: Number((oursMs / twoPassMs).toFixed(3)),
      ours_mb: Number((oursBytes / 2 ** 20).toFixed(2)),
      ffmpeg_two_pass_mb: Number((twoPassBytes / 2 ** 20).toFixed(2)),
      size_ratio_ours_over_two_pass: Number((oursBytes / twoPassBytes).toFixed(3)),
      previous_defaults_mb: Number((previousBytes / 2 ** 20).toFixed(2)),
      size_ratio_ours_over_previous: Number((oursBytes / previousBytes).toFixed(3)),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const results = await runExportBench();
  console.log('export benchmark (mp4, libx264 preset medium, CRF 18, yuv420p)');
  for (const [name, value] of Object.entries(results)) console.log(`  ${name.padEnd(24)} ${value}`);
  console.log('export benchmark (gif 512², 120 frames: ours one-pass vs ffmpeg two-pass palette)');
  for (const [name, value] of Object.entries(await runGifBench())) console.log(`  ${name.padEnd(32)} ${value}`);
}
