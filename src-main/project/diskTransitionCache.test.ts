import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiskTransitionCache, cacheDirFor } from './diskTransitionCache';

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
