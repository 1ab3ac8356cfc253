import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DiskTransitionCache, cacheDirFor } from './disk-transition-cache';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { encodePng } from '../media/png';
import type { RgbImage } from '../engine/image';
import { WriteBehind } from './write-behind';

const root = mkdtempSync(path.join(tmpdir(), 'lbs-disk-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('cacheDirFor', () => {
  it('lives next to the project as <name>.lbs.cache', () => {
    expect(cacheDirFor('/films/movie.lbs.json')).toBe(path.join('/films', 'movie.lbs.cache'));
  });
});

describe('DiskTransitionCache', () => {
  it('removes the temp files a killed render left in its folders when it next writes there, and keeps those of live writers', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lbs-disk-cache-'));
    try {
      const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
      for (const sub of ['latents', 'images']) {
        await mkdir(path.join(dir, sub), { recursive: true });
        await writeFile(path.join(dir, sub, `.abc.${sub === 'images' ? 'png' : 'lat'}.${dead}.0123456789ab.lbs-tmp`), 'half written');
        await writeFile(path.join(dir, sub, `.live.${process.pid}.0123456789ab.lbs-tmp`), 'being written');
      }
      const cache = new DiskTransitionCache(dir, { test: 1 });
      await cache.putImage('still', { width: 2, height: 1, data: new Uint8Array(6) });
      await cache.putTrajectory('trajectory', { dims: [1, 2], steps: [0], data: [new Float32Array(2)] });
      for (const sub of ['latents', 'images']) {
        const temps = (await readdir(path.join(dir, sub))).filter((n) => n.endsWith('.lbs-tmp'));
        expect(temps, sub).toEqual([`.live.${process.pid}.0123456789ab.lbs-tmp`]);
      }
      expect(await cache.getImage('still')).toMatchObject({ width: 2, height: 1 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
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
