import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoLikeFrames } from './testing/demo-like-frames';
import { exportVideo } from './video-export';

/** The GIF's logical screen size (header bytes 6–9, little-endian) and the NETSCAPE2.0 repeat count, or null without that block. */
function readGifHeader(bytes: Buffer): { width: number; height: number; repeats: number | null } {
  expect(bytes.subarray(0, 6).toString('latin1')).toBe('GIF89a');
  const at = bytes.indexOf(Buffer.from('NETSCAPE2.0', 'latin1'));
  // After the id: sub-block length 3, sub-block id 1, then the repeat count (uint16 LE).
  const repeats = at < 0 ? null : bytes.readUInt16LE(at + 11 + 2);
  return { width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8), repeats };
}

// Real ffmpeg (Debian's, as in CI): the size bound is about the encoder settings, which a fake cannot judge.
describe('GIF export with real ffmpeg: a 512² 5 s demo-like movie', () => {
  const frames = demoLikeFrames(512, 120);
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gif-export-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('comes out under 9 MB at full size with the default palette settings and plays the asked number of times', async () => {
    const output = join(dir, 'movie.gif');
    const result = await exportVideo(frames, { output, width: 512, height: 512, fps: 24, totalFrames: 120, gif: { plays: 3 } });
    expect(result.frames).toBe(120);
    // The old one-pass graph (full statistics, sierra dithering) wrote about 16 MB for these frames.
    expect(result.bytes).toBeLessThan(9 * 1024 * 1024);
    expect(readGifHeader(await readFile(output))).toEqual({ width: 512, height: 512, repeats: 2 });
  });

  it('scale 0.5 writes a 256² GIF under 3 MB; plays 1 writes no loop block at all', async () => {
    const output = join(dir, 'small.gif');
    const result = await exportVideo(frames, { output, width: 512, height: 512, fps: 24, totalFrames: 120, gif: { scale: 0.5, plays: 1, colors: 128 } });
    expect(result.frames).toBe(120);
    expect(result.bytes).toBeLessThan(3 * 1024 * 1024);
    expect(readGifHeader(await readFile(output))).toEqual({ width: 256, height: 256, repeats: null });
  });
});
