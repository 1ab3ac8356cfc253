import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClipTokenizer } from './clip-tokenizer';
import { CLIP_MERGE_COUNT, clipVocabFromMerges } from './clip-vocab';
import { clipMergesFileLines, writeTempFolder } from './clip-test-data';
import { TokenizerError } from './errors';

const BOS = 49406;
const EOS = 49407;
const ASTRONAUT_ON_MARS = [49406, 320, 1125, 539, 550, 18376, 6765, 320, 4558, 525, 7496, 49407];
const PROMPTS = [
  'a photo of an astronaut riding a horse on mars',
  "A café & crème brûlée at 12:30, isn't it?!",
  '東京の夜景 &quot;neon&quot; 🌃',
];

const added = (content: string) => ({ content, lstrip: false, normalized: true, rstrip: false, single_word: false });

// The special-token files as the Stable Diffusion 2.1 and 1.5 repositories ship them.
const SD2_SPECIAL_TOKENS_MAP = {
  bos_token: added('<|startoftext|>'),
  eos_token: added('<|endoftext|>'),
  pad_token: '!',
  unk_token: added('<|endoftext|>'),
};
const SD2_TOKENIZER_CONFIG = {
  add_prefix_space: false,
  bos_token: { __type: 'AddedToken', ...added('<|startoftext|>') },
  do_lower_case: true,
  eos_token: { __type: 'AddedToken', ...added('<|endoftext|>') },
  errors: 'replace',
  model_max_length: 77,
  pad_token: '<|endoftext|>',
  tokenizer_class: 'CLIPTokenizer',
  unk_token: { __type: 'AddedToken', ...added('<|endoftext|>') },
};
const SD1_SPECIAL_TOKENS_MAP = { ...SD2_SPECIAL_TOKENS_MAP, pad_token: '<|endoftext|>' };

let vocab: Record<string, number>;
let vocabJson: string;
let mergesTxt: string;
let reference: ClipTokenizer;
const folders: string[] = [];

beforeAll(() => {
  const lines = clipMergesFileLines();
  vocab = clipVocabFromMerges(lines);
  vocabJson = JSON.stringify(vocab);
  mergesTxt = ['#version: 0.2', ...lines.slice(1, CLIP_MERGE_COUNT + 1)].join('\n') + '\n';
  reference = ClipTokenizer.fromVocabAndMerges(vocab, lines.slice(1, CLIP_MERGE_COUNT + 1), {
    padId: 0,
    bosId: BOS,
    eosId: EOS,
  });
});

