import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePng } from './png';
import type { RgbImage } from '../engine/image';
import type { ExportProgress } from './progress-meter';
import { writeFakeFfmpeg } from './testing/fake-ffmpeg';
import { exportVideo } from './video-export';
import { mediaFailure } from './testing/media-failure';

const run = promisify(execFile);

interface ProbedStream {
  codec_type: 'video' | 'audio';
  codec_name: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  nb_read_frames?: string;
  duration?: string;
}

async function ffprobe(path: string): Promise<{ streams: ProbedStream[]; duration: number }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-count_frames', '-of', 'json', path]);
  const parsed = JSON.parse(stdout) as { streams: ProbedStream[]; format: { duration: string } };
  return { streams: parsed.streams, duration: Number(parsed.format.duration) };
}

/** Seconds of decoded audio, from the last packet's end (container durations are not per stream in WebM). */
async function audioSeconds(path: string): Promise<number> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'packet=pts_time,duration_time', '-of', 'json', path]);
  const packets = (JSON.parse(stdout) as { packets: { pts_time: string; duration_time: string }[] }).packets;
  return Math.max(...packets.map((p) => Number(p.pts_time) + Number(p.duration_time)));
}

/** A frame whose content changes with `index`, so encoders see motion and frames stay distinct. */
function gradientFrame(width: number, height: number, index: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = (x * 4 + index * 8) & 255;
      data[i + 1] = (y * 5) & 255;
      data[i + 2] = (x + y + index * 16) & 255;
    }
  }
  return { width, height, data };
}

function* gradientFrames(width: number, height: number, count: number): Generator<RgbImage> {
  for (let i = 0; i < count; i++) yield gradientFrame(width, height, i);
}

async function leftovers(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.includes('.partial-') || name.includes('.old-'));
}

/** Bytes that start like an mp4 (an `ftyp` box), standing for a video the user already has. */
function oldVideo(text: string): Buffer {
  return Buffer.concat([Buffer.from('000000206674797069736f6d', 'hex'), Buffer.from(text)]);
}

