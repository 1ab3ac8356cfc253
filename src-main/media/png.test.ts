import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { decodePng, decodePngGray, encodePng, encodePngAsync } from './png';
import type { RgbImage } from '../engine/image';
import { noiseImage } from './testing/noise-image';


describe('PNG encoding', () => {
  it('round-trips exact pixels through an independent decoder (pngjs)', () => {
    for (const [w, h] of [[1, 1], [3, 2], [64, 48], [257, 13]]) {
      const image = noiseImage(w, h, w * 31 + h);
      const png = PNG.sync.read(encodePng(image));
      expect([png.width, png.height]).toEqual([w, h]);
      for (let i = 0; i < w * h; i++) {
        expect([png.data[i * 4], png.data[i * 4 + 1], png.data[i * 4 + 2], png.data[i * 4 + 3]]).toEqual([image.data[i * 3], image.data[i * 3 + 1], image.data[i * 3 + 2], 255]);
      }
    }
  });

  it('writes files that ffmpeg reads back to the same pixels', () => {
    const image = noiseImage(32, 16, 7);
    const dir = mkdtempSync(join(tmpdir(), 'lbs-png-'));
    writeFileSync(join(dir, 'a.png'), encodePng(image));
    const r = spawnSync('ffmpeg', ['-v', 'error', '-i', join(dir, 'a.png'), '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 1 << 20 });
    expect(r.status).toBe(0);
    expect(Buffer.from(r.stdout).equals(Buffer.from(image.data))).toBe(true);
  });

  it('is deterministic and rejects a buffer of the wrong size', () => {
    const image = noiseImage(10, 10, 1);
    expect(encodePng(image).equals(encodePng(image))).toBe(true);
    expect(() => encodePng({ width: 10, height: 10, data: new Uint8Array(299) })).toThrow(/expected 300 bytes for 10×10 RGB, got 299/);
  });

  it('encodes the same bytes off the thread as on it', async () => {
    const image = noiseImage(33, 17, 5);
    expect((await encodePngAsync(image)).equals(encodePng(image))).toBe(true);
    await expect(encodePngAsync({ width: 10, height: 10, data: new Uint8Array(299) })).rejects.toThrow(/expected 300 bytes/);
  });

  it("keeps today's bytes: rendered files are content-addressed, so any change would orphan every cached frame", async () => {
    // sha256 of the PNGs encodePng wrote before encoding moved to worker threads (Node 20's zlib).
    const smooth = { width: 512, height: 512, data: new Uint8Array(512 * 512 * 3) };
    for (let y = 0; y < 512; y++) {
      for (let x = 0; x < 512; x++) smooth.data.set([x & 255, ((x * y) >> 8) & 255, (255 - y) & 255], (y * 512 + x) * 3);
    }
    const golden: [RgbImage, string][] = [
      [noiseImage(33, 17, 5), 'ecde699f1abdfab65759d8554a976ac87daecb807b7504a0597fb4da35064aa7'],
      [noiseImage(1, 1, 3), '4474a7c20bc253e160b67005fb97941d6c54a041847ee1896eba07dd68a5b861'],
      [noiseImage(2, 3, 9), '88373c125f9006397103a1912f26571db360a4efcaae1fcdd406f2fb4353751d'],
      [smooth, '4218a508add9c7d851d8626428e277412ef4ddecdc743515e04ffa9474f3dfc3'],
    ];
    for (const [image, sha] of golden) {
      expect(createHash('sha256').update(encodePng(image)).digest('hex')).toBe(sha);
      expect(createHash('sha256').update(await encodePngAsync(image)).digest('hex')).toBe(sha);
    }
  });

  it('decodes to RGB and to a grey mask in [0, 1]', () => {
    const image: RgbImage = { width: 2, height: 1, data: new Uint8Array([255, 255, 255, 0, 0, 0]) };
    expect(decodePng(encodePng(image))).toEqual(image);
    expect([...decodePngGray(encodePng(image)).data]).toEqual([1, 0]);
  });
});
