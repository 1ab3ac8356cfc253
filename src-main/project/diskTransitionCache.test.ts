import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodePng, type RgbImage } from '../media/png';
import { DiskTransitionCache, cacheDirFor } from './diskTransitionCache';
import { WriteBehind } from './writeBehind';

const root = mkdtempSync(path.join(tmpdir(), 'lbs-disk-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('cacheDirFor', () => {
  it('lives next to the project as <name>.lbs.cache', () => {
    expect(cacheDirFor('/films/movie.lbs.json')).toBe(path.join('/films', 'movie.lbs.cache'));
  });
});

describe('DiskTransitionCache with writes behind the render', () => {
  const image: RgbImage = { width: 4, height: 2, data: Uint8Array.from({ length: 24 }, (_, i) => (i * 37) % 256) };
  const latents = { dims: [1, 4, 1, 1], steps: [0, 1], data: [new Float32Array([1, 2, 3, 4]), new Float32Array([5, 6, 7, 8])] };

  it('reads back an entry still being written, and has every entry on disk after the flush', async () => {
    const dir = path.join(root, 'behind');
    const writes = new WriteBehind(4);
    const cache = new DiskTransitionCache(dir, { test: 1 }, new WeakMap(), writes);
    await cache.putTrajectory('t', latents);
    await cache.putImage('i', image);
    expect(await cache.getTrajectory('t')).toBe(latents);
    expect(await cache.getImage('i')).toBe(image);
    await writes.flush();

    const fresh = new DiskTransitionCache(dir, { test: 1 });
    const stored = await fresh.getTrajectory('t');
    expect(stored?.steps).toEqual([0, 1]);
    expect(stored?.data.map((d) => [...d])).toEqual([[1, 2, 3, 4], [5, 6, 7, 8]]);
    expect(await fresh.getImage('i')).toEqual(image);
    expect(readFileSync(fresh.imagePath('i')).equals(encodePng(image))).toBe(true);
  });

  it('fails the flush when a write fails, naming the cause', async () => {
    const dir = path.join(root, 'broken');
    const writes = new WriteBehind(4);
    // A file where the images folder must go: mkdir fails.
    const blocker = new DiskTransitionCache(dir, { test: 1 });
    await blocker.putTrajectory('x', latents);
    writeFileSync(path.join(dir, 'images'), 'not a folder');
    const cache = new DiskTransitionCache(dir, { test: 1 }, new WeakMap(), writes);
    await cache.putImage('i', image);
    await expect(writes.flush()).rejects.toThrow(/EEXIST|ENOTDIR/);
  });
});
