import { beforeAll, describe, expect, it } from 'vitest';
import { ClipTokenizer } from './clip-tokenizer';
import { clipMergesFileLines } from './clip-test-data';
import { CLIP_MERGE_COUNT, clipVocabFromMerges } from './clip-vocab';
import { fixText } from './ftfy';

// Expected values come from ftfy's own docstrings and its chardata tables (read from the ftfy
// source; Python cannot be run here), e.g. fix_latin_ligatures("ﬂuﬃeﬆ") == "fluffiest".
describe('fixText (ftfy.fix_text for CLIP prompts)', () => {
  it('straightens curly quotes, including the modifier-letter apostrophe', () => {
    expect(fixText('\u201chere\u2019s a test\u201d')).toBe('"here\'s a test"');
    expect(fixText('\u2018a\u201b \u201ab\u201f \u201ec\u201d it\u02bcs')).toBe("'a' 'b\" \"c\" it's");
  });

  it('breaks Latin ligatures and nothing else', () => {
    expect(fixText('ﬂuﬃeﬆ')).toBe('fluffiest');
    expect(fixText('ﬁne art, ﬀ ﬄ Ĳssel ﬅ')).toBe('fine art, ff ffl IJssel ſt');
    expect(fixText('æ œ')).toBe('æ œ');
  });

  it('turns full-width letters, digits and punctuation into ASCII and U+3000 into a space; half-width katakana widen', () => {
    expect(fixText('ＬＯＵＤ　ＮＯＩＳＥＳ')).toBe('LOUD NOISES');
    expect(fixText('Ｕﾀｰﾝ')).toBe('Uターン');
    expect(fixText('８ｋ，ｔｒｅｎｄｉｎｇ！')).toBe('8k,trending!');
  });

  it('removes terminal escapes and control characters, keeps tabs and line breaks', () => {
    expect(fixText("\x1b[36;44mI'm blue, da ba dee da ba doo...\x1b[0m")).toBe("I'm blue, da ba dee da ba doo...");
    expect(fixText('\ufeffa\u200bb\x00c\x7fd\u206ae\ufff9f\u{e0041}g\tx\ny')).toBe('a\u200bbcdefg\tx\ny');
  });

  it('reads C1 controls as the Windows-1252 characters they stand for (then uncurls them)', () => {
    expect(fixText('\x93quoted\x94 \x85 \x80 5')).toBe('"quoted" … € 5');
  });

  it('unescapes HTML entities unless the text looks like HTML, as ftfy\'s "auto" mode does', () => {
    expect(fixText('&lt;tag&gt; &eacute; &EACUTE; &#8217;')).toBe("<tag> é É '");
    expect(fixText('<b>&eacute;</b>')).toBe('<b>&eacute;</b>');
  });

  it('normalises to NFC, replaces lone surrogates, and leaves clean text alone', () => {
    expect(fixText('cafe\u0301')).toBe('café');
    expect(fixText('a\ud800b')).toBe('a\ufffdb');
    const clean = 'a photo of an astronaut riding a horse on mars, 8k';
    expect(fixText(clean)).toBe(clean);
  });
});

describe('CLIP tokenizer with the ftfy fixes', () => {
  let tokenizer: ClipTokenizer;
  beforeAll(() => {
    const lines = clipMergesFileLines();
    tokenizer = ClipTokenizer.fromVocabAndMerges(clipVocabFromMerges(lines), lines.slice(1, CLIP_MERGE_COUNT + 1), { padId: 0, bosId: 49406, eosId: 49407 });
  });
  const ids = (text: string) => Array.from(tokenizer.encode(text).ids);

  it.each([
    ['it\u2019s a \u201cdreamy\u201d scene', 'it\'s a "dreamy" scene'],
    ['ﬁne art of a ﬂoating castle', 'fine art of a floating castle'],
    ['ＬＯＵＤ　ｃｏｌｏｒｓ， ８ｋ', 'loud colors, 8k'],
    ['\ufeffa red\x0bcar', 'a redcar'],
    ['\x1b[1mbold\x1b[0m portrait', 'bold portrait'],
  ])('%j gives the ids of %j', (typed, fixed) => {
    expect(ids(typed)).toEqual(ids(fixed));
    expect(ids(typed)).not.toEqual(ids(typed.replace(/[^\x20-\x7e]/g, '?')));
  });

  it('counts tokens and reports dropped words on the fixed text', () => {
    const long = Array.from({ length: 80 }, () => 'ﬁne').join(' ');
    const r = tokenizer.encode(long);
    expect(r.tokenCount).toBe(77);
    expect(r.droppedWords.every((w) => w === 'fine')).toBe(true);
  });
});