afterAll(async () => {
  await Promise.all(folders.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function folder(files: Record<string, string | object>): Promise<string> {
  const dir = await writeTempFolder(
    Object.fromEntries(Object.entries(files).map(([name, v]) => [name, typeof v === 'string' ? v : JSON.stringify(v)])),
  );
  folders.push(dir);
  return dir;
}

const sd2Files = () => ({
  'vocab.json': vocabJson,
  'merges.txt': mergesTxt,
  'special_tokens_map.json': SD2_SPECIAL_TOKENS_MAP,
  'tokenizer_config.json': SD2_TOKENIZER_CONFIG,
});

/** Loading `dir` fails with a TokenizerError whose message contains every fragment. */
async function expectLoadError(dir: string, ...fragments: string[]): Promise<void> {
  const error = await ClipTokenizer.fromFolder(dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TokenizerError);
  for (const fragment of fragments) expect((error as Error).message).toContain(fragment);
}

describe('ClipTokenizer.fromFolder with vocab.json + merges.txt', () => {
  it('SD 2: pads with "!" (id 0) from special_tokens_map.json, not tokenizer_config.json', async () => {
    const tok = await ClipTokenizer.fromFolder(await folder(sd2Files()));
    expect(tok).toMatchObject({ padId: 0, bosId: BOS, eosId: EOS, maxLength: 77, vocabSize: 49408 });
    const { ids } = tok.encode(PROMPTS[0]!);
    expect(Array.from(ids)).toEqual([...ASTRONAUT_ON_MARS, ...new Array(65).fill(0)]);
  });

  it('SD 1.x: pads with <|endoftext|> (49407)', async () => {
    const tok = await ClipTokenizer.fromFolder(
      await folder({ ...sd2Files(), 'special_tokens_map.json': SD1_SPECIAL_TOKENS_MAP }),
    );
    expect(tok.padId).toBe(EOS);
    expect(Array.from(tok.encode(PROMPTS[0]!).ids)).toEqual([...ASTRONAUT_ON_MARS, ...new Array(65).fill(EOS)]);
  });

  it('falls back to tokenizer_config.json pad_token, then to EOS', async () => {
    const { pad_token: _omitted, ...mapWithoutPad } = SD2_SPECIAL_TOKENS_MAP;
    const fromConfig = await ClipTokenizer.fromFolder(
      await folder({
        ...sd2Files(),
        'special_tokens_map.json': mapWithoutPad,
        'tokenizer_config.json': { ...SD2_TOKENIZER_CONFIG, pad_token: added('!') },
      }),
    );
    expect(fromConfig.padId).toBe(0);
    const fromEos = await ClipTokenizer.fromFolder(await folder({ 'vocab.json': vocabJson, 'merges.txt': mergesTxt }));
    expect(fromEos).toMatchObject({ padId: EOS, bosId: BOS, eosId: EOS, maxLength: 77 });
  });

  it('reads model_max_length, treating transformers\' 1e30 "no limit" as 77', async () => {
    const shorter = await ClipTokenizer.fromFolder(
      await folder({ ...sd2Files(), 'tokenizer_config.json': { ...SD2_TOKENIZER_CONFIG, model_max_length: 16 } }),
    );
    expect(shorter.maxLength).toBe(16);
    const unlimited = await ClipTokenizer.fromFolder(
      await folder({ ...sd2Files(), 'tokenizer_config.json': { ...SD2_TOKENIZER_CONFIG, model_max_length: 1e30 } }),
    );
    expect(unlimited.maxLength).toBe(77);
  });

  it('accepts CRLF line endings in merges.txt', async () => {
    const tok = await ClipTokenizer.fromFolder(
      await folder({ ...sd2Files(), 'merges.txt': mergesTxt.replaceAll('\n', '\r\n') }),
    );
    expect(tok.tokenize(PROMPTS[0]!)).toEqual(ASTRONAUT_ON_MARS);
  });
});

describe('ClipTokenizer.fromFolder with tokenizer.json', () => {
  const merges = () => clipMergesFileLines().slice(1, CLIP_MERGE_COUNT + 1);
  // As Hugging Face writes it: special tokens live in added_tokens (here only there).
  const tokenizerJson = (mergeList: unknown[]) => {
    const { '<|startoftext|>': _bos, '<|endoftext|>': _eos, ...modelVocab } = vocab;
    return {
      version: '1.0',
      added_tokens: [
        { id: BOS, content: '<|startoftext|>', special: true },
        { id: EOS, content: '<|endoftext|>', special: true },
      ],
      padding: null,
      model: { type: 'BPE', vocab: modelVocab, merges: mergeList, end_of_word_suffix: '</w>' },
    };
  };

  it('gives the same ids as vocab.json + merges.txt with "a b" merges', async () => {
    const tok = await ClipTokenizer.fromFolder(
      await folder({ 'tokenizer.json': tokenizerJson(merges()), 'special_tokens_map.json': SD2_SPECIAL_TOKENS_MAP }),
    );
    expect(tok).toMatchObject({ padId: 0, bosId: BOS, eosId: EOS, vocabSize: 49408 });
    for (const prompt of PROMPTS) expect(Array.from(tok.encode(prompt).ids)).toEqual(Array.from(reference.encode(prompt).ids));
  });

  it('gives the same ids with [left, right] merges, padding with EOS without special files', async () => {
    const pairs = merges().map((line) => line.split(' '));
    const tok = await ClipTokenizer.fromFolder(await folder({ 'tokenizer.json': tokenizerJson(pairs) }));
    expect(tok.padId).toBe(EOS);
    for (const prompt of PROMPTS) expect(tok.tokenize(prompt)).toEqual(reference.tokenize(prompt));
  });

  it('prefers vocab.json + merges.txt when both forms are present', async () => {
    const tok = await ClipTokenizer.fromFolder(
      await folder({ ...sd2Files(), 'tokenizer.json': { model: { type: 'BPE', vocab: { x: 0 }, merges: ['x x'] } } }),
    );
    expect(tok.tokenize(PROMPTS[0]!)).toEqual(ASTRONAUT_ON_MARS);
  });
});

describe('ClipTokenizer.fromFolder errors name the file', () => {
  const tinyVocab = { a: 0, 'a</w>': 1, '<|startoftext|>': 2, '<|endoftext|>': 3 };

  it('missing folder', async () => {
    const dir = path.join(await folder({}), 'tokenizer');
    await expectLoadError(dir, `Tokenizer folder not found: ${dir}`, 'vocab.json', 'merges.txt');
  });

  it('a file where the folder should be', async () => {
    const file = path.join(await folder({ 'vocab.json': '{}' }), 'vocab.json');
    await expectLoadError(file, file, 'not a folder');
  });

  it('empty folder: names both expected files', async () => {
    const dir = await folder({});
    await expectLoadError(dir, path.join(dir, 'vocab.json'), path.join(dir, 'merges.txt'), 'tokenizer.json');
  });

  it('vocab.json without merges.txt', async () => {
    const dir = await folder({ 'vocab.json': tinyVocab });
    const error = await ClipTokenizer.fromFolder(dir).catch((e: TokenizerError) => e);
    expect((error as TokenizerError).message).toContain(`Missing ${path.join(dir, 'merges.txt')}`);
    expect((error as TokenizerError).message).not.toContain(path.join(dir, 'vocab.json'));
    expect((error as TokenizerError).file).toBe(path.join(dir, 'merges.txt'));
  });

  it('malformed vocab.json', async () => {
    const dir = await folder({ 'vocab.json': '{"a": 0,', 'merges.txt': '#version: 0.2\na a\n' });
    await expectLoadError(dir, `${path.join(dir, 'vocab.json')} is not valid JSON`);
  });

  it('vocab.json that is not a token → id object', async () => {
    const dir = await folder({ 'vocab.json': { a: 'zero' }, 'merges.txt': '#version: 0.2\na a\n' });
    await expectLoadError(dir, path.join(dir, 'vocab.json'), 'token "a" has id "zero"');
  });

  it('malformed special_tokens_map.json and tokenizer_config.json', async () => {
    const base = { 'vocab.json': tinyVocab, 'merges.txt': '#version: 0.2\na a\n' };
    const dir1 = await folder({ ...base, 'special_tokens_map.json': '{pad_token: "!"}' });
    await expectLoadError(dir1, `${path.join(dir1, 'special_tokens_map.json')} is not valid JSON`);
    const dir2 = await folder({ ...base, 'tokenizer_config.json': '' });
    await expectLoadError(dir2, `${path.join(dir2, 'tokenizer_config.json')} is not valid JSON`);
  });

  it('merges.txt with a bad line: names the line number', async () => {
    const dir = await folder({ 'vocab.json': tinyVocab, 'merges.txt': '#version: 0.2\na a\na a</w>\naa\n' });
    await expectLoadError(dir, `${path.join(dir, 'merges.txt')} line 4`, '"aa"');
  });

  it('vocabulary without BOS or EOS', async () => {
    const { '<|startoftext|>': _bos, ...noBos } = tinyVocab;
    const dir1 = await folder({ 'vocab.json': noBos, 'merges.txt': '#version: 0.2\na a\n' });
    await expectLoadError(dir1, 'BOS token "<|startoftext|>"', path.join(dir1, 'vocab.json'));
    const { '<|endoftext|>': _eos, ...noEos } = tinyVocab;
    const dir2 = await folder({ 'vocab.json': noEos, 'merges.txt': '#version: 0.2\na a\n' });
    await expectLoadError(dir2, 'EOS token "<|endoftext|>"', path.join(dir2, 'vocab.json'));
  });

  it('pad_token missing from the vocabulary, or of the wrong type', async () => {
    const base = { 'vocab.json': tinyVocab, 'merges.txt': '#version: 0.2\na a\n' };
    const dir1 = await folder({ ...base, 'special_tokens_map.json': { pad_token: '<pad>' } });
    const mapFile1 = path.join(dir1, 'special_tokens_map.json');
    await expectLoadError(dir1, 'padding token "<pad>"', `pad_token in ${mapFile1}`, path.join(dir1, 'vocab.json'));
    const dir2 = await folder({ ...base, 'special_tokens_map.json': { pad_token: 0 } });
    await expectLoadError(dir2, `${path.join(dir2, 'special_tokens_map.json')}: pad_token is 0`);
  });

  it('bad model_max_length', async () => {
    const dir = await folder({ ...sd2Files(), 'tokenizer_config.json': { model_max_length: 'long' } });
    await expectLoadError(dir, `${path.join(dir, 'tokenizer_config.json')}: model_max_length is "long"`);
  });

  it('tokenizer.json: malformed JSON, non-BPE model, bad merge entry', async () => {
    const dir1 = await folder({ 'tokenizer.json': '{"model": ' });
    await expectLoadError(dir1, `${path.join(dir1, 'tokenizer.json')} is not valid JSON`);
    const dir2 = await folder({ 'tokenizer.json': { model: { type: 'WordPiece', vocab: tinyVocab } } });
    await expectLoadError(dir2, path.join(dir2, 'tokenizer.json'), '"WordPiece"');
    const dir3 = await folder({ 'tokenizer.json': { model: { type: 'BPE', vocab: tinyVocab, merges: ['a a', ['a']] } } });
    await expectLoadError(dir3, `${path.join(dir3, 'tokenizer.json')} model.merges[1]`);
  });
});
