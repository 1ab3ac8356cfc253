import { LEGACY_ENTITY_NAMES, NAMED_ENTITY_CODEPOINTS } from './html-entities';

/**
 * Character-reference decoding with the rules of Python's html.unescape, which CLIP applies
 * (twice) to every prompt: numeric references with or without `;`, Windows-1252 fix-ups for
 * 0x80–0x9F, U+FFFD for impossible code points, removal of forbidden ones, and semicolon-less
 * legacy names matched by longest prefix. Named references outside NAMED_ENTITY_CODEPOINTS stay
 * as written.
 */

const CHARACTER_REFERENCE = /&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)/g;

// Numeric references that browsers (and html.unescape) reinterpret instead of decoding literally.
const NUMERIC_REFERENCE_CODEPOINT_FIXUPS: readonly (readonly [number, number])[] = [
  [0x00, 0xfffd], [0x0d, 0x0d], [0x80, 0x20ac], [0x81, 0x81], [0x82, 0x201a], [0x83, 0x0192],
  [0x84, 0x201e], [0x85, 0x2026], [0x86, 0x2020], [0x87, 0x2021], [0x88, 0x02c6], [0x89, 0x2030],
  [0x8a, 0x0160], [0x8b, 0x2039], [0x8c, 0x0152], [0x8d, 0x8d], [0x8e, 0x017d], [0x8f, 0x8f],
  [0x90, 0x90], [0x91, 0x2018], [0x92, 0x2019], [0x93, 0x201c], [0x94, 0x201d], [0x95, 0x2022],
  [0x96, 0x2013], [0x97, 0x2014], [0x98, 0x02dc], [0x99, 0x2122], [0x9a, 0x0161], [0x9b, 0x203a],
  [0x9c, 0x0153], [0x9d, 0x9d], [0x9e, 0x017e], [0x9f, 0x0178],
];
const NUMERIC_REFERENCE_FIXUPS: ReadonlyMap<number, string> = new Map(
  NUMERIC_REFERENCE_CODEPOINT_FIXUPS.map(([from, to]) => [from, String.fromCodePoint(to)]),
);

/** Code points that a numeric reference may not produce; html.unescape drops them. */
function isForbiddenCodePoint(cp: number): boolean {
  return (
    (cp >= 0x01 && cp <= 0x08) ||
    cp === 0x0b ||
    (cp >= 0x0e && cp <= 0x1f) ||
    (cp >= 0x7f && cp <= 0x9f) ||
    (cp >= 0xfdd0 && cp <= 0xfdef) ||
    (cp & 0xfffe) === 0xfffe // U+xFFFE and U+xFFFF of every plane
  );
}

function decodeNumericReference(body: string): string {
  const digits = body.replace(/;$/, '');
  const cp = digits[1] === 'x' || digits[1] === 'X'
    ? parseInt(digits.slice(2), 16)
    : parseInt(digits.slice(1), 10);
  const fixup = NUMERIC_REFERENCE_FIXUPS.get(cp);
  if (fixup !== undefined) return fixup;
  if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return '\ufffd';
  if (isForbiddenCodePoint(cp)) return '';
  return String.fromCodePoint(cp);
}

function decodeNamedReference(body: string): string {
  if (body.endsWith(';')) {
    const cp = NAMED_ENTITY_CODEPOINTS[body.slice(0, -1)];
    if (cp !== undefined) return String.fromCodePoint(cp);
  } else if (LEGACY_ENTITY_NAMES.has(body)) {
    return String.fromCodePoint(NAMED_ENTITY_CODEPOINTS[body]!);
  }
  // `&copy2024` → `©2024`: the longest legacy name that starts the reference.
  for (let length = body.length - 1; length >= 2; length--) {
    const name = body.slice(0, length);
    if (LEGACY_ENTITY_NAMES.has(name)) {
      return String.fromCodePoint(NAMED_ENTITY_CODEPOINTS[name]!) + body.slice(length);
    }
  }
  return '&' + body;
}

export function htmlUnescape(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(CHARACTER_REFERENCE, (_match, body: string) =>
    body.startsWith('#') ? decodeNumericReference(body) : decodeNamedReference(body),
  );
}
