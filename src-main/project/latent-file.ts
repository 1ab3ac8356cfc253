import { endianness } from 'node:os';
import { CodedError } from '../engine/errors';
import { sizeOf, type Tensor } from '../engine/tensor';

/**
 * Binary file for a list of latents (a trajectory: one tensor per diffusion step, with holes
 * for steps a branch did not run). Layout:
 *
 *   8 bytes   magic "LBS-F32\n"
 *   4 bytes   header length H, uint32 little-endian
 *   H bytes   UTF-8 JSON {"entries": [{"dims": [1,4,64,64]} | null, …]}, space-padded so the
 *             data starts on a 4-byte boundary
 *   …         the present tensors' float32 values, little-endian, in entry order
 *
 * The header is small and self-describing; the payload is raw floats so files can be read
 * back bit-exactly without parsing numbers.
 */
const MAGIC = Buffer.from('LBS-F32\n', 'ascii');
const LITTLE_ENDIAN = endianness() === 'LE';

/** A latent cache file that cannot be read (CACHE_DAMAGED: the cache recomputes it), or tensors that cannot be written (INTERNAL). */
export class LatentFileError extends CodedError {
  override name = 'LatentFileError';
  constructor(message: string, code: 'CACHE_DAMAGED' | 'INTERNAL' = 'CACHE_DAMAGED') {
    super(code, `latent file: ${message}`);
  }
}

export function encodeLatents(entries: readonly (Tensor | undefined)[]): Buffer {
  const header = {
    entries: entries.map((t, i) => {
      if (t === undefined) return null;
      if (t.data.length !== sizeOf(t.dims)) {
        throw new LatentFileError(`entry ${i} has ${t.data.length} values but dims [${t.dims.join(', ')}] need ${sizeOf(t.dims)}`, 'INTERNAL');
      }
      return { dims: [...t.dims] };
    }),
  };
  let json = Buffer.from(JSON.stringify(header), 'utf8');
  const pad = (4 - ((MAGIC.length + 4 + json.length) % 4)) % 4;
  if (pad) json = Buffer.concat([json, Buffer.alloc(pad, 0x20)]);
  const floats = entries.reduce((n, t) => n + (t?.data.length ?? 0), 0);
  const out = Buffer.alloc(MAGIC.length + 4 + json.length + floats * 4);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(json.length, MAGIC.length);
  json.copy(out, MAGIC.length + 4);
  let offset = MAGIC.length + 4 + json.length;
  for (const t of entries) {
    if (t === undefined) continue;
    if (LITTLE_ENDIAN) {
      Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).copy(out, offset);
    } else {
      for (let i = 0; i < t.data.length; i++) out.writeFloatLE(t.data[i], offset + i * 4);
    }
    offset += t.data.byteLength;
  }
  return out;
}

export function decodeLatents(bytes: Uint8Array): (Tensor | undefined)[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < MAGIC.length + 4 || !buf.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new LatentFileError('not a latent file (bad magic bytes)');
  }
  const headerLength = buf.readUInt32LE(MAGIC.length);
  const dataStart = MAGIC.length + 4 + headerLength;
  if (dataStart > buf.length) throw new LatentFileError(`header of ${headerLength} bytes runs past the end of the ${buf.length}-byte file`);
  let header: unknown;
  try {
    header = JSON.parse(buf.subarray(MAGIC.length + 4, dataStart).toString('utf8'));
  } catch {
    throw new LatentFileError('header is not valid JSON');
  }
  const entries = (header as { entries?: unknown }).entries;
  if (!Array.isArray(entries)) throw new LatentFileError('header has no "entries" list');

  const out: (Tensor | undefined)[] = [];
  let offset = dataStart;
  for (const [i, e] of entries.entries()) {
    if (e === null) {
      out.push(undefined);
      continue;
    }
    const dims = (e as { dims?: unknown }).dims;
    if (!Array.isArray(dims) || !dims.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new LatentFileError(`entry ${i} has invalid dims ${JSON.stringify(dims)}`);
    }
    const count = sizeOf(dims as number[]);
    if (offset + count * 4 > buf.length) throw new LatentFileError(`entry ${i} runs past the end of the file (truncated?)`);
    const data = new Float32Array(count);
    if (LITTLE_ENDIAN) {
      // Copy: the payload need not be aligned in the caller's buffer, and callers own their tensors.
      new Uint8Array(data.buffer).set(buf.subarray(offset, offset + count * 4));
    } else {
      for (let j = 0; j < count; j++) data[j] = buf.readFloatLE(offset + j * 4);
    }
    out.push({ data, dims: dims as number[] });
    offset += count * 4;
  }
  if (offset !== buf.length) throw new LatentFileError(`${buf.length - offset} bytes after the last entry`);
  return out;
}
