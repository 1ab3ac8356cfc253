import { describe, expect, it } from 'vitest';
import { CLIP_TEXT_TOKENS, prePieces, splitAtTokenLimit, tokenLabel } from './prompt-tokens';

describe('prePieces (CLIP pre-tokenizer)', () => {
  it('splits words, single digits, punctuation runs and contractions, lower-cased', () => {
    expect(prePieces("It's 42 cats, OK?!").map((p) => p.text)).toEqual(['it', "'s", '4', '2', 'cats', ',', 'ok', '?!']);
  });

  it('keeps offsets into the original text', () => {
    const [a, b] = prePieces('  Misty  forest');
    expect([a.start, a.end, b.start, b.end]).toEqual([2, 7, 9, 15]);
  });
});

describe('splitAtTokenLimit', () => {
  it('has room for 75 text tokens: 77 minus the start and end markers', () => {
    expect(CLIP_TEXT_TOKENS).toBe(75);
  });

  it('keeps a short prompt whole', () => {
    const s = splitAtTokenLimit('a misty forest, golden light');
    expect(s).toEqual({ tokens: 6, kept: 'a misty forest, golden light', cut: '', exact: false });
  });

  it('cuts at the first word past 75 tokens', () => {
    const words = Array.from({ length: 80 }, (_, i) => `w${'abcdefghij'[i % 10]}`);
    // "wa" … are letter-only single-token words: 80 tokens, 5 past the limit.
    const s = splitAtTokenLimit(words.join(' '));
    expect(s.tokens).toBe(80);
    expect(s.kept.trim().split(' ')).toHaveLength(75);
    expect(s.cut.split(' ')).toEqual(words.slice(75));
  });

  it('uses an exact per-piece count when the main process supplies one', () => {
    const s = splitAtTokenLimit('one two three', 2, () => 1, true);
    expect(s).toEqual({ tokens: 3, kept: 'one two ', cut: 'three', exact: true });
  });

  it('labels estimates and says how many tokens are cut', () => {
    expect(tokenLabel(splitAtTokenLimit('a b c'))).toBe('≈ 3 / 75 tokens');
    expect(tokenLabel(splitAtTokenLimit('one two three', 2, () => 1, true), 2)).toBe('3 / 2 tokens · 1 cut');
  });
});
