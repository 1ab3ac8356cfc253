import { Mt19937, normalizeSeed } from './mt19937';

/**
 * PyTorch's CPU generator (`torch.Generator("cpu").manual_seed(seed)`) and the two float32
 * samplers the studio needs, reproducing torch's values so that a seed means the same image
 * here as in the Python tools. Each part names the PyTorch function it mirrors.
 */

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;
const LOW_21_BITS = 0x1fffff;
const LOW_24_BITS = 0xffffff;
const TWO_PI = 2 * Math.PI;
/** normal_kernel switches from the scalar path to normal_fill at this many elements. */
const FILL_BLOCK = 16;
const HALF_BLOCK = FILL_BLOCK / 2;

export class TorchCpuGenerator {
  private readonly engine: Mt19937;
  /** CPUGeneratorImpl::next_double_normal_sample_: Box–Muller's second value, kept for the next scalar draw. */
  private cachedNormal: number | undefined;

  /** Same as `torch.Generator("cpu").manual_seed(seed)`. */
  constructor(seed: number | bigint) {
    this.engine = new Mt19937(normalizeSeed(seed));
  }

  /**
   * `torch.randn(dims, generator=g)` in float32. Successive calls continue the stream
   * (including the cached second Box–Muller value of the scalar path), as torch does.
   */
  randn(dims: readonly number[]): Float32Array {
    const out = new Float32Array(elementCount(dims, 'randn'));
    // DistributionTemplates.h normal_kernel: float tensors of 16+ contiguous elements take
    // normal_fill; smaller ones draw each element with at::normal_distribution<double>.
    if (out.length >= FILL_BLOCK) this.normalFill(out);
    else for (let i = 0; i < out.length; i++) out[i] = this.normalDouble();
    return out;
  }

  /** `torch.rand(dims, generator=g)` in float32: uniform on [0, 1) with 24 random bits each. */
  rand(dims: readonly number[]): Float32Array {
    const out = new Float32Array(elementCount(dims, 'rand'));
    for (let i = 0; i < out.length; i++) out[i] = this.uniformFloat();
    return out;
  }

  /**
   * at::uniform_real_distribution<float>(0, 1) → transformation::uniform_real: the low 24 bits
   * of one 32-bit draw times 2^-24 (exact in float32).
   */
  private uniformFloat(): number {
    return (this.engine.nextU32() & LOW_24_BITS) / 16777216;
  }

  /**
   * at::uniform_real_distribution<double>(0, 1): the low 53 bits of random64() times 2^-53.
   * CPUGeneratorImpl::random64() puts the first 32-bit draw in the high half, so its low
   * 21 bits are the top of the mantissa.
   */
  private uniformDouble(): number {
    const hi = this.engine.nextU32();
    const lo = this.engine.nextU32();
    return ((hi & LOW_21_BITS) * TWO_POW_32 + lo) / TWO_POW_53;
  }

  /**
   * DistributionsHelper.h at::normal_distribution<double>: Box–Muller on two 53-bit uniforms,
   * radius from log1p(-u2), angle 2π·u1; returns r·cos θ and caches r·sin θ for the next call.
   */
  private normalDouble(): number {
    if (this.cachedNormal !== undefined) {
      const cached = this.cachedNormal;
      this.cachedNormal = undefined;
      return cached;
    }
    const u1 = this.uniformDouble();
    const u2 = this.uniformDouble();
    const radius = Math.sqrt(-2 * Math.log1p(-u2));
    const theta = TWO_PI * u1;
    this.cachedNormal = radius * Math.sin(theta);
    return radius * Math.cos(theta);
  }

  /**
   * DistributionTemplates.h normal_fill: fill everything with uniform floats, transform each
   * whole block of 16; when the size is not a multiple of 16, draw 16 fresh uniforms into the
   * last 16 slots (overwriting part of the last transformed block) and transform those again.
   */
  private normalFill(data: Float32Array): void {
    const size = data.length;
    for (let i = 0; i < size; i++) data[i] = this.uniformFloat();
    for (let i = 0; i + FILL_BLOCK <= size; i += FILL_BLOCK) boxMuller16(data, i);
    if (size % FILL_BLOCK !== 0) {
      const tail = size - FILL_BLOCK;
      for (let i = 0; i < FILL_BLOCK; i++) data[tail + i] = this.uniformFloat();
      boxMuller16(data, tail);
    }
  }
}

/** `torch.randn(dims, generator=torch.Generator("cpu").manual_seed(seed))` as float32. */
export function torchRandn(dims: readonly number[], seed: number | bigint): Float32Array {
  return new TorchCpuGenerator(seed).randn(dims);
}

/**
 * DistributionTemplates.h normal_fill_16 in float32: pairs element j with j + 8, u1 = 1 - data[j]
 * (so log never sees 0), θ = 2π·u2 computed in double and stored as float. Builds with AVX2
 * run normal_fill_16_AVX2 instead, whose vector log/sincos differ only in float rounding.
 */
function boxMuller16(data: Float32Array, offset: number): void {
  const f = Math.fround;
  for (let j = offset; j < offset + HALF_BLOCK; j++) {
    const u1 = f(1 - data[j]);
    const u2 = data[j + HALF_BLOCK];
    const radius = f(Math.sqrt(f(-2 * f(Math.log(u1)))));
    const theta = f(TWO_PI * u2);
    data[j] = radius * f(Math.cos(theta));
    data[j + HALF_BLOCK] = radius * f(Math.sin(theta));
  }
}

function elementCount(dims: readonly number[], op: string): number {
  if (!Array.isArray(dims)) throw new TypeError(`${op}: dims must be an array of sizes, e.g. [1, 4, 64, 64].`);
  let count = 1;
  for (let i = 0; i < dims.length; i++) {
    const d = dims[i];
    if (!Number.isSafeInteger(d) || d < 0) {
      throw new RangeError(`${op}: dimension ${i} is ${String(d)}; every size must be a non-negative integer.`);
    }
    count *= d;
  }
  if (!Number.isSafeInteger(count) || count > 2 ** 31 - 1) {
    throw new RangeError(`${op}: [${dims.join(', ')}] has ${count} elements, more than one Float32Array can hold.`);
  }
  return count;
}
