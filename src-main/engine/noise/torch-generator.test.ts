import { describe, expect, it } from 'vitest';
import { Mt19937 } from './mt19937';
import { TorchCpuGenerator, torchRandn } from './torch-generator';

/**
 * Expected values are torch's printed outputs (4 decimals, hence the 1e-4 tolerance), taken
 * from public documentation and notebooks that ran `torch.manual_seed(seed)` then drew on the
 * CPU generator; the sources are named next to each vector.
 */
function expectClose(actual: Float32Array, expected: readonly number[], tol = 1e-4): void {
  expect(actual.length).toBe(expected.length);
  const worst = Math.max(...expected.map((e, i) => Math.abs(actual[i] - e)));
  expect(worst).toBeLessThanOrEqual(tol);
}

describe('Mt19937', () => {
  it('matches the reference mt19937 sequence (C++ std::mt19937 requirement)', () => {
    // [rand.predef]: the 10000th output of a default-constructed (seed 5489) mt19937 is 4123659995.
    const mt = new Mt19937(5489);
    expect(mt.nextU32()).toBe(3499211612);
    let last = 0;
    for (let i = 2; i <= 10000; i++) last = mt.nextU32();
    expect(last).toBe(4123659995);
  });

  it('uses only the low 32 bits of a 64-bit seed, as torch does', () => {
    const a = new Mt19937(0);
    const b = new Mt19937(2n ** 32n);
    const c = new Mt19937(7n * 2n ** 40n + 5n);
    const d = new Mt19937(5);
    for (let i = 0; i < 700; i++) {
      expect(b.nextU32()).toBe(a.nextU32());
      expect(c.nextU32()).toBe(d.nextU32());
    }
  });

  it('rejects seeds torch would not take or that lose digits', () => {
    expect(() => new Mt19937(-1)).toThrow(/must not be negative/);
    expect(() => new Mt19937(-1n)).toThrow(/out of range/);
    expect(() => new Mt19937(2n ** 64n)).toThrow(/out of range/);
    expect(() => new Mt19937(1.5)).toThrow(/non-negative integer/);
    expect(() => new Mt19937(Number.NaN)).toThrow(/non-negative integer/);
    expect(() => new Mt19937(2 ** 60)).toThrow(/bigint/);
    expect(() => new Mt19937('3' as unknown as number)).toThrow(/non-negative integer/);
    expect(() => new Mt19937(2n ** 64n - 1n)).not.toThrow();
  });
});

describe('TorchCpuGenerator scalar path (fewer than 16 elements)', () => {
  it('reproduces the public seed-0 vectors', () => {
    expectClose(torchRandn([4], 0), [1.541, -0.2934, -2.1788, 0.5684]);
    expectClose(torchRandn([2, 3], 0), [1.541, -0.2934, -2.1788, 0.5684, -1.0845, -1.3986]);
  });

  it('reproduces torch.manual_seed(42); torch.randn(2, 3) (sprintchase.com torch.randn tutorial)', () => {
    expectClose(torchRandn([2, 3], 42), [0.3367, 0.1288, 0.2345, 0.2303, -1.1229, -0.1863]);
  });

  it('keeps the cached Box–Muller value across calls, like torch', () => {
    const g = new TorchCpuGenerator(0);
    const joined = [...g.randn([3]), ...g.randn([3])];
    expect(joined).toEqual([...torchRandn([6], 0)]);
  });

  it('matches an independent 53-bit Box–Muller written with BigInt random64', () => {
    for (const seed of [0, 1, 123456789]) {
      const mt = new Mt19937(seed);
      const uniform53 = (): number => {
        const r64 = (BigInt(mt.nextU32()) << 32n) | BigInt(mt.nextU32());
        return Number(r64 & ((1n << 53n) - 1n)) * 2 ** -53;
      };
      const expected: number[] = [];
      while (expected.length < 15) {
        const u1 = uniform53();
        const u2 = uniform53();
        const r = Math.sqrt(-2 * Math.log(1 - u2));
        expected.push(r * Math.cos(2 * Math.PI * u1), r * Math.sin(2 * Math.PI * u1));
      }
      const got = torchRandn([15], seed);
      for (let i = 0; i < 15; i++) expect(got[i]).toBeCloseTo(expected[i], 5);
    }
  });
});

