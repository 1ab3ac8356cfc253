import { describe, expect, it } from 'vitest';
import type { Tensor } from '../engine/tensor';
import { LatentFileError, decodeLatents, encodeLatents } from './latent-file';

function latent(seed: number, dims = [1, 4, 3, 2]): Tensor {
  const n = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = Math.sin(seed * 1000 + i) * 3.4e38 * (i % 3 === 0 ? 1e-40 : 1e-38);
  return { data, dims };
}

const bits = (t: Tensor) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);

describe('latent file format', () => {
  it('round-trips tensors bit-exactly, with holes and special values', () => {
    const special: Tensor = { data: new Float32Array([-0, 1e-45, -3.4028234663852886e38, NaN, Infinity, 0.1]), dims: [2, 3] };
    const entries = [undefined, latent(1), special, undefined, latent(2, [1, 4, 1, 1])];
    const back = decodeLatents(encodeLatents(entries));
    expect(back).toHaveLength(5);
    expect(back[0]).toBeUndefined();
    expect(back[3]).toBeUndefined();
    for (const i of [1, 2, 4]) {
      expect(back[i]!.dims).toEqual(entries[i]!.dims);
      expect(bits(back[i]!).equals(bits(entries[i]!))).toBe(true);
    }
  });

  it('keeps its float payload 4-byte aligned and little-endian', () => {
    const bytes = encodeLatents([{ data: new Float32Array([1]), dims: [1] }]);
    expect(bytes.length % 4).toBe(0);
    // IEEE 754 1.0f = 0x3f800000, stored little-endian as 00 00 80 3f.
    expect([...bytes.subarray(bytes.length - 4)]).toEqual([0x00, 0x00, 0x80, 0x3f]);
  });

  it('rejects damaged files with a reason', () => {
    const good = encodeLatents([latent(1)]);
    expect(() => decodeLatents(good.subarray(0, good.length - 4))).toThrow(/truncated/);
    expect(() => decodeLatents(Buffer.concat([good, Buffer.alloc(4)]))).toThrow(/4 bytes after the last entry/);
    expect(() => decodeLatents(Buffer.from('PNG nonsense'))).toThrow(LatentFileError);
    expect(() => encodeLatents([{ data: new Float32Array(3), dims: [2, 2] }])).toThrow(/entry 0 has 3 values/);
  });
});
