import { END_OF_WORD } from './bpe';
import { BYTE_ALPHABET_IN_VOCAB_ORDER } from './byte-level';
import { TokenizerError } from './errors';
import { splitMergeLine } from './merges';

export const CLIP_BOS_TOKEN = '<|startoftext|>';
export const CLIP_EOS_TOKEN = '<|endoftext|>';
export const CLIP_VOCAB_SIZE = 49408;
/** Merges CLIP uses (48894): each adds one token to the 512 byte tokens and 2 special tokens. */
export const CLIP_MERGE_COUNT = CLIP_VOCAB_SIZE - 2 * 256 - 2;

/**
 * The CLIP vocabulary derived from its merges file exactly as OpenAI's simple_tokenizer does:
 * the 256 byte characters, the same with </w>, one token per merge for the first 48894 merges,
 * then <|startoftext|> (49406) and <|endoftext|> (49407).
 *
 * `mergeLines` are the lines of the merges file itself: line 1 is its `#version` header and
 * lines 2…48895 are the merges used; later lines are ignored as CLIP ignores them.
 */
export function clipVocabFromMerges(mergeLines: readonly string[]): Record<string, number> {
  const headerLines = mergeLines.length > 0 && mergeLines[0]!.includes('#version') ? 1 : 0;
  const available = mergeLines.length - headerLines;
  if (available < CLIP_MERGE_COUNT) {
    throw new TokenizerError(
      `The CLIP vocabulary needs ${CLIP_MERGE_COUNT} merges (lines 2…${CLIP_MERGE_COUNT + 1} of ` +
        `bpe_simple_vocab_16e6.txt) but only ${Math.max(available, 0)} merge lines were given.`,
    );
  }
  const tokens: string[] = [...BYTE_ALPHABET_IN_VOCAB_ORDER, ...BYTE_ALPHABET_IN_VOCAB_ORDER.map((c) => c + END_OF_WORD)];
  for (let i = headerLines; i < headerLines + CLIP_MERGE_COUNT; i++) {
    const pair = splitMergeLine(mergeLines[i]!.replace(/\r$/, ''));
    if (!pair) {
      throw new TokenizerError(
        `Merge line ${i + 1} is not two BPE symbols separated by one space: ${JSON.stringify(mergeLines[i])}.`,
      );
    }
    tokens.push(pair[0] + pair[1]);
  }
  tokens.push(CLIP_BOS_TOKEN, CLIP_EOS_TOKEN);
  const vocab: Record<string, number> = {};
  tokens.forEach((token, id) => {
    vocab[token] = id;
  });
  return vocab;
}
