import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { MergePair } from './bpe';
import type { ClipTokenizerOptions } from './options';
import { CLIP_BOS_TOKEN, CLIP_EOS_TOKEN } from './clip-vocab';
import { TokenizerError } from './errors';
import { parseMergesText, splitMergeLine } from './merges';
import { vocabularyMap } from './vocabulary';

/**
 * Reads a Hugging Face tokenizer folder (a diffusers model's tokenizer/) into what ClipTokenizer
 * needs. SD 2 repositories ship vocab.json + merges.txt; some exports only tokenizer.json.
 */

export interface TokenizerFolderDefinition {
  vocab: Record<string, number>;
  merges: MergePair[];
  options: Required<ClipTokenizerOptions>;
}

const EXPECTED_CONTENTS = 'a model\'s tokenizer/ folder holding vocab.json and merges.txt (or tokenizer.json)';
const DEFAULT_MAX_LENGTH = 77;
// transformers writes model_max_length = 1e30 when a tokenizer has no limit of its own.
const NO_LIMIT_SENTINEL = 1e6;

type JsonObject = Record<string, unknown>;

export async function readTokenizerFolder(tokenizerDir: string): Promise<TokenizerFolderDefinition> {
  const dir = path.resolve(tokenizerDir);
  const dirKind = await pathKind(dir);
  if (dirKind === 'missing') {
    throw new TokenizerError(`Tokenizer folder not found: ${dir}. Expected ${EXPECTED_CONTENTS}.`, dir);
  }
  if (dirKind !== 'dir') {
    throw new TokenizerError(`${dir} is a file, not a folder. Expected ${EXPECTED_CONTENTS}.`, dir);
  }

  const files = {
    vocab: path.join(dir, 'vocab.json'),
    merges: path.join(dir, 'merges.txt'),
    tokenizerJson: path.join(dir, 'tokenizer.json'),
    specialTokens: path.join(dir, 'special_tokens_map.json'),
    config: path.join(dir, 'tokenizer_config.json'),
  };
  const hasVocab = (await pathKind(files.vocab)) === 'file';
  const hasMerges = (await pathKind(files.merges)) === 'file';
  const hasTokenizerJson = (await pathKind(files.tokenizerJson)) === 'file';

  let model: { vocab: Record<string, number>; merges: MergePair[]; vocabFile: string; padding?: unknown };
  if (hasVocab && hasMerges) {
    const vocabJson = await readJson(files.vocab);
    vocabularyMap(vocabJson, files.vocab);
    model = {
      vocab: vocabJson as Record<string, number>,
      merges: parseMergesText(await readText(files.merges), files.merges),
      vocabFile: files.vocab,
    };
  } else if (hasTokenizerJson) {
    model = { ...parseTokenizerJson(await readJson(files.tokenizerJson), files.tokenizerJson), vocabFile: files.tokenizerJson };
  } else {
    const missing = [hasVocab ? undefined : files.vocab, hasMerges ? undefined : files.merges].filter(
      (file): file is string => file !== undefined,
    );
    throw new TokenizerError(
      `Missing ${missing.join(' and ')} (and no tokenizer.json in ${dir}). The CLIP tokenizer needs ` +
        'vocab.json (token → id) and merges.txt (BPE merges, one "a b" pair per line) from the ' +
        "model's tokenizer/ folder, or a Hugging Face tokenizer.json.",
      missing[0],
    );
  }

  const specialTokens = await readOptionalJsonObject(files.specialTokens);
  const config = await readOptionalJsonObject(files.config);
  const padding = isObject(model.padding) ? { file: files.tokenizerJson, json: { pad_token: model.padding['pad_token'] } } : undefined;

  // Each special token: special_tokens_map.json first, then tokenizer_config.json, then a default.
  // SD 2's files disagree on pad_token ("!" vs <|endoftext|>); diffusers ends up with "!" (id 0).
  const sources = [
    { file: files.specialTokens, json: specialTokens },
    { file: files.config, json: config },
  ];
  const lookup = (key: string, fallback: string, extra: { file: string; json: JsonObject }[] = []) => {
    for (const source of [...sources, ...extra]) {
      if (!source.json) continue;
      const token = tokenContent(source.json[key], key, source.file);
      if (token !== undefined) return { token, origin: `${key} in ${source.file}` };
    }
    return { token: fallback, origin: `default ${key}` };
  };
  const bos = lookup('bos_token', CLIP_BOS_TOKEN);
  const eos = lookup('eos_token', CLIP_EOS_TOKEN);
  const unk = lookup('unk_token', eos.token);
  const pad = lookup('pad_token', eos.token, padding ? [padding] : []);

  const idOf = (role: string, entry: { token: string; origin: string }): number => {
    const id = model.vocab[entry.token];
    if (id === undefined) {
      throw new TokenizerError(
        `The ${role} token ${JSON.stringify(entry.token)} (${entry.origin}) is not in ${model.vocabFile}. ` +
          'A CLIP vocabulary must contain <|startoftext|> and <|endoftext|>; check that the tokenizer ' +
          'files belong to the same model.',
        model.vocabFile,
      );
    }
    return id;
  };

  return {
    vocab: model.vocab,
    merges: model.merges,
    options: {
      bosId: idOf('BOS', bos),
      eosId: idOf('EOS', eos),
      unkId: idOf('unknown', unk),
      padId: idOf('padding', pad),
      maxLength: config ? maxLengthFromConfig(config, files.config) : DEFAULT_MAX_LENGTH,
    },
  };
}

