import { beforeAll, describe, expect, it } from 'vitest';
import { ClipTokenizer } from './clip-tokenizer';
import { CLIP_MERGE_COUNT, CLIP_VOCAB_SIZE, clipVocabFromMerges } from './clip-vocab';
import { clipMergesFileLines } from './clip-test-data';
import { TokenizerError } from './errors';

const BOS = 49406;
const EOS = 49407;

// Public vectors (ids before padding) from the reference doc.
const ASTRONAUT_ON_MARS = [49406, 320, 1125, 539, 550, 18376, 6765, 320, 4558, 525, 7496, 49407];
const ASTRONAUT_RIDING = [49406, 550, 18376, 6765, 320, 4558, 49407];
const HOW_ARE_YOU = [49406, 829, 631, 592, 1960, 286, 49407];
const body = (ids: readonly number[]) => ids.slice(1, -1);

/** Id of a single byte-level character followed by </w>: CLIP numbers the printable ASCII bytes
 * '!'…'~' first (0…93), and the </w> copies of all 256 follow at +256. */
const asciiWordEndId = (char: string) => 256 + char.charCodeAt(0) - 0x21;

let vocab: Record<string, number>;
let tokenizer: ClipTokenizer;

beforeAll(() => {
  const lines = clipMergesFileLines();
  vocab = clipVocabFromMerges(lines);
  tokenizer = ClipTokenizer.fromVocabAndMerges(vocab, lines.slice(1, CLIP_MERGE_COUNT + 1), {
    padId: 0,
    bosId: BOS,
    eosId: EOS,
  });
});

/** Independent decoder: ids → vocabulary strings → bytes via the inverse byte alphabet → text. */
let tokenById: Map<number, string> | undefined;
function decode(ids: readonly number[]): string {
  tokenById ??= new Map(Object.entries(vocab).map(([token, id]) => [id, token]));
  // CLIP's byte alphabet: printable Latin-1 bytes stand for themselves, the other bytes take
  // U+0100, U+0101, … in byte order.
  const byteByChar = new Map<string, number>();
  let shifted = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    byteByChar.set(String.fromCharCode(printable ? b : 256 + shifted++), b);
  }
  const text = ids.map((id) => tokenById!.get(id)!).join('').replaceAll('</w>', ' ');
  return Buffer.from(Array.from(text, (c) => (c === ' ' ? 0x20 : byteByChar.get(c)!))).toString('utf8').trim();
}

describe('clipVocabFromMerges', () => {
  it('numbers bytes, word-end bytes, merges and the two special tokens as CLIP does', () => {
    expect(Object.keys(vocab)).toHaveLength(CLIP_VOCAB_SIZE);
    expect(vocab['!']).toBe(0); // SD 2 pads with "!", documented as id 0
    expect(vocab['a</w>']).toBe(320); // from the public vectors
    expect(vocab['<|startoftext|>']).toBe(BOS);
    expect(vocab['<|endoftext|>']).toBe(EOS);
    const [left, right] = clipMergesFileLines()[1]!.split(' ');
    expect(vocab[left! + right!]).toBe(512); // first merge of the file → first merged token
  });

  it('says how many merge lines it needs when given too few', () => {
    expect(() => clipVocabFromMerges(['#version: 0.2', 'i n'])).toThrow(/48894 merges/);
  });
});

describe('ClipTokenizer public vectors', () => {
  it.each([
    ['a photo of an astronaut riding a horse on mars', ASTRONAUT_ON_MARS],
    ['An astronaut riding a horse', ASTRONAUT_RIDING],
    ['How are you doing?', HOW_ARE_YOU],
  ])('tokenize(%j)', (prompt, expected) => {
    expect(tokenizer.tokenize(prompt)).toEqual(expected);
  });

  it('encode pads to 77 with the pad id after EOS', () => {
    const encoded = tokenizer.encode('a photo of an astronaut riding a horse on mars');
    expect(encoded.ids).toBeInstanceOf(Int32Array);
    expect(Array.from(encoded.ids)).toEqual([...ASTRONAUT_ON_MARS, ...new Array(77 - 12).fill(0)]);
    expect(encoded).toMatchObject({ tokenCount: 12, truncated: false, droppedWords: [], droppedText: '' });
  });

  it('encodes an empty prompt as BOS, EOS and padding', () => {
    const encoded = tokenizer.encode('   ');
    expect(Array.from(encoded.ids.slice(0, 3))).toEqual([BOS, EOS, 0]);
    expect(encoded.tokenCount).toBe(2);
  });

  it('reports the vocabulary size and defaults', () => {
    expect(tokenizer.vocabSize).toBe(CLIP_VOCAB_SIZE);
    expect(tokenizer.maxLength).toBe(77);
    expect(tokenizer.unkId).toBe(EOS);
  });
});

