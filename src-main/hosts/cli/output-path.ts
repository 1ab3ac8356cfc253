import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
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
