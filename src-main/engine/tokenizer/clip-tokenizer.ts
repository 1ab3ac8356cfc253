import { BytePairEncoder, type MergePair } from './bpe';
import { toByteLevel } from './byte-level';
import { CLIP_BOS_TOKEN, CLIP_EOS_TOKEN } from './clip-vocab';
import { preTokenizePrompt } from './clip-text';
import { TokenizerError } from './errors';
import { splitMergeLine } from './merges';
import { largestId, vocabularyMap } from './vocabulary';
import type { ClipTokenizerOptions } from './options';
import { readTokenizerFolder } from './tokenizer-folder';

export interface TokenizedPrompt {
  /** Exactly maxLength ids: BOS, the prompt's tokens, EOS, then padId. */
  ids: Int32Array;
  /** Ids before padding, BOS and EOS included (at most maxLength). */
  tokenCount: number;
  truncated: boolean;
  /** Words of the prompt (as typed, split on whitespace) that lost at least one token. */
  droppedWords: string[];
  /** The prompt from the first dropped word on, whitespace collapsed; '' when nothing was dropped. */
  droppedText: string;
}

const DEFAULT_MAX_LENGTH = 77;

/** One whitespace-separated word of the prompt and the token ids it produced (maybe none). */
interface WordTokens {
  readonly word: string;
  readonly ids: readonly number[];
}

/**
 * The CLIP byte-level BPE tokenizer that Stable Diffusion's text encoder expects, including SD 2's
 * padding with "!" (id 0) instead of <|endoftext|>.
 */
export class ClipTokenizer {
  readonly padId: number;
  readonly bosId: number;
  readonly eosId: number;
  readonly unkId: number;
  readonly maxLength: number;
  readonly vocabSize: number;

  private constructor(
    private readonly vocab: ReadonlyMap<string, number>,
    private readonly bpe: BytePairEncoder,
    options: Required<ClipTokenizerOptions>,
  ) {
    this.padId = options.padId;
    this.bosId = options.bosId;
    this.eosId = options.eosId;
    this.unkId = options.unkId;
    this.maxLength = options.maxLength;
    this.vocabSize = largestId(vocab) + 1;
  }

  /**
   * Loads a model's tokenizer/ folder: vocab.json + merges.txt, or tokenizer.json when those are
   * absent; special tokens and the pad token come from special_tokens_map.json and
   * tokenizer_config.json.
   */
  static async fromFolder(tokenizerDir: string): Promise<ClipTokenizer> {
    const definition = await readTokenizerFolder(tokenizerDir);
    return ClipTokenizer.fromVocabAndMerges(definition.vocab, definition.merges, definition.options);
  }

  /**
   * @param merges in rank order, as "left right" lines (no header) or [left, right] pairs.
   */
  static fromVocabAndMerges(
    vocab: Record<string, number>,
    merges: readonly (string | readonly [string, string])[],
    options: ClipTokenizerOptions,
  ): ClipTokenizer {
    const vocabMap = vocabularyMap(vocab);
    const pairs = merges.map((merge, index): MergePair => {
      if (typeof merge !== 'string') return merge;
      const pair = splitMergeLine(merge);
      if (!pair) {
        throw new TokenizerError(
          `Merge ${index} (${JSON.stringify(merge)}) is not two BPE symbols separated by one space.`,
        );
      }
      return pair;
    });
    const vocabSize = largestId(vocabMap) + 1;
    const resolved: Required<ClipTokenizerOptions> = {
      padId: checkTokenId('padId', options.padId, vocabSize),
      bosId: checkTokenId('bosId', options.bosId, vocabSize),
      eosId: checkTokenId('eosId', options.eosId, vocabSize),
      unkId: checkTokenId('unkId', options.unkId ?? options.eosId, vocabSize),
      maxLength: options.maxLength ?? DEFAULT_MAX_LENGTH,
    };
    if (!Number.isInteger(resolved.maxLength) || resolved.maxLength < 2) {
      throw new TokenizerError(`maxLength must be an integer of at least 2 (BOS + EOS), got ${resolved.maxLength}.`);
    }
    return new ClipTokenizer(vocabMap, new BytePairEncoder(pairs), resolved);
  }

  encode(text: string): TokenizedPrompt {
    const words = this.tokenizeWords(text);
    const budget = this.maxLength - 2;
    const kept: number[] = [];
    let firstDropped = -1;
    words.forEach((word, index) => {
      const room = budget - kept.length;
      if (word.ids.length > room && firstDropped < 0) firstDropped = index;
      kept.push(...word.ids.slice(0, Math.max(room, 0)));
    });

    const ids = new Int32Array(this.maxLength).fill(this.padId);
    ids[0] = this.bosId;
    ids.set(kept, 1);
    ids[kept.length + 1] = this.eosId;

    const droppedTail = firstDropped < 0 ? [] : words.slice(firstDropped);
    return {
      ids,
      tokenCount: kept.length + 2,
      truncated: firstDropped >= 0,
      droppedWords: droppedTail.filter((word) => word.ids.length > 0).map((word) => word.word),
      droppedText: droppedTail.map((word) => word.word).join(' '),
    };
  }

  /** ids without padding, for tests and token counters: BOS, every token (never truncated), EOS. */
  tokenize(text: string): number[] {
    return [this.bosId, ...this.tokenizeWords(text).flatMap((word) => word.ids), this.eosId];
  }

  private tokenizeWords(text: string): WordTokens[] {
    return preTokenizePrompt(text).map(({ word, pieces }) => ({
      word,
      ids: pieces.flatMap((piece) => this.pieceIds(piece)),
    }));
  }

  private pieceIds(piece: string): number[] {
    // CLIP passes its two special tokens through whole instead of spelling them out in bytes.
    if (piece === CLIP_BOS_TOKEN || piece === CLIP_EOS_TOKEN) return [this.vocab.get(piece) ?? this.unkId];
    return this.bpe.encodeWord(toByteLevel(piece)).map((symbol) => this.vocab.get(symbol) ?? this.unkId);
  }
}

function checkTokenId(name: string, id: number, vocabSize: number): number {
  if (!Number.isInteger(id) || id < 0 || id >= vocabSize) {
    throw new TokenizerError(`${name} ${id} is not a token id of this vocabulary (0…${vocabSize - 1}).`);
  }
  return id;
}
