import type { MergePair } from './bpe';
import { TokenizerError } from './errors';

/**
 * Reading BPE merge lists: one merge per line, the two symbols separated by a single space,
 * usually after a `#version: …` header line.
 */

/** Splits "left right"; undefined when the line is not exactly two non-empty symbols. */
export function splitMergeLine(line: string): MergePair | undefined {
  const parts = line.split(' ');
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') return undefined;
  return [parts[0]!, parts[1]!];
}

/**
 * The merges of a merges.txt text, in rank order. Skips a first line holding `#version` (CLIP's
 * own file starts `"bpe_simple_vocab_16e6.txt#version: 0.2`) and blank lines at the end.
 * `fileLabel` names the file in errors, which also give the 1-based line number.
 */
export function parseMergesText(text: string, fileLabel: string): MergePair[] {
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const firstMergeLine = lines.length > 0 && lines[0]!.includes('#version') ? 1 : 0;
  const merges: MergePair[] = [];
  for (let i = firstMergeLine; i < lines.length; i++) {
    const pair = splitMergeLine(lines[i]!);
    if (!pair) {
      throw new TokenizerError(
        `${fileLabel} line ${i + 1}: expected two BPE symbols separated by one space, ` +
          `found ${JSON.stringify(lines[i]!.slice(0, 80))}. The file may be truncated or not a merges list.`,
        fileLabel,
      );
    }
    merges.push(pair);
  }
  if (merges.length === 0) {
    throw new TokenizerError(`${fileLabel} holds no BPE merges (expected lines like "t h").`, fileLabel);
  }
  return merges;
}