let dir: string;
let sine1s: string;
let sine3s: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'export-video-'));
  sine1s = join(dir, 'sine-1s.wav');
  sine3s = join(dir, 'sine-3s.wav');
  await run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', sine1s]);
  await run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=3', sine3s]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('exportVideo formats (checked with ffprobe)', () => {
  it('mp4: H.264, yuv420p, every frame, duration = frames ÷ fps', async () => {
    const output = join(dir, 'plain.mp4');
    const result = await exportVideo(gradientFrames(64, 48, 24), { output, width: 64, height: 48, fps: 12, totalFrames: 24 });
    expect(result).toMatchObject({ output, frames: 24, format: 'mp4', warnings: [] });
    const probe = await ffprobe(output);
    expect(result.bytes).toBe((await readFile(output)).length);
    expect(probe.streams).toHaveLength(1);
    expect(probe.streams[0]).toMatchObject({ codec_type: 'video', codec_name: 'h264', pix_fmt: 'yuv420p', width: 64, height: 48, nb_read_frames: '24' });
    expect(probe.duration).toBeCloseTo(24 / 12, 2);
    expect(await leftovers(dir)).toEqual([]);
  });

  it('mp4 from an async producer with an odd size comes out even-sized, with a warning', async () => {
    async function* lazy(): AsyncGenerator<RgbImage> {
      for (let i = 0; i < 10; i++) {
        await new Promise((resolve) => setImmediate(resolve));
        yield gradientFrame(63, 47, i);
      }
    }
    const output = join(dir, 'odd.mp4');
    const result = await exportVideo(lazy(), { output, width: 63, height: 47, fps: 10, totalFrames: 10 });
    expect(result.warnings.join(' ')).toContain('64×48');
    const [video] = (await ffprobe(output)).streams;
    expect(video).toMatchObject({ codec_name: 'h264', pix_fmt: 'yuv420p', width: 64, height: 48, nb_read_frames: '10' });
  });

  it('webm: VP9, yuv420p, every frame; odd sizes made even', async () => {
    const output = join(dir, 'clip.webm');
    await exportVideo(gradientFrames(65, 48, 15), { output, width: 65, height: 48, fps: 15, totalFrames: 15, preset: 'ultrafast' });
    const probe = await ffprobe(output);
    expect(probe.streams).toHaveLength(1);
    expect(probe.streams[0]).toMatchObject({ codec_name: 'vp9', pix_fmt: 'yuv420p', width: 66, height: 48, nb_read_frames: '15' });
    expect(probe.duration).toBeCloseTo(1, 1);
  });

  it('gif: every frame, original (odd) size kept', async () => {
    const output = join(dir, 'anim.gif');
    const result = await exportVideo(gradientFrames(63, 47, 12), { output, width: 63, height: 47, fps: 10, totalFrames: 12 });
    expect(result.format).toBe('gif');
    const [video] = (await ffprobe(output)).streams;
    expect(video).toMatchObject({ codec_name: 'gif', width: 63, height: 47, nb_read_frames: '12' });
  });

  it('png sequence: 00000.png… holding exactly the input pixels, replacing an old folder', async () => {
    const output = join(dir, 'frames');
    await exportVideo(gradientFrames(8, 6, 3), { output, format: 'png', width: 8, height: 6, fps: 24, totalFrames: 3 });
    const frames = [...gradientFrames(31, 17, 12)];
    const result = await exportVideo(frames, { output, format: 'png', width: 31, height: 17, fps: 24, totalFrames: 12 });
    const names = (await readdir(output)).filter((n) => n.endsWith('.png')).sort();
    expect(names).toEqual(Array.from({ length: 12 }, (_, i) => `${String(i).padStart(5, '0')}.png`));
    // The studio marks the folder as its own, so the next export may replace it.
    expect(await readdir(output)).toContain('latentblend.json');
    for (const [i, name] of names.entries()) {
      const decoded = decodePng(await readFile(join(output, name)));
      expect(decoded.width).toBe(31);
      expect(Buffer.from(decoded.data).equals(Buffer.from(frames[i].data))).toBe(true);
    }
    expect(result.bytes).toBeGreaterThan(0);
    expect(await leftovers(dir)).toEqual([]);
  });

  it('picks the format from the option when the output has no extension', async () => {
    const output = join(dir, 'no-extension');
    await exportVideo(gradientFrames(32, 32, 4), { output, format: 'gif', width: 32, height: 32, fps: 8, totalFrames: 4 });
    expect((await ffprobe(output)).streams[0].codec_name).toBe('gif');
  });
});

describe('exportVideo audio', () => {
  it('mp4: AAC track padded with silence to the video length (1 s of audio, 2 s of video)', async () => {
    const output = join(dir, 'padded.mp4');
    await exportVideo(gradientFrames(64, 48, 24), { output, width: 64, height: 48, fps: 12, totalFrames: 24, audio: sine1s });
    const streams = (await ffprobe(output)).streams;
    const audio = streams.find((s) => s.codec_type === 'audio');
    expect(audio?.codec_name).toBe('aac');
    expect(streams.find((s) => s.codec_type === 'video')?.nb_read_frames).toBe('24');
    expect(Math.abs((await audioSeconds(output)) - 2)).toBeLessThan(0.05); // within about two AAC frames
  });

  it('webm: Opus track cut to the video length (3 s of audio, 1 s of video)', async () => {
    const output = join(dir, 'cut.webm');
    await exportVideo(gradientFrames(64, 48, 12), { output, width: 64, height: 48, fps: 12, totalFrames: 12, audio: sine3s, preset: 'ultrafast' });
    const streams = (await ffprobe(output)).streams;
    expect(streams.find((s) => s.codec_type === 'audio')?.codec_name).toBe('opus');
    expect(Math.abs((await audioSeconds(output)) - 1)).toBeLessThan(0.05);
  });

  it('gif: audio is ignored with a warning', async () => {
    const output = join(dir, 'silent.gif');
    const result = await exportVideo(gradientFrames(32, 32, 4), { output, width: 32, height: 32, fps: 8, totalFrames: 4, audio: sine1s });
    expect(result.warnings.join(' ')).toMatch(/audio.*ignored/i);
    expect((await ffprobe(output)).streams.map((s) => s.codec_type)).toEqual(['video']);
  });

  it('a missing audio file is reported before encoding starts', async () => {
    let pulled = 0;
    function* counted(): Generator<RgbImage> {
      for (const frame of gradientFrames(32, 32, 4)) {
        pulled++;
        yield frame;
      }
    }
    const missing = join(dir, 'no-such-song.mp3');
    const error = await mediaFailure(exportVideo(counted(), { output: join(dir, 'x.mp4'), width: 32, height: 32, fps: 8, totalFrames: 4, audio: missing }));
    expect(error.code).toBe('AUDIO_NOT_FOUND');
    expect(error.message).toContain(missing);
    expect(pulled).toBe(0);
  });
});

