import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from './args';

/** Check an output path before any work starts, so a long render never ends in "cannot write". */
export function checkOutputPath(path: string): string {
  const full = resolve(path);
  const dir = dirname(full);
  if (!existsSync(dir)) throw new UsageError(`Cannot write ${full}: the folder ${dir} does not exist.`);
  if (!statSync(dir).isDirectory()) throw new UsageError(`Cannot write ${full}: ${dir} is not a folder.`);
  if (existsSync(full) && statSync(full).isDirectory()) throw new UsageError(`Cannot write ${full}: it is a folder.`);
  return full;
}

/** Write a file atomically: a temp file beside the target, fsync, then rename over it. */
export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.partial-${randomBytes(4).toString('hex')}`);
  try {
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
