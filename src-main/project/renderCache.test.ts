import { mkdtemp, readFile, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Tensor } from '../engine/tensor';
import { isTempFileName } from './atomicWrite';
import { cacheKey } from './cacheKey';
import { LatentFileError, decodeLatents, encodeLatents } from './latentFile';
import { RenderCache, cacheDirFor } from './renderCache';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lbs-cache-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const KEY_A = cacheKey({ test: 'a' });
const KEY_B = cacheKey({ test: 'b' });
const png = (n: number) => Buffer.from(`\x89PNG fake image ${n}`);

function latent(seed: number, dims = [1, 4, 3, 2]): Tensor {
  const n = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = Math.sin(seed * 1000 + i) * 3.4e38 * (i % 3 === 0 ? 1e-40 : 1e-38);
  return { data, dims };
}

const bits = (t: Tensor) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);

describe('latent file format', () => {
  it('round-trips tensors bit-exactly, with holes and special values', () => {
    const special: Tensor = { data: new Float32Array([-0, 1e-45, -3.4028234663852886e38, NaN, Infinity, 0.1]), dims: [2, 3] };
    const entries = [undefined, latent(1), special, undefined, latent(2, [1, 4, 1, 1])];
    const back = decodeLatents(encodeLatents(entries));
    expect(back).toHaveLength(5);
    expect(back[0]).toBeUndefined();
    expect(back[3]).toBeUndefined();
    for (const i of [1, 2, 4]) {
      expect(back[i]!.dims).toEqual(entries[i]!.dims);
      expect(bits(back[i]!).equals(bits(entries[i]!))).toBe(true);
    }
  });

  it('keeps its float payload 4-byte aligned and little-endian', () => {
    const bytes = encodeLatents([{ data: new Float32Array([1]), dims: [1] }]);
    expect(bytes.length % 4).toBe(0);
    // IEEE 754 1.0f = 0x3f800000, stored little-endian as 00 00 80 3f.
    expect([...bytes.subarray(bytes.length - 4)]).toEqual([0x00, 0x00, 0x80, 0x3f]);
  });

  it('rejects damaged files with a reason', () => {
    const good = encodeLatents([latent(1)]);
    expect(() => decodeLatents(good.subarray(0, good.length - 4))).toThrow(/truncated/);
    expect(() => decodeLatents(Buffer.concat([good, Buffer.alloc(4)]))).toThrow(/4 bytes after the last entry/);
    expect(() => decodeLatents(Buffer.from('PNG nonsense'))).toThrow(LatentFileError);
    expect(() => encodeLatents([{ data: new Float32Array(3), dims: [2, 2] }])).toThrow(/entry 0 has 3 values/);
  });
});