describe('ClipTokenizer truncation', () => {
  // Every word of the first public vector is one token, so 7 copies are 70 tokens.
  const seventyTokens = Array(7).fill('a photo of an astronaut riding a horse on mars').join(' ');
  const seventyIds = Array(7).fill(body(ASTRONAUT_ON_MARS)).flat() as number[];

  it('keeps exactly 75 tokens without reporting a drop', () => {
    const encoded = tokenizer.encode(`${seventyTokens} how are you doing?`); // 70 + 5
    expect(Array.from(encoded.ids)).toEqual([BOS, ...seventyIds, ...body(HOW_ARE_YOU), EOS]);
    expect(encoded).toMatchObject({ tokenCount: 77, truncated: false, droppedWords: [] });
  });

  it('drops whole words past 75 tokens and names them', () => {
    const encoded = tokenizer.encode(`${seventyTokens} how are you doing?  and a\tcastle`);
    expect(Array.from(encoded.ids)).toEqual([BOS, ...seventyIds, ...body(HOW_ARE_YOU), EOS]);
    expect(encoded.tokenCount).toBe(77);
    expect(encoded.truncated).toBe(true);
    expect(encoded.droppedWords).toEqual(['and', 'a', 'castle']);
    expect(encoded.droppedText).toBe('and a castle');
  });

  it('reports a word cut in the middle (it lost its "?"), keeping its first token', () => {
    const encoded = tokenizer.encode(`${seventyTokens} how are you a doing? Mars`); // doing? = 1960, 286
    expect(encoded.ids[75]).toBe(1960);
    expect(encoded.ids[76]).toBe(EOS);
    expect(encoded.droppedWords).toEqual(['doing?', 'Mars']);
    expect(encoded.droppedText).toBe('doing? Mars');
  });

  it('tokenize never truncates, so counters can show how far over the limit a prompt is', () => {
    expect(tokenizer.tokenize(`${seventyTokens} ${seventyTokens}`)).toHaveLength(142);
  });

  it('honours a custom maxLength', () => {
    const short = ClipTokenizer.fromVocabAndMerges(vocab, clipMergesFileLines().slice(1, CLIP_MERGE_COUNT + 1), {
      padId: EOS,
      bosId: BOS,
      eosId: EOS,
      maxLength: 5,
    });
    const encoded = short.encode('An astronaut riding a horse');
    expect(Array.from(encoded.ids)).toEqual([BOS, 550, 18376, 6765, EOS]);
    expect(encoded.droppedWords).toEqual(['a', 'horse']);
  });
});