describe('TorchCpuGenerator.rand', () => {
  it('reproduces torch.manual_seed(0); torch.rand(5)', () => {
    expectClose(new TorchCpuGenerator(0).rand([5]), [0.4963, 0.7682, 0.0885, 0.132, 0.3074]);
  });

  it('gives 24-bit values in [0, 1)', () => {
    const u = new TorchCpuGenerator(9).rand([4096]);
    for (const v of u) {
      expect(v >= 0 && v < 1).toBe(true);
      expect(Number.isInteger(v * 2 ** 24)).toBe(true);
    }
  });
});

describe('TorchCpuGenerator normal_fill path (16 or more elements)', () => {
  const seed0First16 = [
    -1.1258, -1.1524, -0.2506, -0.4339, 0.8487, 0.692, -0.316, -2.1152,
    0.3223, -1.2633, 0.35, 0.3081, 0.1198, 1.2377, 1.1168, -0.2473,
  ];

  it('seed 0, randn(1, 1, 4, 4): kornia CenterCrop docstring', () => {
    expectClose(torchRandn([1, 1, 4, 4], 0), seed0First16);
  });

  it('seed 0, randn(3, 3, 3) then randn(3): miqsar get_mini_batches docstring (27 = 16 + redrawn tail)', () => {
    const g = new TorchCpuGenerator(0);
    expectClose(g.randn([3, 3, 3]), [
      -1.1258, -1.1524, -0.2506, -0.4339, 0.8487, 0.692, -0.316, -2.1152, 0.3223,
      -1.2633, 0.35, 0.266, 0.1665, 0.8744, -0.1435, -0.1116, -0.6136, 0.0316,
      -0.4927, 0.0537, 0.6181, -0.4128, -0.8411, -2.316, -0.1023, 0.7924, -0.2897,
    ]);
    expectClose(g.randn([3]), [-0.2251, 2.3466, -1.1088]);
  });

  it('seed 0, randn(10, 4), randn(4, 4), randn(10, 4) in sequence: public matrix-derivative notebook', () => {
    const g = new TorchCpuGenerator(0);
    expectClose(g.randn([10, 4]), [
      ...seed0First16,
      -1.3527, -1.6959, 0.5667, 0.7935, 0.5988, -1.5551, -0.3414, 1.853,
      -0.2159, -0.7425, 0.5627, 0.2596, -0.174, -0.6787, 0.9383, 0.4889,
      1.2032, 0.0845, -1.2001, -0.0048, -0.5181, -0.3067, -1.581, 1.7066,
    ]);
    expectClose(g.randn([4, 4]), [
      0.2055, -0.4503, -0.5731, -0.5554, 0.5943, 1.5419, 0.5073, -0.591,
      -1.3253, 0.1886, -0.0691, -0.4949, -1.4959, -0.1938, 0.4455, 1.3253,
    ]);
    expectClose(g.randn([10, 4]), [
      1.5091, 2.082, 1.7067, 2.3804, -1.1256, -0.317, -1.0925, -0.0852,
      0.3276, -0.7607, -1.5991, 0.0185, -0.7504, 0.1854, 0.6211, 0.6382,
      -0.0033, -0.5344, 1.1687, 0.3945, 1.9415, 0.7915, -0.0203, -0.4372,
      -0.2188, -2.4351, -0.0729, -0.034, 0.9625, 0.3492, -0.9215, -0.0562,
      -0.6227, -0.4637, 1.9218, -0.4025, 0.1239, 1.1648, 0.9234, 1.3873,
    ]);
  });

  it('seed 42, randn(2, 3, 4): llm.c layernorm write-up', () => {
    expectClose(torchRandn([2, 3, 4], 42), [
      1.9269, 1.4873, 0.9007, -2.1055, 0.6784, -1.2345, -0.0431, -1.6047, 0.3559, -0.6866, -0.4934, 0.2415,
      -1.1109, 0.0915, -2.3169, -0.2168, -0.3097, -0.3957, 0.8034, -0.6216, -0.592, -0.0631, -0.8286, 0.3309,
    ]);
  });

  it('seed 42, randn(4, 5): flashinfer sampling docstring', () => {
    expectClose(torchRandn([4, 5], 42), [
      1.9269, 1.4873, 0.9007, -2.1055, -0.7581, 1.0783, 0.8008, 1.6806, 0.3559, -0.6866,
      -0.4934, 0.2415, -0.2316, 0.0418, -0.2516, 0.8599, -0.3097, -0.3957, 0.8034, -0.6216,
    ]);
  });

  it('seed 42, randn(2, 16): public INT4 fake-quantization walkthrough', () => {
    expectClose(torchRandn([2, 16], 42), [
      1.9269, 1.4873, 0.9007, -2.1055, 0.6784, -1.2345, -0.0431, -1.6047,
      -0.7521, 1.6487, -0.3925, -1.4036, -0.7279, -0.5594, -0.7688, 0.7624,
      1.6423, -0.1596, -0.4974, 0.4396, -0.7581, 1.0783, 0.8008, 1.6806,
      1.2791, 1.2964, 0.6105, 1.3347, -0.2316, 0.0418, -0.2516, 0.8599,
    ]);
  });

  it('matches an independent double-precision normal_fill for 16, 17, 33 and 48 elements', () => {
    for (const size of [16, 17, 33, 48]) {
      for (const seed of [0, 7, 2n ** 63n + 11n]) {
        const mt = new Mt19937(seed);
        const uniform24 = (): number => (mt.nextU32() % 2 ** 24) * 2 ** -24;
        const u = Array.from({ length: size }, uniform24);
        const transform = (at: number): void => {
          const block = u.slice(at, at + 16);
          for (let k = 0; k < 8; k++) {
            const r = Math.sqrt(-2 * Math.log(1 - block[k]));
            u[at + k] = r * Math.cos(2 * Math.PI * block[k + 8]);
            u[at + k + 8] = r * Math.sin(2 * Math.PI * block[k + 8]);
          }
        };
        for (let at = 0; at + 16 <= size; at += 16) transform(at);
        if (size % 16) {
          for (let k = size - 16; k < size; k++) u[k] = uniform24();
          transform(size - 16);
        }
        const got = torchRandn([size], seed);
        for (let i = 0; i < size; i++) expect(Math.abs(got[i] - u[i])).toBeLessThan(1e-5);
      }
    }
  });

  it('draws a [1, 4, 64, 64] latent that is deterministic and standard normal', () => {
    const a = torchRandn([1, 4, 64, 64], 1234);
    const b = torchRandn([1, 4, 64, 64], 1234n);
    const c = torchRandn([1, 4, 64, 64], 1235);
    expect(a.length).toBe(16384);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    let sum = 0;
    let sumSq = 0;
    for (const v of a) {
      expect(Number.isFinite(v)).toBe(true);
      sum += v;
      sumSq += v * v;
    }
    const mean = sum / a.length;
    const std = Math.sqrt(sumSq / a.length - mean * mean);
    // Standard errors: 1/128 for the mean, about 1/181 for the std; allow 4 of them.
    expect(Math.abs(mean)).toBeLessThan(0.032);
    expect(Math.abs(std - 1)).toBeLessThan(0.023);
  });

  it('continues the stream across calls', () => {
    const g = new TorchCpuGenerator(5);
    const first = g.randn([1, 4, 8, 8]);
    const second = g.randn([1, 4, 8, 8]);
    expect(first).toEqual(torchRandn([1, 4, 8, 8], 5));
    expect(second).not.toEqual(first);
  });
});

describe('dims validation', () => {
  it('returns an empty tensor for a zero-sized shape', () => {
    expect(torchRandn([2, 0, 3], 0).length).toBe(0);
  });

  it('names the bad dimension', () => {
    expect(() => torchRandn([1, -4, 8], 0)).toThrow(/dimension 1 is -4/);
    expect(() => torchRandn([1, 2.5], 0)).toThrow(/dimension 1 is 2.5/);
    expect(() => new TorchCpuGenerator(0).rand([Number.NaN])).toThrow(/rand: dimension 0/);
    expect(() => torchRandn([2 ** 20, 2 ** 20], 0)).toThrow(/more than one Float32Array/);
  });
});