describe('RenderCache', () => {
  it('lives next to the project as <name>.lbs.cache', () => {
    expect(cacheDirFor('/films/movie.lbs.json')).toBe(path.join('/films', 'movie.lbs.cache'));
    expect(RenderCache.forProject('/films/movie.lbs.json').dir).toBe(path.join('/films', 'movie.lbs.cache'));
  });

  it('stores images with metadata and counts hits and misses', async () => {
    const cache = new RenderCache(dir);
    expect(await cache.getImage(KEY_A, 0)).toBeUndefined();
    await cache.putImage(KEY_A, 0, png(0), { position: 0.5, note: 'x' });
    const got = await cache.getImage(KEY_A, 0);
    expect(got?.png.equals(png(0))).toBe(true);
    expect(got?.meta).toEqual({ position: 0.5, note: 'x' });
    expect(await cache.getImage(KEY_B, 0)).toBeUndefined();
    expect(cache.stats()).toEqual({ hits: 1, misses: 2, writes: 2 });
    // Marked as regenerable for backup tools.
    expect(await readFile(path.join(dir, 'CACHEDIR.TAG'), 'utf8')).toMatch(/^Signature: 8a477f597d28d172789f06886806bc55/);
  });

  it('stores latents per key and slot', async () => {
    const cache = new RenderCache(dir);
    const trajectory = [latent(1), latent(2), latent(3)];
    await cache.putLatents(KEY_A, trajectory);
    await cache.putLatents(KEY_A, [undefined, latent(9)], 'branch-3');
    const back = await cache.getLatents(KEY_A);
    expect(back?.map((t) => bits(t!).equals(bits(trajectory[back.indexOf(t)]!)))).toEqual([true, true, true]);
    expect((await cache.getLatents(KEY_A, 'branch-3'))?.[0]).toBeUndefined();
    expect(await cache.getLatents(KEY_B)).toBeUndefined();
  });

  it('treats a damaged latent file as a miss', async () => {
    const cache = new RenderCache(dir);
    await cache.putLatents(KEY_A, [latent(1)]);
    await writeFile(path.join(cache.entryDir(KEY_A), 'latents-trajectory.f32'), 'garbage');
    expect(await cache.getLatents(KEY_A)).toBeUndefined();
    expect(cache.stats().misses).toBe(1);
  });

  it('refuses keys, indices and slots that could escape the cache folder', async () => {
    const cache = new RenderCache(dir);
    await expect(cache.putImage('../../etc', 0, png(0))).rejects.toThrow(/not a cache key/);
    await expect(cache.getImage(KEY_A, -1)).rejects.toThrow(/index/);
    await expect(cache.putLatents(KEY_A, [], '../x')).rejects.toThrow(/slot/);
  });

  it('keeps a manifest sorted by position, even with concurrent records', async () => {
    const cache = new RenderCache(dir);
    await cache.writeManifest(KEY_A, { images: [], complete: false, plan: { injectionSteps: [15, 18], stems: [2, 1] } });
    const entries = [
      { index: 0, position: 0, injectionStep: 0 },
      { index: 1, position: 1, injectionStep: 0 },
      { index: 2, position: 0.5, injectionStep: 15 },
      { index: 3, position: 0.25, injectionStep: 15 },
      { index: 4, position: 0.75, injectionStep: 18 },
    ];
    await Promise.all(entries.map((e) => cache.recordImage(KEY_A, e, png(e.index))));
    const m = await cache.readManifest(KEY_A);
    expect(m?.images.map((i) => i.position)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(m?.plan).toEqual({ injectionSteps: [15, 18], stems: [2, 1] });
    expect(m?.complete).toBe(false);
    // Each image carries its own position for readers that go straight to the files.
    expect((await cache.getImage(KEY_A, 3))?.meta).toMatchObject({ position: 0.25, injectionStep: 15 });

    await cache.markComplete(KEY_A);
    expect(await cache.resumeState(KEY_A)).toMatchObject({ complete: true, missing: [] });
    await expect(cache.markComplete(KEY_B)).rejects.toThrow(/no manifest/);
  });

  it('resumes after an interruption with exactly the images that were completed', async () => {
    let failManifest = false;
    const cache = new RenderCache(dir, {
      beforeRename: (temp) => {
        // Simulate the process dying while replacing the manifest: the rename never happens.
        if (failManifest && path.basename(temp).startsWith('.manifest.json.')) throw new Error('interrupted');
      },
    });
    await cache.recordImage(KEY_A, { index: 0, position: 0, injectionStep: 0 }, png(0));
    await cache.recordImage(KEY_A, { index: 1, position: 1, injectionStep: 0 }, png(1));
    failManifest = true;
    await expect(cache.recordImage(KEY_A, { index: 2, position: 0.5, injectionStep: 12 }, png(2))).rejects.toThrow('interrupted');

    // A fresh cache object, as after a restart.
    const after = new RenderCache(dir);
    const state = await after.resumeState(KEY_A);
    expect(state.images.map((i) => i.index)).toEqual([0, 1]);
    expect(state.complete).toBe(false);
    // The manifest on disk is the previous complete JSON, not a torn one.
    const text = await readFile(path.join(after.entryDir(KEY_A), 'manifest.json'), 'utf8');
    expect(JSON.parse(text).images).toHaveLength(2);

    // The resumed render re-records image 2 and finishes.
    await after.recordImage(KEY_A, { index: 2, position: 0.5, injectionStep: 12 }, png(2));
    await after.markComplete(KEY_A);
    expect((await after.resumeState(KEY_A)).images.map((i) => i.position)).toEqual([0, 0.5, 1]);
  });

  it('reports images the manifest lists but the disk lost, and the transition as incomplete', async () => {
    const cache = new RenderCache(dir);
    for (const [index, position] of [[0, 0], [1, 1], [2, 0.5]] as const) {
      await cache.recordImage(KEY_A, { index, position, injectionStep: 0 }, png(index));
    }
    await cache.markComplete(KEY_A);
    await unlink(path.join(cache.entryDir(KEY_A), 'image-0002.png'));
    const state = await cache.resumeState(KEY_A);
    expect(state.missing).toEqual([2]);
    expect(state.complete).toBe(false);
    expect(state.images.map((i) => i.index)).toEqual([0, 1]);
  });

  it('ignores a manifest damaged from outside or copied from another key', async () => {
    const cache = new RenderCache(dir);
    await cache.recordImage(KEY_A, { index: 0, position: 0, injectionStep: 0 }, png(0));
    const file = path.join(cache.entryDir(KEY_A), 'manifest.json');
    const good = await readFile(file, 'utf8');
    await writeFile(file, good.slice(0, 20));
    expect(await cache.resumeState(KEY_A)).toEqual({ images: [], complete: false, missing: [] });
    await cache.recordImage(KEY_B, { index: 0, position: 0, injectionStep: 0 }, png(0));
    await writeFile(path.join(cache.entryDir(KEY_B), 'manifest.json'), good);
    expect(await cache.readManifest(KEY_B)).toBeUndefined();
  });

  it('prune removes entries not kept and crashed writers\' temp files', async () => {
    const cache = new RenderCache(dir);
    const KEY_C = cacheKey({ test: 'c' });
    for (const key of [KEY_A, KEY_B, KEY_C]) await cache.putImage(key, 0, png(0));
    // A temp file a dead writer left behind (pid 2^22 + 1 is above Linux's default pid_max).
    const stale = `.image-0001.png.${2 ** 22 + 1}.0123456789ab.lbs-tmp`;
    expect(isTempFileName(stale)).toBe(true);
    await writeFile(path.join(cache.entryDir(KEY_A), stale), 'half');

    expect((await cache.prune([KEY_A, KEY_C])).sort()).toEqual([KEY_B]);
    expect(await cache.keys()).toEqual([KEY_A, KEY_C].sort());
    expect(await readdir(cache.entryDir(KEY_A))).not.toContain(stale);
    expect(await cache.getImage(KEY_A, 0)).toBeDefined();
    expect(await new RenderCache(path.join(dir, 'none')).prune([])).toEqual([]);
  });
});
