import { MAX_SEED } from '../../../src-main/contract/contract';

/** A uniformly random seed in 0…2³²−1 (what the project schema accepts). */
export function randomSeed(random: () => number = cryptoRandom): number {
  return Math.floor(random() * (MAX_SEED + 1));
}

function cryptoRandom(): number {
  const buf = new Uint32Array(1);
  globalThis.crypto.getRandomValues(buf);
  return buf[0] / 2 ** 32;
}

/** Parse what the user typed in the Seed field; null when it is not a valid seed. */
export function parseSeed(text: string): number | null {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return null;
  const n = Number(t);
  return n <= MAX_SEED ? n : null;
}
