import { mkdtemp, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

/** Test support: OpenAI's CLIP merges file, read from the shared data folder beside the repo. */

const here = path.dirname(fileURLToPath(import.meta.url));
export const CLIP_MERGES_GZ = path.resolve(here, '../../../../shared/data/clip/bpe_simple_vocab_16e6.txt.gz');

let cachedLines: string[] | undefined;

/** The lines of bpe_simple_vocab_16e6.txt: line 1 is its header, then merges. */
export function clipMergesFileLines(): string[] {
  cachedLines ??= gunzipSync(readFileSync(CLIP_MERGES_GZ)).toString('utf8').split('\n');
  return cachedLines;
}

/** Writes `files` (name → contents) into a fresh folder under the OS temp dir. */
export async function writeTempFolder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'clip-tokenizer-'));
  await Promise.all(Object.entries(files).map(([name, text]) => writeFile(path.join(dir, name), text)));
  return dir;
}
