/**
 * GPT-2/CLIP byte-level alphabet: every byte gets a printable, non-whitespace character so that
 * BPE can work on arbitrary UTF-8 without an unknown-token fallback. Printable Latin-1 bytes map
 * to themselves; the others (controls, space, 0x7F–0xA0, soft hyphen) to U+0100 onwards.
 */

/** Bytes in CLIP's vocabulary order: the self-mapped printable bytes first, then the rest. */
function bytesInVocabOrder(): number[] {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b); // '!' … '~'
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b); // '¡' … '¬'
  for (let b = 0xae; b <= 0xff; b++) printable.push(b); // '®' … 'ÿ'
  const rest: number[] = [];
  for (let b = 0; b < 256; b++) if (!printable.includes(b)) rest.push(b);
  return [...printable, ...rest];
}

function buildByteToChar(): string[] {
  const table = new Array<string>(256);
  let nextShifted = 0;
  for (const b of bytesInVocabOrder()) {
    const selfMapped = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    table[b] = String.fromCharCode(selfMapped ? b : 256 + nextShifted++);
  }
  return table;
}

/** BYTE_TO_CHAR[b] is the character that stands for byte b. */
export const BYTE_TO_CHAR: readonly string[] = buildByteToChar();

/** The 256 byte characters in the order CLIP numbers them (ids 0…255). */
export const BYTE_ALPHABET_IN_VOCAB_ORDER: readonly string[] = bytesInVocabOrder().map((b) => BYTE_TO_CHAR[b]!);

const utf8 = new TextEncoder();

/** A pre-token's UTF-8 bytes written in the byte-level alphabet. */
export function toByteLevel(text: string): string {
  let out = '';
  for (const b of utf8.encode(text)) out += BYTE_TO_CHAR[b];
  return out;
}
