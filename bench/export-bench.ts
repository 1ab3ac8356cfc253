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
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildFfmpegArgs, type EncodeSettings } from '../src-main/media/ffmpeg-args';
import { locateFfmpeg } from '../src-main/media/ffmpeg-locate';
import type { RgbImage } from '../src-main/media/png';
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

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const results = await runExportBench();
  console.log('export benchmark (mp4, libx264 preset medium, CRF 18, yuv420p)');
  for (const [name, value] of Object.entries(results)) console.log(`  ${name.padEnd(24)} ${value}`);
}
