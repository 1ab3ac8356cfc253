import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Tensor } from '../engine/tensor';
import { cleanupStaleTemps, writeFileAtomic, type AtomicWriteOptions } from './atomicWrite';
import { projectBaseName } from './create';
import { LatentFileError, decodeLatents, encodeLatents } from './latentFile';

/**
 * The render cache of a project: `<project folder>/<name>.lbs.cache/`, one folder per cache
 * key (see cacheKey.ts) under `entries/`:
 *
 *   entries/<key>/latents-<slot>.f32   latents (latentFile.ts), e.g. a keyframe trajectory
 *   entries/<key>/image-0003.png       image by index, with image-0003.json (its metadata)
 *   entries/<key>/manifest.json        transitions: which images exist, where, and whether done
 *
 * Every file is written atomically (temp + rename), and an image is written before the
 * manifest that lists it, so after a crash or cancel the manifest only names images that are
 * complete on disk and a render resumes from there. Deleting the folder is always safe.
 */

const KEY = /^[0-9a-f]{64}$/;
const SLOT = /^[a-z0-9][a-z0-9-]{0,39}$/;
/** The standard marker that tells backup tools this folder can be regenerated. */
const CACHEDIR_TAG = 'Signature: 8a477f597d28d172789f06886806bc55\n# Latent Blending Studio render cache: safe to delete, re-rendered on demand.\n';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type ImageMeta = { [key: string]: JsonValue };

export interface ManifestImage {
  /** The image's stable id within the transition (the order it was computed in), = its file index. */
  readonly index: number;
  /** Position f ∈ [0, 1] along the transition. */
  readonly position: number;
  /** Diffusion step the branch was injected at (0 for the keyframes). */
  readonly injectionStep: number;
}

export interface TransitionManifest {
  readonly key: string;
  /** Sorted by position. */
  readonly images: readonly ManifestImage[];
  /** True once every planned image is rendered; a resumed render skips the transition. */
  readonly complete: boolean;
  /** The engine's plan (e.g. injection steps and counts), so a resume continues the same tree. */
  readonly plan?: JsonValue;
}

export interface ResumeState {
  /** Images listed in the manifest whose files exist, sorted by position. */
  readonly images: readonly ManifestImage[];
  readonly complete: boolean;
  readonly plan?: JsonValue;
  /** Indices the manifest lists but whose PNG is gone (deleted by hand): render them again. */
  readonly missing: readonly number[];
}

export interface CacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly writes: number;
}

const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

const ManifestFileSchema = z.strictObject({
  format: z.literal('lbs-transition-manifest'),
  version: z.literal(1),
  key: z.string().regex(KEY),
  complete: z.boolean(),
  plan: jsonValue.optional(),
  images: z.array(
    z.strictObject({
      index: z.number().int().min(0),
      position: z.number().min(0).max(1),
      injectionStep: z.number().int().min(0),
    }),
  ),
});

/** `/films/movie.lbs.json` → `/films/movie.lbs.cache`. */
export function cacheDirFor(projectFile: string): string {
  return path.join(path.dirname(path.resolve(projectFile)), `${projectBaseName(projectFile)}.lbs.cache`);
}

function checkKey(key: string): void {
  if (!KEY.test(key)) throw new Error(`render cache: "${key}" is not a cache key (64 lowercase hex digits from cacheKey())`);
}

function checkIndex(index: number): void {
  if (!Number.isInteger(index) || index < 0) throw new Error(`render cache: image index must be a whole number ≥ 0, got ${index}`);
}

function imageName(index: number): string {
  return `image-${String(index).padStart(4, '0')}`;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === 'ENOENT';
}

export class RenderCache {
  private hits = 0;
  private misses = 0;
  private writes = 0;
  /** Manifest updates per key run one after another so concurrent records are not lost. */
  private readonly manifestQueues = new Map<string, Promise<unknown>>();
  private tagWritten = false;

