import { describe, expect, it } from 'vitest';
import { BYTE_ALPHABET_IN_VOCAB_ORDER, BYTE_TO_CHAR, toByteLevel } from './byte-level';

describe('byte-level alphabet (GPT-2 / CLIP bytes_to_unicode)', () => {
  it('gives every byte its own visible, non-whitespace character', () => {
    expect(new Set(BYTE_TO_CHAR).size).toBe(256);
    for (const char of BYTE_TO_CHAR) expect(char).not.toMatch(/\p{White_Space}|\p{Cc}/u);
  });

  it('maps printable bytes to themselves and the others from U+0100 on, in byte order', () => {
    expect(BYTE_TO_CHAR[0x61]).toBe('a');
    expect(BYTE_TO_CHAR[0xe9]).toBe('é');
    expect(BYTE_TO_CHAR[0x00]).toBe('\u0100');
    expect(BYTE_TO_CHAR[0x20]).toBe('Ġ'); // the familiar GPT-2 space marker
    expect(BYTE_TO_CHAR[0x0a]).toBe('Ċ');
    expect(BYTE_TO_CHAR[0xad]).toBe('\u0143'); // soft hyphen is the last shifted byte (68th)
  });

  it('lists the alphabet in CLIP vocabulary order: "!" first, shifted bytes last', () => {
    expect(BYTE_ALPHABET_IN_VOCAB_ORDER[0]).toBe('!');
    expect(BYTE_ALPHABET_IN_VOCAB_ORDER[64]).toBe('a'); // 320 − 256 in the public vectors
    expect(BYTE_ALPHABET_IN_VOCAB_ORDER[188]).toBe('\u0100');
    expect(BYTE_ALPHABET_IN_VOCAB_ORDER[255]).toBe('\u0143');
  });

  it('writes text as its UTF-8 bytes', () => {
    expect(toByteLevel('é')).toBe('Ã©'); // C3 A9
    expect(toByteLevel('a b')).toBe('aĠb');
  });
});
