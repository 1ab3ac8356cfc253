import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { CacheContext } from './cacheKey';
import { isTempFileName } from './atomicWrite';
import type { Project } from './schema';

/** SHA-256 (hex) of a file's bytes, streamed. */
export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  await new Promise<void>((resolve, reject) => {
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve());
  });
  return hash.digest('hex');
}

/** Bytes read from each end of every model file. */
const SAMPLE_BYTES = 64 * 1024;

/**
 * Identity of a model folder, cheap even for gigabytes of weights: for every file (sorted
 * relative paths), its size and a hash of its first and last 64 KiB. ONNX files begin with
 * their graph and initializer metadata and external weight files differ at both ends, so a
 * swapped, re-exported or truncated model changes the fingerprint, while copying or moving the
 * folder (new paths, new mtimes) does not.
 */
export async function fingerprintModelFolder(dir: string): Promise<string> {
  const info = await stat(dir).catch((err: NodeJS.ErrnoException) => {
    throw new Error(`model folder "${dir}" ${err.code === 'ENOENT' ? 'does not exist' : `cannot be read (${err.message})`}`);
  });
  if (!info.isDirectory()) throw new Error(`model folder "${dir}" is a file; choose the folder that holds model_index.json`);
  const files = await listFiles(dir);
  if (files.length === 0) throw new Error(`model folder "${dir}" is empty`);
  const outer = createHash('sha256');
  outer.update('lbs-model-fingerprint-v1\n');
  for (const rel of files) {
    const file = path.join(dir, rel);
    const { size } = await stat(file);
    outer.update(`${rel}\0${size}\0${await sampleHash(file, size)}\n`);
  }
  return outer.digest('hex');
}

async function listFiles(root: string, rel = ''): Promise<string[]> {
  const entries = await readdir(path.join(root, rel), { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries) {
    // Hidden files (.DS_Store, editor swap files, our own temp files) say nothing about the model.
    if (e.name.startsWith('.') || isTempFileName(e.name)) continue;
    const child = rel ? `${rel}/${e.name}` : e.name;
    // Hugging Face cache snapshots are symlinks to blobs: follow links to what they point at.
    const kind = e.isSymbolicLink() ? await stat(path.join(root, child)).catch(() => undefined) : e;
    if (kind?.isDirectory()) out.push(...(await listFiles(root, child)));
    else if (kind?.isFile()) out.push(child);
  }
  return out.sort();
}

async function sampleHash(file: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(Math.min(size, SAMPLE_BYTES));
    await handle.read(head, 0, head.length, 0);
    hash.update(head);
    if (size > SAMPLE_BYTES) {
      const tail = Buffer.alloc(Math.min(size - SAMPLE_BYTES, SAMPLE_BYTES));
      await handle.read(tail, 0, tail.length, size - tail.length);
      hash.update(tail);
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

export interface CacheContextOptions {
  /** The text-to-image model folder actually used (for the demo model: its generated folder). */
  readonly modelDir: string;
  /** The inpainting model folder; required when a keyframe has a mask. */
  readonly inpaintingModelDir?: string;
  /** The active backend, e.g. 'cpu' (ProviderStatus.active). */
  readonly backend: string;
  readonly engineVersion?: string;
}

/**
 * Everything projectCacheKeys needs from outside the project: model fingerprints and the
 * content hashes of every keyframe image and mask (resolved against the project's folder).
 * A missing file is an error naming the field and both paths.
 */
export async function buildCacheContext(project: Project, projectFile: string, options: CacheContextOptions): Promise<CacheContext> {
  const dir = path.dirname(path.resolve(projectFile));
  const fileHashes: Record<string, string> = {};
  const needsInpainting = project.keyframes.some((k) => k.mask !== undefined);
  for (const [i, k] of project.keyframes.entries()) {
    for (const field of ['image', 'mask'] as const) {
      const rel = k[field];
      if (rel === undefined || fileHashes[rel] !== undefined) continue;
      const abs = path.resolve(dir, rel);
      try {
        fileHashes[rel] = await hashFile(abs);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new Error(
          `keyframes[${i}].${field}: ${code === 'ENOENT' ? 'file not found' : `cannot read (${(err as Error).message})`}: "${abs}" (written as "${rel}" in ${projectFile})`,
        );
      }
    }
  }
  if (needsInpainting && options.inpaintingModelDir === undefined) {
    throw new Error('buildCacheContext: a keyframe has a mask, so the inpainting model folder (inpaintingModelDir) is needed');
  }
  return {
    modelFingerprint: await fingerprintModelFolder(options.modelDir),
    inpaintingModelFingerprint: options.inpaintingModelDir === undefined ? undefined : await fingerprintModelFolder(options.inpaintingModelDir),
    backend: options.backend,
    engineVersion: options.engineVersion,
    fileHashes,
  };
}