describe('ClipTokenizer text normalisation', () => {
  it('collapses whitespace (tabs, newlines, NBSP, ideographic space) and lower-cases', () => {
    expect(tokenizer.tokenize('  HOW\tAre\n\nyou\u00a0\u3000DOING?  ')).toEqual(HOW_ARE_YOU);
  });

  it('splits numbers into single digits and punctuation from words', () => {
    const ids = tokenizer.tokenize('horse, 2024!');
    expect(ids).toEqual([BOS, 4558, asciiWordEndId(','), ...[...'2024'].map(asciiWordEndId), asciiWordEndId('!'), EOS]);
    expect(asciiWordEndId('?')).toBe(286); // consistent with the public vector's "?"
  });

  it('decodes HTML entities (named, numeric, double-escaped) before splitting', () => {
    const quote = asciiWordEndId('"');
    expect(tokenizer.tokenize('&quot;mars&quot;')).toEqual([BOS, quote, 7496, quote, EOS]);
    expect(tokenizer.tokenize('horse&amp;mars')).toEqual([BOS, 4558, asciiWordEndId('&'), 7496, EOS]);
    expect(tokenizer.tokenize('&#97; horse&nbsp;on&#x20;mars')).toEqual([BOS, 320, 4558, 525, 7496, EOS]);
    expect(tokenizer.tokenize('&amp;quot;mars&amp;quot;')).toEqual([BOS, quote, 7496, quote, EOS]);
  });

  it('splits off contractions and matches them case-insensitively', () => {
    const piecewise = (...parts: string[]) => [BOS, ...parts.flatMap((p) => body(tokenizer.tokenize(p))), EOS];
    expect(tokenizer.tokenize("it's")).toEqual(piecewise('it', "'s"));
    expect(tokenizer.tokenize("WE'LL")).toEqual(piecewise('we', "'ll"));
    expect(tokenizer.tokenize('x²')).toEqual(piecewise('x', '²')); // ² is a number, not a letter
  });

  it('encodes any Unicode text as UTF-8 bytes that decode back to the lower-cased prompt', () => {
    for (const text of ['東京の夜景', 'naïve résumé', '🌃✨', 'ΣΟΦΙΑΣ']) {
      const expected = text === 'ΣΟΦΙΑΣ' ? 'σοφιας' : text.toLowerCase(); // Unicode final-sigma rule
      expect(decode(body(tokenizer.tokenize(text)))).toBe(expected);
    }
  });

  it('treats composed, decomposed and upper-case accents alike (NFC, then lower-case)', () => {
    const composed = tokenizer.tokenize('caf\u00e9');
    expect(tokenizer.tokenize('cafe\u0301')).toEqual(composed);
    expect(tokenizer.tokenize('CAF\u00c9')).toEqual(composed);
  });

  it('keeps <|startoftext|> and <|endoftext|> in the text as their special ids', () => {
    expect(tokenizer.tokenize('mars<|endoftext|>')).toEqual([BOS, 7496, EOS, EOS]);
  });

  // Vectors produced by a separate Python port of OpenAI CLIP's simple_tokenizer.py (the `regex`
  // package, html.unescape; NFC standing in for ftfy), run on the same merges file.
  it.each([
    [
      "Hello, World!!! It's 2024 -- the year's best café & crème brûlée?!",
      [49406, 3306, 267, 1002, 995, 585, 568, 273, 271, 273, 275, 2432, 518, 935, 568, 949, 15304, 261, 1075,
        12138, 614, 711, 127, 119, 75, 13489, 2835, 49407],
    ],
  ])('matches the Python reference for %j', (prompt, expected) => {
    expect(tokenizer.tokenize(prompt)).toEqual(expected);
  });
});

describe('ClipTokenizer.fromVocabAndMerges validation', () => {
  const merges = ['a b'];
  const tiny = { a: 0, b: 1, 'a</w>': 2, 'b</w>': 3, 'ab</w>': 4, '<|startoftext|>': 5, '<|endoftext|>': 6 };

  it('rejects a malformed merge with its index', () => {
    expect(() => ClipTokenizer.fromVocabAndMerges(tiny, ['a b', 'ab'], { padId: 6, bosId: 5, eosId: 6 })).toThrow(
      /Merge 1 \("ab"\)/,
    );
  });

  it('rejects ids outside the vocabulary', () => {
    expect(() => ClipTokenizer.fromVocabAndMerges(tiny, merges, { padId: 7, bosId: 5, eosId: 6 })).toThrow(TokenizerError);
    expect(() => ClipTokenizer.fromVocabAndMerges(tiny, merges, { padId: 0, bosId: 5, eosId: 6, maxLength: 1 })).toThrow(
      /maxLength/,
    );
  });

  it('rejects vocabulary entries that are not non-negative integers', () => {
    expect(() => ClipTokenizer.fromVocabAndMerges({ ...tiny, c: -1 }, merges, { padId: 0, bosId: 5, eosId: 6 })).toThrow(
      /"c" has id -1/,
    );
  });

  it('falls back to unkId for symbols missing from the vocabulary', () => {
    const tok = ClipTokenizer.fromVocabAndMerges(tiny, merges, { padId: 6, bosId: 5, eosId: 6, unkId: 4 });
    // "ba" → b, a</w> (no merge applies); "c</w>" has no id in this vocabulary.
    expect(tok.tokenize('ba c')).toEqual([5, 1, 2, 4, 6]);
  });

  it('accepts merges as [left, right] pairs', () => {
    const tok = ClipTokenizer.fromVocabAndMerges(tiny, [['a', 'b</w>']], { padId: 6, bosId: 5, eosId: 6, unkId: 0 });
    expect(tok.tokenize('ab')).toEqual([5, 4, 6]); // merged into "ab</w>"
    const unmerged = ClipTokenizer.fromVocabAndMerges(tiny, [], { padId: 6, bosId: 5, eosId: 6 });
    expect(unmerged.tokenize('ab')).toEqual([5, 0, 3, 6]);
  });
});