/** tokenizer.json (Hugging Face tokenizers): model.vocab, model.merges, added_tokens, padding. */
function parseTokenizerJson(root: unknown, file: string) {
  if (!isObject(root) || !isObject(root['model'])) {
    throw new TokenizerError(`${file} has no "model" object; expected a Hugging Face tokenizer.json with a BPE model.`, file);
  }
  const model = root['model'];
  if (model['type'] !== undefined && model['type'] !== 'BPE') {
    throw new TokenizerError(
      `${file} describes a ${JSON.stringify(model['type'])} model; the CLIP tokenizer needs "BPE".`,
      file,
    );
  }
  const vocab: Record<string, number> = Object.fromEntries(vocabularyMap(model['vocab'], `${file} model.vocab`));

  const rawMerges = model['merges'];
  if (!Array.isArray(rawMerges) || rawMerges.length === 0) {
    throw new TokenizerError(`${file} model.merges must be a non-empty array of BPE merges.`, file);
  }
  const merges = rawMerges.map((merge: unknown, index): MergePair => {
    const pair =
      typeof merge === 'string'
        ? splitMergeLine(merge)
        : Array.isArray(merge) && merge.length === 2 && merge.every((part) => typeof part === 'string' && part !== '')
          ? ([merge[0], merge[1]] as MergePair)
          : undefined;
    if (!pair) {
      throw new TokenizerError(
        `${file} model.merges[${index}] is ${JSON.stringify(merge)}; expected "left right" or ["left", "right"].`,
        file,
      );
    }
    return pair;
  });

  const addedTokens = root['added_tokens'] ?? [];
  if (!Array.isArray(addedTokens)) throw new TokenizerError(`${file} added_tokens must be an array.`, file);
  addedTokens.forEach((added: unknown, index) => {
    if (!isObject(added) || typeof added['content'] !== 'string' || !Number.isInteger(added['id']) || (added['id'] as number) < 0) {
      throw new TokenizerError(`${file} added_tokens[${index}] needs a string "content" and a non-negative integer "id".`, file);
    }
    if (!(added['content'] in vocab)) vocab[added['content']] = added['id'] as number;
  });

  return { vocab, merges, padding: root['padding'] };
}

/** A special token given as a string or as an AddedToken object {content: "…"}; null = not set. */
function tokenContent(value: unknown, key: string, file: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (isObject(value) && typeof value['content'] === 'string') return value['content'];
  throw new TokenizerError(
    `${file}: ${key} is ${JSON.stringify(value)}; expected a string or an object with a string "content".`,
    file,
  );
}

function maxLengthFromConfig(config: JsonObject, file: string): number {
  const value = config['model_max_length'];
  if (value === undefined || value === null) return DEFAULT_MAX_LENGTH;
  if (typeof value === 'number' && value >= NO_LIMIT_SENTINEL) return DEFAULT_MAX_LENGTH;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 2) {
    throw new TokenizerError(
      `${file}: model_max_length is ${JSON.stringify(value)}; expected an integer of at least 2 (77 for CLIP).`,
      file,
    );
  }
  return value;
}

async function pathKind(file: string): Promise<'missing' | 'file' | 'dir' | 'other'> {
  try {
    const info = await stat(file);
    return info.isDirectory() ? 'dir' : info.isFile() ? 'file' : 'other';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw new TokenizerError(`Cannot access ${file}: ${(error as Error).message}`, file);
  }
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new TokenizerError(`Cannot read ${file}: ${(error as Error).message}`, file);
  }
}

async function readJson(file: string): Promise<unknown> {
  const text = await readText(file);
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new TokenizerError(`${file} is not valid JSON: ${(error as Error).message}`, file);
  }
}

async function readOptionalJsonObject(file: string): Promise<JsonObject | undefined> {
  if ((await pathKind(file)) !== 'file') return undefined;
  const json = await readJson(file);
  if (!isObject(json)) throw new TokenizerError(`${file} must hold a JSON object.`, file);
  return json;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
