import { htmlUnescape } from './html-unescape';

/**
 * The text fixes of Python's `ftfy.fix_text` (ftfy 6, default TextFixerConfig) that CLIP's
 * tokenizer applies before BPE, in ftfy's order and repeated until nothing changes, as
 * `fix_and_explain` does:
 *
 * 1. unescape_html ("auto": only when the text has no '<'): `&name;` / `&#n;` references, and
 *    upper-case forms of lower-case entity names (`&EACUTE;` → É);
 * 2. remove_terminal_escapes: ANSI `ESC [ … letter` sequences;
 * 3. fix_encoding, its C1 part only: U+0080–U+009F read as the Windows-1252 bytes they are
 *    (U+0093 → “, U+0085 → …); the mojibake detection (UTF-8 decoded as Latin-1/1252…) is not
 *    replicated — a prompt typed in the studio is real Unicode, not mis-decoded bytes;
 * 4. fix_latin_ligatures: ﬁ ﬂ ﬀ ﬃ ﬄ ﬅ ﬆ Ĳ ĳ;
 * 5. fix_character_width: full-width ASCII and half-width CJK forms (U+FF01–U+FFEF) to their NFKC
 *    forms, U+3000 to a space;
 * 6. uncurl_quotes: ‘ ’ ‚ ‛ ʼ → ', “ ” „ ‟ → ";
 * 7. fix_line_breaks (CR LF, CR, U+2028/2029/0085 → LF) — whitespace to CLIP either way;
 * 8. fix_surrogates: a lone surrogate becomes U+FFFD;
 * 9. remove_control_chars: C0 controls but TAB LF FF CR, DEL, U+206A–206F, U+FEFF,
 *    U+FFF9–FFFC, U+1D173–1D17A, U+E0000–E007F;
 * 10. NFC.
 *
 * The tables follow ftfy's chardata.py (read from its source); expectations in the tests are
 * derived from that source and ftfy's documentation, not from running Python here.
 */

const ANSI_ESCAPE = /\x1b\[((?:\d|;)*)([a-zA-Z])/g;
const HTML_REFERENCE = /&#?[0-9A-Za-z]{1,24};/g;
const C1_CONTROL = /[\x80-\x9f]/g;
const SINGLE_QUOTES = /[\u02bc\u2018-\u201b]/g;
const DOUBLE_QUOTES = /[\u201c-\u201f]/g;
const LINE_BREAKS = /\r\n|[\r\u2028\u2029\u0085]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\x00-\x08\x0b\x0e-\x1f\x7f\u206a-\u206f\ufeff\ufff9-\ufffc\u{1d173}-\u{1d17a}\u{e0000}-\u{e007f}]/gu;

const LIGATURES: Readonly<Record<string, string>> = {
  'Ĳ': 'IJ',
  'ĳ': 'ij',
  'ﬀ': 'ff',
  'ﬁ': 'fi',
  'ﬂ': 'fl',
  'ﬃ': 'ffi',
  'ﬄ': 'ffl',
  'ﬅ': 'ſt',
  'ﬆ': 'st',
};
const LIGATURE_RE = new RegExp(`[${Object.keys(LIGATURES).join('')}]`, 'g');

/** Windows-1252 for 0x80–0x9F; the five bytes it leaves undefined stay as they are ("sloppy" 1252). */
const WINDOWS_1252_C1 = '€\x81‚ƒ„…†‡ˆ‰Š‹Œ\x8dŽ\x8f\x90‘’“”•–—˜™š›œ\x9džŸ';

function buildWidthMap(): Map<string, string> {
  const map = new Map<string, string>([['\u3000', ' ']]);
  for (let cp = 0xff01; cp < 0xfff0; cp++) {
    const char = String.fromCodePoint(cp);
    const alternate = char.normalize('NFKC');
    if (alternate !== char) map.set(char, alternate);
  }
  return map;
}
const WIDTH_MAP = buildWidthMap();
const WIDTH_RE = /[\u3000\uff01-\uffef]/g;

/** ftfy's unescape_html for one `&…;` reference. */
function unescapeReference(ref: string): string {
  const decoded = htmlUnescape(ref);
  if (decoded !== ref) return ref.startsWith('&#') && decoded.includes(';') ? ref : decoded;
  // ftfy also knows the upper-case spelling of every lower-case entity name, giving the upper-case character.
  const name = ref.slice(1, -1);
  if (!ref.startsWith('&#') && name === name.toUpperCase()) {
    const lower = htmlUnescape(`&${name.toLowerCase()};`);
    if (lower !== `&${name.toLowerCase()};`) return lower.toUpperCase();
  }
  return ref;
}

function fixOnce(text: string, unescapeHtml: boolean): string {
  let t = text;
  if (unescapeHtml) t = t.replace(HTML_REFERENCE, unescapeReference);
  t = t.replace(ANSI_ESCAPE, '');
  t = t.replace(C1_CONTROL, (c) => WINDOWS_1252_C1[c.charCodeAt(0) - 0x80]);
  t = t.replace(LIGATURE_RE, (c) => LIGATURES[c]);
  t = t.replace(WIDTH_RE, (c) => WIDTH_MAP.get(c) ?? c);
  t = t.replace(SINGLE_QUOTES, "'").replace(DOUBLE_QUOTES, '"');
  t = t.replace(LINE_BREAKS, '\n');
  t = t.replace(LONE_SURROGATE, '\ufffd');
  t = t.replace(CONTROL_CHARS, '');
  return t.normalize('NFC');
}

/** `ftfy.fix_text(text)` for what matters to a CLIP prompt (see the module comment). */
export function fixText(text: string): string {
  // unescape_html="auto": text that looks like HTML keeps its entities.
  const unescapeHtml = !text.includes('<');
  let current = text;
  for (let i = 0; i < 16; i++) {
    const next = fixOnce(current, unescapeHtml);
    if (next === current) return next;
    current = next;
  }
  return current;
}
