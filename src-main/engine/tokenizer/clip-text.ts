import { fixText } from './ftfy';
import { htmlUnescape } from './html-unescape';

/**
 * CLIP's prompt clean-up and pre-tokenisation. CLIP runs, on the whole prompt: ftfy.fix_text,
 * html.unescape twice, str.strip(), whitespace collapse, lower-case, then splits with PRE_TOKEN.
 * Entities and pre-tokens never span whitespace, so the same steps applied word by word give the
 * same pieces, and we learn which word each token came from. ftfy.fix_text (ftfy.ts: curly
 * quotes, ligatures, full-width letters, control characters, NFC…) runs on the whole prompt
 * first, since it can join or split words (it removes U+000B, turns U+3000 into a space); the
 * words reported are those of the fixed text. ftfy's mojibake repair is not replicated.
 */

// CLIP's `\s` comes from the `regex` package: the Unicode White_Space property (unlike JS `\s`,
// which adds U+FEFF). Python's str.strip() also removes U+001C–U+001F at the ends of the prompt.
const WHITESPACE_RUN = /\p{White_Space}+/u;
const LEADING_STRIPPED = /^[\p{White_Space}\x1c-\x1f]+/u;
const TRAILING_STRIPPED = /[\p{White_Space}\x1c-\x1f]+$/u;

const PRE_TOKEN =
  /<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|\p{L}+|\p{N}|[^\p{White_Space}\p{L}\p{N}]+/giu;

export interface PromptWord {
  /** The word as the user typed it (a run of non-whitespace characters). */
  readonly word: string;
  /** The pieces BPE encodes separately, in order; empty when the word cleans away to nothing. */
  readonly pieces: readonly string[];
}

/** Splits a prompt into its typed words and each word's CLIP pre-tokens. */
export function preTokenizePrompt(typed: string): PromptWord[] {
  const text = fixText(typed);
  const words = text.split(WHITESPACE_RUN).filter((word) => word.length > 0);
  const cleaned = words.map((word) => htmlUnescape(htmlUnescape(word)).normalize('NFC'));
  stripPromptEnds(cleaned);
  return words.map((word, i) => ({
    word,
    pieces: cleaned[i]!
      .split(WHITESPACE_RUN)
      .flatMap((part) => Array.from(part.toLowerCase().matchAll(PRE_TOKEN), (match) => match[0])),
  }));
}

/** str.strip() of the whole cleaned prompt, applied to its words in place. */
function stripPromptEnds(cleaned: string[]): void {
  for (let i = 0; i < cleaned.length; i++) {
    cleaned[i] = cleaned[i]!.replace(LEADING_STRIPPED, '');
    if (cleaned[i] !== '') break;
  }
  for (let i = cleaned.length - 1; i >= 0; i--) {
    cleaned[i] = cleaned[i]!.replace(TRAILING_STRIPPED, '');
    if (cleaned[i] !== '') break;
  }
}
