import { TokenizerError } from './errors';

/**
 * Checks a token → id object and returns it as a Map. `source` (a file path, maybe with a key)
 * prefixes errors so the user knows which file to fix.
 */
export function vocabularyMap(vocab: unknown, source = 'The vocabulary'): Map<string, number> {
  if (typeof vocab !== 'object' || vocab === null || Array.isArray(vocab)) {
    throw new TokenizerError(`${source} must be a JSON object mapping each token to its id.`);
  }
  const map = new Map<string, number>();
  for (const [token, id] of Object.entries(vocab)) {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) {
      throw new TokenizerError(
        `${source}: token ${JSON.stringify(token)} has id ${JSON.stringify(id)}; ids must be non-negative integers.`,
      );
    }
    map.set(token, id);
  }
  if (map.size === 0) throw new TokenizerError(`${source} is empty.`);
  return map;
}

export function largestId(vocab: ReadonlyMap<string, number>): number {
  let max = -1;
  for (const id of vocab.values()) if (id > max) max = id;
  return max;
}
