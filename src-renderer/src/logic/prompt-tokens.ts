/**
 * The token counter under the prompt fields. CLIP reads at most 77 tokens, two of which are
 * the start and end markers, so 75 tokens of text survive; the rest is silently cut. The
 * studio shows the count and greys out the words past the cut while the user types.
 *
 * Counting exactly needs the BPE merges, which live in the main process; while typing, the
 * renderer splits text the way CLIP's pre-tokenizer does (lower-cased words, single digits,
 * punctuation runs, English contractions) and estimates the BPE pieces per word. The display
 * marks the number as an estimate (≈) unless an exact count was supplied.
 */

export const CLIP_CONTEXT_TOKENS = 77;
/** Tokens left for text once the start and end markers are placed. */
export const CLIP_TEXT_TOKENS = CLIP_CONTEXT_TOKENS - 2;

/** CLIP's pre-tokenizer pattern (openai/CLIP simple_tokenizer), without the special tokens. */
const PIECES = /'s|'t|'re|'ve|'m|'ll|'d|\p{L}+|\p{N}|[^\s\p{L}\p{N}]+/gu;

export interface Piece {
  readonly text: string;
  /** Character offsets in the original string. */
  readonly start: number;
  readonly end: number;
}

export function prePieces(text: string): Piece[] {
  const out: Piece[] = [];
  for (const m of text.toLowerCase().matchAll(PIECES)) {
    out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/**
 * Estimated BPE tokens of one piece. Common English words up to about ten letters are single
 * tokens in CLIP's 49k vocabulary; longer or rarer words split into pieces of roughly six
 * letters. Punctuation runs split per character except a few common pairs.
 */
export function estimatePieceTokens(piece: string): number {
  if (/^\p{L}+$/u.test(piece)) return piece.length <= 10 ? 1 : 1 + Math.ceil((piece.length - 10) / 6);
  if (/^[^\s\p{L}\p{N}]+$/u.test(piece)) return Math.max(1, Math.ceil(piece.length / 2));
  return 1;
}

export interface TokenSplit {
  readonly tokens: number;
  /** Text CLIP reads. */
  readonly kept: string;
  /** Text past the limit (starting at the first word that does not fit whole). */
  readonly cut: string;
  readonly exact: boolean;
}

export function splitAtTokenLimit(
  text: string,
  limit = CLIP_TEXT_TOKENS,
  countPiece: (piece: string) => number = estimatePieceTokens,
  exact = false,
): TokenSplit {
  let tokens = 0;
  let cutAt = -1;
  for (const piece of prePieces(text)) {
    const n = countPiece(piece.text);
    if (cutAt < 0 && tokens + n > limit) cutAt = piece.start;
    tokens += n;
  }
  if (cutAt < 0) return { tokens, kept: text, cut: '', exact };
  return { tokens, kept: text.slice(0, cutAt), cut: text.slice(cutAt), exact };
}

/** "12 / 75" or "≈ 80 / 75 · 5 cut" for the counter. */
export function tokenLabel(split: TokenSplit, limit = CLIP_TEXT_TOKENS): string {
  const n = `${split.exact ? '' : '≈ '}${split.tokens} / ${limit} tokens`;
  return split.tokens > limit ? `${n} · ${split.tokens - limit} cut` : n;
}

/** The host's exact count (`prompts.tokenize`) as a split of the text as typed. */
export function exactSplit(text: string, count: { tokens: number; cutAt: number | null }): TokenSplit {
  if (count.cutAt === null) return { tokens: count.tokens, kept: text, cut: '', exact: true };
  return { tokens: count.tokens, kept: text.slice(0, count.cutAt), cut: text.slice(count.cutAt), exact: true };
}