describe('exportVideo progress and backpressure', () => {
  it('reports each frame with the total, a rate and an ETA that reaches 0', async () => {
    const reports: ExportProgress[] = [];
    await exportVideo(gradientFrames(32, 32, 8), { output: join(dir, 'progress.mp4'), width: 32, height: 32, fps: 8, totalFrames: 8, onProgress: (p) => reports.push(p) });
    expect([...new Set(reports.map((p) => p.done))]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(reports.every((p) => p.total === 8 && p.fps >= 0)).toBe(true);
    expect(reports.at(-1)).toMatchObject({ encoded: 8, etaMs: 0 });
  });

  it('measures a GIF on the frames ffmpeg writes: no ETA while the palette reads every frame, 0 at the end', async () => {
    const reports: ExportProgress[] = [];
    await exportVideo(gradientFrames(32, 32, 12), { output: join(dir, 'progress.gif'), width: 32, height: 32, fps: 8, totalFrames: 12, onProgress: (p) => reports.push(p) });
    // Every frame was handed over before the first came out; meanwhile nothing pretended to know.
    const firstOut = reports.findIndex((p) => p.encoded > 0);
    expect(reports.slice(0, firstOut).every((p) => p.etaMs === null)).toBe(true);
    expect(reports[firstOut].done).toBe(12);
    expect(reports.at(-1)).toMatchObject({ done: 12, encoded: 12, etaMs: 0 });
  });

  it('pulls frames lazily: never more than one ahead of what ffmpeg has taken', async () => {
    let pulled = 0;
    let maxAhead = 0;
    function* counted(): Generator<RgbImage> {
      for (const frame of gradientFrames(64, 48, 16)) {
        pulled++;
        yield frame;
      }
    }
    await exportVideo(counted(), {
      output: join(dir, 'lazy.mp4'),
      width: 64,
      height: 48,
      fps: 8,
      totalFrames: 16,
      onProgress: (p) => (maxAhead = Math.max(maxAhead, pulled - p.done)),
    });
    expect(maxAhead).toBe(0);
    expect(pulled).toBe(16);
  });

  it('waits for the pipe to drain: a reader that has not started yet holds the producer back', async () => {
    // A fake ffmpeg that starts reading stdin only once the producer has pulled its first frame
    // (the go file), and marks when it starts. Frames are 1 MB, larger than a pipe buffer, so with
    // backpressure no more than the second frame can be pulled before the reader starts, however
    // busy the machine; without it, all frames are pulled at once, long before a process sees a file.
    const marker = join(dir, 'reader-started');
    const go = join(dir, 'first-frame-pulled');
    const sixFrames = join(dir, 'six-frames.mp4');
    await run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'color=size=32x32:rate=24', '-frames:v', '6', sixFrames]);
    const slowReader = await writeFakeFfmpeg(join(dir, 'slow-ffmpeg'), {
      version: '9.9-slow',
      encoders: ['libx264'],
      // It hands back a real 6-frame video, so the check of the finished file passes.
      encodeScript: `while [ ! -e '${go}' ]; do sleep 0.01; done\ntouch '${marker}'\ncat > /dev/null\nfor a in "$@"; do out="$a"; done\ncp '${sixFrames}' "$out"`,
    });
    let pulledBeforeReading = 0;
    function* watched(): Generator<RgbImage> {
      for (let i = 0; i < 6; i++) {
        if (i === 0) writeFileSync(go, '');
        if (!existsSync(marker)) pulledBeforeReading++;
        yield { width: 640, height: 546, data: new Uint8Array(640 * 546 * 3) };
      }
    }
    const result = await exportVideo(watched(), { output: join(dir, 'slow.mp4'), width: 640, height: 546, fps: 24, totalFrames: 6, ffmpegPath: slowReader });
    expect(result.frames).toBe(6);
    expect(pulledBeforeReading).toBeLessThanOrEqual(2);
  });
});