  /** `writeOptions` reaches every file write; tests use its hook to interrupt one. */
  constructor(
    readonly dir: string,
    private readonly writeOptions: AtomicWriteOptions = {},
  ) {}

  static forProject(projectFile: string): RenderCache {
    return new RenderCache(cacheDirFor(projectFile));
  }

  entryDir(key: string): string {
    checkKey(key);
    return path.join(this.dir, 'entries', key);
  }

  stats(): CacheStats {
    return { hits: this.hits, misses: this.misses, writes: this.writes };
  }

  async getImage(key: string, index: number): Promise<{ png: Buffer; meta: ImageMeta } | undefined> {
    checkIndex(index);
    const base = path.join(this.entryDir(key), imageName(index));
    let png: Buffer;
    try {
      png = await readFile(`${base}.png`);
    } catch (err) {
      if (!isMissing(err)) throw err;
      this.misses++;
      return undefined;
    }
    let meta: ImageMeta = {};
    try {
      meta = JSON.parse(await readFile(`${base}.json`, 'utf8')) as ImageMeta;
    } catch {
      // Metadata is written before the image, so it is only absent if someone removed it.
    }
    this.hits++;
    return { png, meta };
  }

  async putImage(key: string, index: number, png: Uint8Array, meta: ImageMeta = {}): Promise<void> {
    checkIndex(index);
    const base = path.join(await this.ensureEntry(key), imageName(index));
    await this.write(`${base}.json`, `${JSON.stringify(meta)}\n`);
    await this.write(`${base}.png`, png);
  }

  async getLatents(key: string, slot = 'trajectory'): Promise<(Tensor | undefined)[] | undefined> {
    const file = this.latentPath(key, slot);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (err) {
      if (!isMissing(err)) throw err;
      this.misses++;
      return undefined;
    }
    try {
      const latents = decodeLatents(bytes);
      this.hits++;
      return latents;
    } catch (err) {
      // Writes are atomic, so this is outside damage; a miss re-renders and overwrites it.
      if (!(err instanceof LatentFileError)) throw err;
      this.misses++;
      return undefined;
    }
  }

  async putLatents(key: string, latents: readonly (Tensor | undefined)[], slot = 'trajectory'): Promise<void> {
    const file = this.latentPath(key, slot);
    await this.ensureEntry(key);
    await this.write(file, encodeLatents(latents));
  }

  async readManifest(key: string): Promise<TransitionManifest | undefined> {
    const manifest = await this.loadManifest(key);
    if (manifest) this.hits++;
    else this.misses++;
    return manifest;
  }

  /** Replace a transition's manifest (e.g. to start one with its plan). */
  async writeManifest(key: string, manifest: Omit<TransitionManifest, 'key'>): Promise<void> {
    await this.updateManifest(key, () => manifest);
  }

  /**
   * Store one rendered image of a transition and list it in the manifest, in that order: a
   * crash between the two leaves an unlisted image (re-rendered on resume), never a listed
   * image that does not exist. Re-recording an index replaces its entry.
   */
  async recordImage(key: string, entry: ManifestImage, png: Uint8Array, meta: ImageMeta = {}): Promise<void> {
    if (!(entry.position >= 0 && entry.position <= 1)) throw new Error(`render cache: position must be in [0, 1], got ${entry.position}`);
    await this.putImage(key, entry.index, png, { ...meta, position: entry.position, injectionStep: entry.injectionStep });
    await this.updateManifest(key, (m) => ({
      images: [...(m?.images ?? []).filter((i) => i.index !== entry.index), { ...entry }],
      complete: false,
      ...(m?.plan === undefined ? {} : { plan: m.plan }),
    }));
  }

  /** Mark a transition finished; its manifest then says the images are the whole transition. */
  async markComplete(key: string): Promise<void> {
    await this.updateManifest(key, (m) => {
      if (!m) throw new Error(`render cache: cannot mark transition ${key.slice(0, 12)}… complete, it has no manifest (record its images first)`);
      return { ...m, complete: true };
    });
  }

