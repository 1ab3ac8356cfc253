import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEMO_WORDS } from './words';

/**
 * A small vocabulary in the CLIP tokenizer format: the 512 byte-level symbols (plain and with
 * the `</w>` word end), merges learnt here by byte-pair encoding over DEMO_WORDS, then
 * <|startoftext|> and <|endoftext|>. Id 0 is "!", which SD 2 uses as the pad token.
 */
export interface ClipVocabulary {
  /** Merges in rank order, each "left right". */
  readonly merges: readonly string[];
  /** token → id */
  readonly vocab: Readonly<Record<string, number>>;
  readonly tokens: readonly string[];
  readonly bosId: number;
  readonly eosId: number;
  readonly padId: number;
}

export const BOS_TOKEN = '<|startoftext|>';
export const EOS_TOKEN = '<|endoftext|>';
export const PAD_TOKEN = '!';
export const WORD_END = '</w>';

/** CLIP's byte order: printable Latin-1 bytes map to themselves and come first; the rest map to U+0100… */
function byteToUnicode(): { order: number[]; chars: string[] } {
  const order: number[] = [];
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  for (let b = 0; b < 256; b++) if (printable(b)) order.push(b);
  const chars = new Array<string>(256);
  let shifted = 0;
  for (let b = 0; b < 256; b++) chars[b] = printable(b) ? String.fromCharCode(b) : String.fromCharCode(256 + shifted++);
  for (let b = 0; b < 256; b++) if (!printable(b)) order.push(b);
  return { order, chars };
}

const BYTES = byteToUnicode();

/** A pre-token's UTF-8 bytes as byte-level characters. */
export function byteLevel(text: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(text)) out += BYTES.chars[b];
  return out;
}

/** Greedy BPE training: repeatedly merge the most frequent adjacent pair until every word is one symbol. */
export function learnMerges(words: readonly string[]): string[] {
  const symbolized = words.map((w) => {
    const chars = [...byteLevel(w)];
    chars[chars.length - 1] += WORD_END;
    return chars;
  });
  const merges: string[] = [];
  for (;;) {
    const counts = new Map<string, number>();
    for (const symbols of symbolized) {
      for (let i = 0; i + 1 < symbols.length; i++) {
        const pair = `${symbols[i]} ${symbols[i + 1]}`;
        counts.set(pair, (counts.get(pair) ?? 0) + 1);
      }
    }
    if (counts.size === 0) return merges;
    let best = '';
    let bestCount = 0;
    for (const [pair, count] of counts) {
      // Ties go to the lexicographically smallest pair so the result never depends on Map order quirks.
      if (count > bestCount || (count === bestCount && pair < best)) {
        best = pair;
        bestCount = count;
      }
    }
    merges.push(best);
    const [left, right] = best.split(' ');
    for (const symbols of symbolized) {
      for (let i = 0; i + 1 < symbols.length; i++) {
        if (symbols[i] === left && symbols[i + 1] === right) symbols.splice(i, 2, left + right);
      }
    }
  }
}

let cached: ClipVocabulary | undefined;

export function demoClipVocabulary(): ClipVocabulary {
  if (cached) return cached;
  const merges = learnMerges(DEMO_WORDS);
  const tokens: string[] = [];
  const vocab: Record<string, number> = {};
  const add = (token: string) => {
    if (vocab[token] !== undefined) return; // two merge paths can spell the same symbol
    vocab[token] = tokens.length;
    tokens.push(token);
  };
  const base = BYTES.order.map((b) => BYTES.chars[b]);
  base.forEach(add);
  base.forEach((c) => add(c + WORD_END));
  for (const m of merges) add(m.replace(' ', ''));
  add(BOS_TOKEN);
  add(EOS_TOKEN);
  cached = { merges, vocab, tokens, bosId: vocab[BOS_TOKEN], eosId: vocab[EOS_TOKEN], padId: vocab[PAD_TOKEN] };
  return cached;
}

function addedToken(content: string) {
  return { __type: 'AddedToken', content, lstrip: false, normalized: true, rstrip: false, single_word: false };
}

/** Writes tokenizer/ as SD 2 repositories ship it (pad "!" in special_tokens_map.json, as in SD 2). */
export async function writeClipTokenizerFiles(dir: string, vocabulary: ClipVocabulary = demoClipVocabulary()): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'vocab.json'), JSON.stringify(vocabulary.vocab));
  await writeFile(join(dir, 'merges.txt'), `#version: 0.2\n${vocabulary.merges.join('\n')}\n`);
  await writeFile(
    join(dir, 'special_tokens_map.json'),
    JSON.stringify(
      { bos_token: addedToken(BOS_TOKEN), eos_token: addedToken(EOS_TOKEN), pad_token: PAD_TOKEN, unk_token: addedToken(EOS_TOKEN) },
      null,
      2,
    ),
  );
  await writeFile(
    join(dir, 'tokenizer_config.json'),
    JSON.stringify(
      {
        add_prefix_space: false,
        bos_token: addedToken(BOS_TOKEN),
        do_lower_case: true,
        eos_token: addedToken(EOS_TOKEN),
        errors: 'replace',
        model_max_length: 77,
        pad_token: EOS_TOKEN,
        tokenizer_class: 'CLIPTokenizer',
        unk_token: addedToken(EOS_TOKEN),
      },
      null,
      2,
    ),
  );
}