describe('exportVideo never replaces a good video with a bad one', () => {
  /** A fake ffmpeg that takes every frame, writes `script`'s output to the target and exits 0. */
  async function exitsZero(name: string, write: string): Promise<string> {
    return writeFakeFfmpeg(join(dir, name), {
      version: '6.1',
      encoders: ['libx264', 'png'],
      encodeScript: ['for a in "$@"; do out="$a"; done', 'cat > /dev/null', write.replaceAll('$OUT', '"$out"'), 'exit 0'].join('\n'),
    });
  }

  it('ffmpeg exiting 0 with a truncated mp4 (full disk, no moov atom) keeps the old video and says why', async () => {
    const good = join(dir, 'good-source.mp4');
    await exportVideo(gradientFrames(64, 48, 12), { output: good, width: 64, height: 48, fps: 12, totalFrames: 12 });
    const ffmpegPath = await exitsZero('ffmpeg-truncates', `head -c 2000 '${good}' > $OUT; echo 'av_interleaved_write_frame(): No space left on device' >&2`);
    const output = join(dir, 'truncated.mp4');
    const old = oldVideo('the video made yesterday');
    await writeFile(output, old);
    const error = await mediaFailure(exportVideo(gradientFrames(64, 48, 12), { output, width: 64, height: 48, fps: 12, totalFrames: 12, ffmpegPath }));
    expect(['OUTPUT_INVALID', 'DISK_FULL']).toContain(error.code);
    expect(error.message).toContain(output);
    // With +faststart the moov atom comes first, so a cut file may still open: then it is short.
    expect(error.message).toMatch(/cannot be read as a video|holds [0-9]+ frames, 12 were planned/);
    expect(error.message).toContain('previous file there was kept');
    expect((await readFile(output)).equals(old)).toBe(true);
    expect(await leftovers(dir)).toEqual([]);
  });

  it('ffmpeg exiting 0 without writing anything does not turn the target into a 0-byte file', async () => {
    const ffmpegPath = await exitsZero('ffmpeg-writes-nothing', ': > $OUT');
    const output = join(dir, 'empty-result.mp4');
    const old = oldVideo('still here');
    await writeFile(output, old);
    const error = await mediaFailure(exportVideo(gradientFrames(32, 32, 4), { output, width: 32, height: 32, fps: 8, totalFrames: 4, ffmpegPath }));
    expect(error.code).toBe('OUTPUT_INVALID');
    expect(error.message).toContain('empty (0 bytes)');
    expect((await readFile(output)).equals(old)).toBe(true);
  });

  it('a video with fewer frames than planned is refused', async () => {
    const short = join(dir, 'short-source.mp4');
    await exportVideo(gradientFrames(32, 32, 3), { output: short, width: 32, height: 32, fps: 8, totalFrames: 3 });
    const ffmpegPath = await exitsZero('ffmpeg-drops-frames', `cp '${short}' $OUT`);
    const output = join(dir, 'dropped.mp4');
    const error = await mediaFailure(exportVideo(gradientFrames(32, 32, 6), { output, width: 32, height: 32, fps: 8, totalFrames: 6, ffmpegPath }));
    expect(error.code).toBe('OUTPUT_INVALID');
    expect(error.message).toContain('holds 3 frames, 6 were planned');
    expect(existsSync(output)).toBe(false);
  });

  it('ffmpeg failing on a full disk is DISK_FULL, not a wall of ffmpeg text', async () => {
    const ffmpegPath = await writeFakeFfmpeg(join(dir, 'ffmpeg-enospc'), {
      version: '6.1',
      encoders: ['libvpx-vp9'],
      encodeScript: "cat > /dev/null\necho 'Error writing trailer: No space left on device' >&2\nexit 1",
    });
    const output = join(dir, 'enospc.webm');
    const error = await mediaFailure(exportVideo(gradientFrames(32, 32, 2), { output, width: 32, height: 32, fps: 8, totalFrames: 2, ffmpegPath }));
    expect(error.code).toBe('DISK_FULL');
    expect(error.hint).toMatch(/Free some disk space/);
    expect(existsSync(output)).toBe(false);
  });

  it('an export that cannot fit on the disk fails before ffmpeg starts', async () => {
    let pulled = 0;
    function* frames(): Generator<RgbImage> {
      pulled++;
      yield gradientFrame(16, 16, 0);
    }
    const error = await mediaFailure(exportVideo(frames(), { output: join(dir, 'too-big.png-frames'), format: 'png', width: 16384, height: 16384, fps: 24, totalFrames: 10_000_000 }));
    expect(error.code).toBe('DISK_FULL');
    expect(pulled).toBe(0);
    expect(await leftovers(dir)).toEqual([]);
  });

  it('a png sequence missing its last frames is refused and the old folder kept', async () => {
    const output = join(dir, 'seq-kept');
    await exportVideo(gradientFrames(8, 8, 2), { output, format: 'png', width: 8, height: 8, fps: 24, totalFrames: 2 });
    const before = (await readdir(output)).sort();
    const ffmpegPath = await exitsZero('ffmpeg-png-short', `dir=$(dirname "$out"); : > "$dir/00000.png"`);
    const error = await mediaFailure(exportVideo(gradientFrames(8, 8, 3), { output, format: 'png', width: 8, height: 8, fps: 24, totalFrames: 3, ffmpegPath }));
    expect(error.code).toBe('OUTPUT_INVALID');
    expect((await readdir(output)).sort()).toEqual(before);
    expect(await leftovers(dir)).toEqual([]);
  });
});

