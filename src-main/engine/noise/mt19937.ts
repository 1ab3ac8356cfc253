/**
 * The 32-bit Mersenne Twister exactly as PyTorch's CPU generator runs it
 * (aten/src/ATen/core/MT19937RNGEngine.h, `at::mt19937_engine`): the reference
 * mt19937ar algorithm, seeded with `init_genrand` from the low 32 bits of the 64-bit seed.
 */

const STATE_SIZE = 624;
const SHIFT = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
const UINT64_MAX = (1n << 64n) - 1n;

/**
 * Checks a user seed and returns it as a bigint in 0 … 2^64-1 (the range torch's
 * `manual_seed` keeps). Numbers must be non-negative safe integers; larger seeds need a bigint
 * so that no digit is silently lost to float rounding.
 */
export function normalizeSeed(seed: number | bigint, what = 'seed'): bigint {
  if (typeof seed === 'bigint') {
    if (seed < 0n || seed > UINT64_MAX) {
      throw new RangeError(`${what} ${seed} is out of range: use an integer from 0 to 2^64-1 (18446744073709551615).`);
    }
    return seed;
  }
  if (typeof seed !== 'number' || !Number.isInteger(seed)) {
    throw new TypeError(`${what} must be a non-negative integer (got ${String(seed)}).`);
  }
  if (seed < 0) {
    throw new RangeError(`${what} must not be negative (got ${seed}): use an integer from 0 to 2^64-1.`);
  }
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`${what} ${seed} is above 2^53-1 and cannot be represented exactly as a number: pass it as a bigint.`);
  }
  return BigInt(seed);
}

export class Mt19937 {
  private readonly state = new Uint32Array(STATE_SIZE);
  /** Next state word to temper; STATE_SIZE means "regenerate before the next draw" (torch's left_ = 1). */
  private next = STATE_SIZE;

  constructor(seed: number | bigint) {
    // MT19937RNGEngine.h init_with_uint32: state_[0] = seed & 0xffffffff.
    const low32 = Number(normalizeSeed(seed) & 0xffffffffn);
    const s = this.state;
    s[0] = low32;
    for (let j = 1; j < STATE_SIZE; j++) {
      const prev = s[j - 1];
      s[j] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + j) >>> 0;
    }
  }

  /** One 32-bit output (torch's `CPUGeneratorImpl::random()`), as an unsigned integer. */
  nextU32(): number {
    if (this.next >= STATE_SIZE) this.regenerate();
    let y = this.state[this.next++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** MT19937RNGEngine.h next_state(): the twist over the whole state vector. */
  private regenerate(): void {
    const s = this.state;
    for (let k = 0; k < STATE_SIZE; k++) {
      const mixed = (s[k] & UPPER_MASK) | (s[(k + 1) % STATE_SIZE] & LOWER_MASK);
      s[k] = s[(k + SHIFT) % STATE_SIZE] ^ (mixed >>> 1) ^ (s[(k + 1) % STATE_SIZE] & 1 ? MATRIX_A : 0);
    }
    this.next = 0;
  }
}
