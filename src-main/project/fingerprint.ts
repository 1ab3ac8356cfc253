import { createHash } from 'node:crypto';
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { isTempFileName } from './atomic-write';

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
