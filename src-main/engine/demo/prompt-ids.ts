import { byteLevel, demoClipVocabulary, WORD_END, type ClipVocabulary } from './clip-vocabulary';

/**
 * Prompt → the 77 input ids the demo text encoder reads (BOS, tokens, EOS, pad "!").
 * A compact CLIP BPE for the demo's own tests and check scripts; the app uses engine/tokenizer,
 * which reads the same files.
 */
export function demoPromptIds(prompt: string, vocabulary: ClipVocabulary = demoClipVocabulary(), length = 77): Int32Array {
  const ranks = mergeRanks(vocabulary);
  const text = prompt.replace(/\s+/g, ' ').trim().toLowerCase();
  const pieces = text.match(/<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+/gu) ?? [];
  const ids: number[] = [];
  for (const piece of pieces) {
    for (const symbol of bytePairEncode(byteLevel(piece), ranks)) {
      const id = vocabulary.vocab[symbol];
      if (id === undefined) throw new Error(`demoPromptIds: symbol "${symbol}" is missing from the vocabulary`);
      ids.push(id);
    }
  }
  const out = new Int32Array(length).fill(vocabulary.padId);
  const kept = ids.slice(0, length - 2);
  out[0] = vocabulary.bosId;
  out.set(kept, 1);
  out[kept.length + 1] = vocabulary.eosId;
  return out;
}

const rankCache = new WeakMap<ClipVocabulary, Map<string, number>>();
function mergeRanks(vocabulary: ClipVocabulary): Map<string, number> {
  let ranks = rankCache.get(vocabulary);
  if (!ranks) {
    ranks = new Map(vocabulary.merges.map((m, i) => [m, i]));
    rankCache.set(vocabulary, ranks);
  }
  return ranks;
}

/** CLIP's BPE on one pre-token: merge the lowest-ranked adjacent pair until none is known. */
export function bytePairEncode(word: string, ranks: ReadonlyMap<string, number>): string[] {
  const symbols = [...word];
  symbols[symbols.length - 1] += WORD_END;
  for (;;) {
    let best = -1;
    let bestRank = Infinity;
    for (let i = 0; i + 1 < symbols.length; i++) {
      const rank = ranks.get(`${symbols[i]} ${symbols[i + 1]}`);
      if (rank !== undefined && rank < bestRank) {
        bestRank = rank;
        best = i;
      }
    }
    if (best < 0) return symbols;
    const left = symbols[best];
    const right = symbols[best + 1];
    for (let i = 0; i + 1 < symbols.length; i++) {
      if (symbols[i] === left && symbols[i + 1] === right) symbols.splice(i, 2, left + right);
    }
  }
}
