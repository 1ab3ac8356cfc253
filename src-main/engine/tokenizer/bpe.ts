/** CLIP marks the last symbol of every pre-token with this suffix. */
export const END_OF_WORD = '</w>';

export type MergePair = readonly [string, string];

// Tokens never contain a space (the byte-level alphabet maps 0x20 to 'Ġ'), so "a b" is a safe key.
const pairKey = (left: string, right: string): string => `${left} ${right}`;

// Prompts come from people, so the set of distinct words stays small; the bound only guards
// against a long-running process fed generated text.
const MAX_CACHED_WORDS = 100_000;

/**
 * Byte-pair encoding with CLIP's word-end convention: a pre-token (already in the byte-level
 * alphabet) starts as single characters, the last one suffixed with </w>, and the adjacent pair
 * with the lowest merge rank is merged everywhere, left to right, until no ranked pair is left.
 */
export class BytePairEncoder {
  private readonly ranks = new Map<string, number>();
  private readonly cache = new Map<string, readonly string[]>();

  constructor(merges: readonly MergePair[]) {
    // A repeated merge takes its last rank, as in CLIP's dict(zip(merges, range(n))).
    merges.forEach(([left, right], rank) => this.ranks.set(pairKey(left, right), rank));
  }

  get mergeCount(): number {
    return this.ranks.size;
  }

  /** The symbols one pre-token becomes; results are cached per pre-token. */
  encodeWord(byteLevelWord: string): readonly string[] {
    const cached = this.cache.get(byteLevelWord);
    if (cached) return cached;
    const symbols = this.merge(byteLevelWord);
    if (this.cache.size >= MAX_CACHED_WORDS) this.cache.clear();
    this.cache.set(byteLevelWord, symbols);
    return symbols;
  }

  private merge(word: string): string[] {
    const chars = Array.from(word);
    if (chars.length === 0) return [];
    let symbols = [...chars.slice(0, -1), chars[chars.length - 1] + END_OF_WORD];
    while (symbols.length > 1) {
      let bestRank = Infinity;
      let bestLeft = '';
      let bestRight = '';
      for (let i = 0; i < symbols.length - 1; i++) {
        const rank = this.ranks.get(pairKey(symbols[i]!, symbols[i + 1]!));
        if (rank !== undefined && rank < bestRank) {
          bestRank = rank;
          bestLeft = symbols[i]!;
          bestRight = symbols[i + 1]!;
        }
      }
      if (bestRank === Infinity) break;
      const merged: string[] = [];
      for (let i = 0; i < symbols.length; i++) {
        if (i < symbols.length - 1 && symbols[i] === bestLeft && symbols[i + 1] === bestRight) {
          merged.push(bestLeft + bestRight);
          i++;
        } else {
          merged.push(symbols[i]!);
        }
      }
      symbols = merged;
    }
    return symbols;
  }
}