describe('exportVideo failures and cancel', () => {
  it('a cancel mid-export kills ffmpeg, leaves no temporary file and the old file byte-identical', async () => {
    const output = join(dir, 'precious.mp4');
    const old = oldVideo('the previous export, which must survive');
    await writeFile(output, old);
    const controller = new AbortController();
    let pulled = 0;
    function* frames(): Generator<RgbImage> {
      for (let i = 0; i < 30; i++) {
        pulled++;
        yield gradientFrame(64, 48, i);
      }
    }
    const error = await mediaFailure(
      exportVideo(frames(), {
        output,
        width: 64,
        height: 48,
        fps: 12,
        totalFrames: 30,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.done === 5) controller.abort();
        },
      }),
    );
    expect(error.code).toBe('CANCELLED');
    expect(pulled).toBeLessThan(30);
    expect((await readFile(output)).equals(old)).toBe(true);
    expect(await leftovers(dir)).toEqual([]);
  });

  it('a cancel while the producer is busy returns without waiting for the next frame', async () => {
    const controller = new AbortController();
    let releaseProducer: () => void = () => undefined;
    async function* stuck(): AsyncGenerator<RgbImage> {
      yield gradientFrame(32, 32, 0);
      await new Promise<void>((resolve) => (releaseProducer = resolve));
      yield gradientFrame(32, 32, 1);
    }
    const pending = exportVideo(stuck(), {
      output: join(dir, 'stuck.mp4'),
      width: 32,
      height: 32,
      fps: 8,
      totalFrames: 2,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.done === 1) setTimeout(() => controller.abort(), 20);
      },
    });
    expect((await mediaFailure(pending)).code).toBe('CANCELLED');
    releaseProducer();
    expect(existsSync(join(dir, 'stuck.mp4'))).toBe(false);
    expect(await leftovers(dir)).toEqual([]);
  });

  it('an already aborted signal starts nothing', async () => {
    const error = await mediaFailure(exportVideo(gradientFrames(32, 32, 2), { output: join(dir, 'never.mp4'), width: 32, height: 32, fps: 8, totalFrames: 2, signal: AbortSignal.abort() }));
    expect(error.code).toBe('CANCELLED');
    expect(existsSync(join(dir, 'never.mp4'))).toBe(false);
  });

  it('an ffmpeg failure (a bad audio file) shows ffmpeg’s error lines and cleans up', async () => {
    const output = join(dir, 'broken.mp4');
    const old = oldVideo('older video');
    await writeFile(output, old);
    const badAudio = join(dir, 'not-really.wav');
    await writeFile(badAudio, 'this is text, not audio');
    const error = await mediaFailure(exportVideo(gradientFrames(64, 48, 12), { output, width: 64, height: 48, fps: 12, totalFrames: 12, audio: badAudio }));
    expect(error.code).toBe('FFMPEG_FAILED');
    expect(error.message).toContain('ffmpeg said:');
    expect(error.message).toContain(badAudio); // ffmpeg names the input it could not read
    expect(error.message).toMatch(/Invalid data found when processing input/);
    expect((await readFile(output)).equals(old)).toBe(true);
    expect(await leftovers(dir)).toEqual([]);
  });

  it('a frame of the wrong size is rejected with its index and sizes, and nothing is left behind', async () => {
    const frames = [...gradientFrames(32, 32, 3), gradientFrame(32, 30, 3)];
    const error = await mediaFailure(exportVideo(frames, { output: join(dir, 'bad-frame.mp4'), width: 32, height: 32, fps: 8, totalFrames: 4 }));
    expect(error.code).toBe('BAD_FRAME');
    expect(error.message).toContain('Frame 3');
    expect(error.message).toContain('32×30');
    expect(error.message).toContain('32×32');
    expect(existsSync(join(dir, 'bad-frame.mp4'))).toBe(false);
    expect(await leftovers(dir)).toEqual([]);
  });

  it('too few or too many frames for totalFrames is an error', async () => {
    const few = await mediaFailure(exportVideo(gradientFrames(32, 32, 3), { output: join(dir, 'few.mp4'), width: 32, height: 32, fps: 8, totalFrames: 5 }));
    expect(few.code).toBe('BAD_FRAME');
    expect(few.message).toContain('after 3 of the 5');
    const many = await mediaFailure(exportVideo(gradientFrames(32, 32, 6), { output: join(dir, 'many.mp4'), width: 32, height: 32, fps: 8, totalFrames: 5 }));
    expect(many.message).toContain('More frames');
    expect(await leftovers(dir)).toEqual([]);
  });

  it('an output under a regular file fails before any frame is pulled', async () => {
    const file = join(dir, 'file.txt');
    await writeFile(file, 'a file, not a folder');
    let pulled = 0;
    function* counted(): Generator<RgbImage> {
      pulled++;
      yield gradientFrame(32, 32, 0);
    }
    const error = await mediaFailure(exportVideo(counted(), { output: join(file, 'out.mp4'), width: 32, height: 32, fps: 8, totalFrames: 1 }));
    expect(error.code).toBe('OUTPUT_NOT_WRITABLE');
    expect(error.message).toContain(file);
    expect(pulled).toBe(0);
  });

  it('an output in a missing folder fails clearly', async () => {
    const error = await mediaFailure(exportVideo(gradientFrames(32, 32, 1), { output: join(dir, 'missing-folder', 'out.webm'), width: 32, height: 32, fps: 8, totalFrames: 1 }));
    expect(error.code).toBe('OUTPUT_NOT_WRITABLE');
    expect(error.message).toContain('does not exist');
  });

  it('an explicit ffmpeg path that does not exist is FFMPEG_NOT_FOUND with the fix', async () => {
    const error = await mediaFailure(exportVideo(gradientFrames(32, 32, 1), { output: join(dir, 'y.mp4'), width: 32, height: 32, fps: 8, totalFrames: 1, ffmpegPath: join(dir, 'no', 'ffmpeg') }));
    expect(error.code).toBe('FFMPEG_NOT_FOUND');
    expect(error.hint).toContain('FFMPEG_PATH');
  });

  it('rejects bad options: unknown extension, conflicting format, sizes, fps, crf', async () => {
    const opts = { width: 32, height: 32, fps: 8, totalFrames: 1 };
    const frames = (): Iterable<RgbImage> => gradientFrames(32, 32, 1);
    expect((await mediaFailure(exportVideo(frames(), { ...opts, output: join(dir, 'a.avi') }))).code).toBe('BAD_FORMAT');
    expect((await mediaFailure(exportVideo(frames(), { ...opts, output: join(dir, 'a.mp4'), format: 'webm' }))).message).toContain('.mp4 name');
    expect((await mediaFailure(exportVideo(frames(), { ...opts, output: join(dir, 'a.mp4'), width: 0 }))).message).toContain('width');
    expect((await mediaFailure(exportVideo(frames(), { ...opts, output: join(dir, 'a.mp4'), fps: Number.NaN }))).message).toContain('fps');
    expect((await mediaFailure(exportVideo(frames(), { ...opts, output: join(dir, 'a.mp4'), crf: 99 }))).code).toBe('BAD_OPTION');
  });
});