  /** What a render of this transition can reuse. An absent manifest means starting from scratch. */
  async resumeState(key: string): Promise<ResumeState> {
    const manifest = await this.readManifest(key);
    if (!manifest) return { images: [], complete: false, missing: [] };
    const present: ManifestImage[] = [];
    const missing: number[] = [];
    const dir = this.entryDir(key);
    const names = new Set(await readdir(dir).catch(() => [] as string[]));
    for (const image of manifest.images) {
      if (names.has(`${imageName(image.index)}.png`)) present.push(image);
      else missing.push(image.index);
    }
    return {
      images: present,
      complete: manifest.complete && missing.length === 0,
      missing,
      ...(manifest.plan === undefined ? {} : { plan: manifest.plan }),
    };
  }

  /** Keys with an entry on disk. */
  async keys(): Promise<string[]> {
    const names = await readdir(path.join(this.dir, 'entries')).catch((err: unknown) => {
      if (isMissing(err)) return [] as string[];
      throw err;
    });
    return names.filter((n) => KEY.test(n)).sort();
  }

  /**
   * Delete every entry whose key is not in `keepKeys` (what the current project no longer
   * uses) and the temp files of writers that crashed. Returns the removed keys.
   */
  async prune(keepKeys: Iterable<string>): Promise<string[]> {
    const keep = new Set(keepKeys);
    const removed: string[] = [];
    for (const key of await this.keys()) {
      const dir = path.join(this.dir, 'entries', key);
      if (keep.has(key)) {
        await cleanupStaleTemps(dir);
      } else {
        await rm(dir, { recursive: true, force: true });
        removed.push(key);
      }
    }
    return removed;
  }

  private latentPath(key: string, slot: string): string {
    if (!SLOT.test(slot)) throw new Error(`render cache: latent slot "${slot}" must be 1–40 lowercase letters, digits or "-"`);
    return path.join(this.entryDir(key), `latents-${slot}.f32`);
  }

  private async ensureEntry(key: string): Promise<string> {
    const dir = this.entryDir(key);
    await mkdir(dir, { recursive: true });
    if (!this.tagWritten) {
      await writeFileAtomic(path.join(this.dir, 'CACHEDIR.TAG'), CACHEDIR_TAG);
      this.tagWritten = true;
    }
    return dir;
  }

  private async write(file: string, data: string | Uint8Array): Promise<void> {
    await writeFileAtomic(file, data, this.writeOptions);
    this.writes++;
  }

  private async updateManifest(
    key: string,
    change: (current: TransitionManifest | undefined) => Omit<TransitionManifest, 'key'>,
  ): Promise<void> {
    const previous = this.manifestQueues.get(key) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(async () => {
        const current = await this.loadManifest(key);
        const updated = change(current);
        const images = [...updated.images].sort((a, b) => a.position - b.position || a.index - b.index);
        const file = {
          format: 'lbs-transition-manifest',
          version: 1,
          key,
          complete: updated.complete,
          ...(updated.plan === undefined ? {} : { plan: updated.plan }),
          images,
        };
        ManifestFileSchema.parse(file);
        await this.ensureEntry(key);
        await this.write(path.join(this.entryDir(key), 'manifest.json'), `${JSON.stringify(file, null, 2)}\n`);
      });
    this.manifestQueues.set(key, next);
    try {
      await next;
    } finally {
      if (this.manifestQueues.get(key) === next) this.manifestQueues.delete(key);
    }
  }

  /** The manifest on disk, or undefined when absent or unreadable (damaged from outside: re-render). */
  private async loadManifest(key: string): Promise<TransitionManifest | undefined> {
    let text: string;
    try {
      text = await readFile(path.join(this.entryDir(key), 'manifest.json'), 'utf8');
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
    const parsed = ManifestFileSchema.safeParse(safeJson(text));
    if (!parsed.success || parsed.data.key !== key) return undefined;
    const { images, complete, plan } = parsed.data;
    return { key, images, complete, ...(plan === undefined ? {} : { plan }) };
  }
}
