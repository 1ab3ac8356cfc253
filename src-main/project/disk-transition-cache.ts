import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path, { join } from 'node:path';
import type { StoredLatents, TransitionCache } from '../engine/blend/cache';
import { canonicalHash } from '../engine/canonical-json';
import { decodePng, encodePngAsync } from '../media/png';
import type { RgbImage } from '../engine/image';
import { defaultPngEncoderPool } from '../media/png-encoder-pool';
import { cleanupStaleTemps, writeFileAtomic } from './atomic-write';
import { projectBaseName } from './create';
import { decodeLatents, encodeLatents } from './latent-file';
import { WriteBehind } from './write-behind';

/** The render cache folder of a project: `<name>.lbs.cache` next to its file. */
export function cacheDirFor(projectFile: string): string {
  return path.join(path.dirname(path.resolve(projectFile)), `${projectBaseName(projectFile)}.lbs.cache`);
}

/** An image's PNG bytes, encoded at most once per `memo` (the cache and the frame publisher share one). */
export function pngOnce(image: RgbImage, memo: WeakMap<RgbImage, Promise<Buffer>>): Promise<Buffer> {
  let png = memo.get(image);
  if (!png) {
    png = encodePngAsync(image);
    memo.set(image, png);
    // A failed encoding is not remembered: the next caller gets the error afresh.
    png.catch(() => memo.delete(image));
  }
  return png;
}

/**
 * The blending engine's TransitionCache on disk, next to the project. Keys come from the
 * engine (hashes of everything inside a render that determines a value); `namespace` adds what
 * the engine cannot see — the model files' fingerprint, the backend and the engine's numerics
 * version — so a swapped model or a numerics change never reuses stale results.
 *
 * Layout: `<dir>/latents/<key>.lat` (+ `.json` with steps and timing) and
 * `<dir>/images/<key>.png`. Every write is atomic, so a cancel or crash leaves either no entry
 * or a whole one, and the next render resumes from what is there.
 *
 * Writes go through `writes`: by default each put is done when it returns; a render passes a
 * write-behind queue so the puts run while the UNet does (the render flushes it before it
 * reports done). An entry still being written is read back from memory.
 */
export class DiskTransitionCache implements TransitionCache {
  readonly counters = { trajectoryHits: 0, trajectoryMisses: 0, imageHits: 0, imageMisses: 0, writes: 0 };
  /** Sub-folders made ready (created, a killed writer's temp files removed) by this instance. */
  private readonly ready = new Map<string, Promise<void>>();

  constructor(
    readonly dir: string,
    private readonly namespace: unknown,
    /** PNG bytes of images already encoded elsewhere (the frame publisher), to encode each once. */
    private readonly pngs: WeakMap<RgbImage, Promise<Buffer>> = new WeakMap(),
    private readonly writes: WriteBehind = new WriteBehind(0),
  ) {
    // A render makes its cache before its first UNet call: the encoder thread boots meanwhile.
    defaultPngEncoderPool().warm();
  }

  /** Entries whose write has not finished, by file: what a get finds before the disk has it. */
  private readonly writing = new Map<string, StoredLatents | RgbImage>();

  /** The PNG of an image this cache wrote or read, or a fresh encoding remembered for later. */
  pngOf(image: RgbImage): Promise<Buffer> {
    return pngOnce(image, this.pngs);
  }

  private write(file: string, value: StoredLatents | RgbImage, write: () => Promise<void>): Promise<void> {
    this.writing.set(file, value);
    return this.writes.add(() =>
      write().finally(() => {
        if (this.writing.get(file) === value) this.writing.delete(file);
      }),
    );
  }

  private key(key: string): string {
    return canonicalHash({ namespace: this.namespace, key }).slice(0, 40);
  }

  imagePath(key: string): string {
    return join(this.dir, 'images', `${this.key(key)}.png`);
  }

  private latentPath(key: string): string {
    return join(this.dir, 'latents', `${this.key(key)}.lat`);
  }

  async getTrajectory(key: string): Promise<StoredLatents | undefined> {
    const file = this.latentPath(key);
    const writing = this.writing.get(file) as StoredLatents | undefined;
    if (writing) {
      this.counters.trajectoryHits++;
      return writing;
    }
    // A miss answered without the thread pool, which the writes behind the render keep busy.
    if (!existsSync(`${file}.json`)) {
      this.counters.trajectoryMisses++;
      return undefined;
    }
    try {
      const [bytes, metaText] = await Promise.all([readFile(file), readFile(`${file}.json`, 'utf8')]);
      const meta = JSON.parse(metaText) as { steps: number[]; timing?: StoredLatents['timing'] };
      const entries = decodeLatents(bytes);
      const data = meta.steps.map((s) => entries[s]?.data);
      if (data.some((d) => d === undefined)) throw new Error('steps and latents disagree');
      this.counters.trajectoryHits++;
      return { dims: entries[meta.steps[0]]!.dims, steps: meta.steps, data: data as Float32Array[], timing: meta.timing };
    } catch {
      // Missing or damaged entries are recomputed; a damaged one is overwritten then.
      this.counters.trajectoryMisses++;
      return undefined;
    }
  }

  /**
   * Create a sub-folder on first use and remove the `.lbs-tmp` files a killed render left in
   * it (their writer is gone), so a cache does not collect dead temporaries.
   */
  private folder(name: 'latents' | 'images'): Promise<void> {
    let ready = this.ready.get(name);
    if (!ready) {
      const dir = join(this.dir, name);
      ready = mkdir(dir, { recursive: true }).then(async () => {
        await cleanupStaleTemps(dir).catch(() => undefined);
      });
      this.ready.set(name, ready);
    }
    return ready;
  }

  async putTrajectory(key: string, value: StoredLatents): Promise<void> {
    const file = this.latentPath(key);
    await this.write(file, value, async () => {
      await this.folder('latents');
      const entries: ({ data: Float32Array; dims: readonly number[] } | undefined)[] = [];
      value.steps.forEach((s, i) => (entries[s] = { data: value.data[i], dims: value.dims }));
      for (let i = 0; i < entries.length; i++) entries[i] ??= undefined;
      // Latents first, metadata last: the metadata file is what marks an entry complete.
      await writeFileAtomic(file, encodeLatents(entries));
      await writeFileAtomic(`${file}.json`, JSON.stringify({ steps: value.steps, timing: value.timing }));
      this.counters.writes++;
    });
  }

  async getImage(key: string): Promise<RgbImage | undefined> {
    const file = this.imagePath(key);
    const writing = this.writing.get(file) as RgbImage | undefined;
    if (writing) {
      this.counters.imageHits++;
      return writing;
    }
    if (!existsSync(file)) {
      this.counters.imageMisses++;
      return undefined;
    }
    try {
      const png = await readFile(file);
      const image = decodePng(png);
      this.pngs.set(image, Promise.resolve(png));
      this.counters.imageHits++;
      return image;
    } catch {
      this.counters.imageMisses++;
      return undefined;
    }
  }

  async putImage(key: string, image: RgbImage): Promise<void> {
    const file = this.imagePath(key);
    await this.write(file, image, async () => {
      await this.folder('images');
      await writeFileAtomic(file, await this.pngOf(image));
      this.counters.writes++;
    });
  }
}
