import { describe, expect, it } from 'vitest';
import { FolderSyncs } from './folder-sync';

/** An fsync double that records each call and finishes when the test says so. */
function fsyncDouble() {
  const calls: { dir: string; finish: (error?: Error) => void }[] = [];
  const fsync = (dir: string) => new Promise<void>((resolve, reject) => calls.push({ dir, finish: (error) => (error ? reject(error) : resolve()) }));
  return { calls, fsync };
}

const turn = () => new Promise((r) => setImmediate(r));

describe('FolderSyncs', () => {
  it('gives writes that wait at once one fsync, and a write during an fsync the next one, never the running one', async () => {
    const { calls, fsync } = fsyncDouble();
    const syncs = new FolderSyncs(fsync);
    const done: string[] = [];
    const a = syncs.sync('/c').then(() => done.push('a'));
    const b = syncs.sync('/c').then(() => done.push('b'));
    await turn();
    expect(calls.map((c) => c.dir)).toEqual(['/c']);
    // Renamed after the first fsync started: that fsync may not cover it.
    const c = syncs.sync('/c').then(() => done.push('c'));
    const d = syncs.sync('/c').then(() => done.push('d'));
    await turn();
    expect(calls).toHaveLength(1);
    calls[0].finish();
    await Promise.all([a, b]);
    await turn();
    expect(done).toEqual(['a', 'b']);
    expect(calls).toHaveLength(2);
    calls[1].finish();
    await Promise.all([c, d]);
    expect(done).toEqual(['a', 'b', 'c', 'd']);
  });

  it('syncs each folder on its own and hands an fsync failure to every write that waited on it', async () => {
    const { calls, fsync } = fsyncDouble();
    const syncs = new FolderSyncs(fsync);
    const images = [syncs.sync('/c/images'), syncs.sync('/c/images')];
    const latents = syncs.sync('/c/latents');
    await turn();
    expect(calls.map((c) => c.dir).sort()).toEqual(['/c/images', '/c/latents']);
    calls.find((c) => c.dir === '/c/images')!.finish(new Error('EIO'));
    calls.find((c) => c.dir === '/c/latents')!.finish();
    await expect(images[0]).rejects.toThrow('EIO');
    await expect(images[1]).rejects.toThrow('EIO');
    await expect(latents).resolves.toBeUndefined();
    // A failed fsync is not remembered: the next write gets a fresh one.
    const again = syncs.sync('/c/images');
    await turn();
    expect(calls).toHaveLength(3);
    calls[2].finish();
    await expect(again).resolves.toBeUndefined();
  });
});
