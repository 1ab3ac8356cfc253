import { readFileSync } from 'node:fs';

/**
 * Reader for NumPy's .npy files (format 1.0–3.0) holding little-endian float32 or float64 in C
 * order: what the conformance data stores (per-step latents, start noise). Only the dtypes the
 * data uses; anything else is refused with the dtype named, never misread.
 */
export interface NpyArray {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export function readNpy(file: string): NpyArray {
  const buf = readFileSync(file);
  if (buf.subarray(0, 6).toString('latin1') !== '\x93NUMPY') throw new Error(`${file} is not a .npy file (no \\x93NUMPY magic).`);
  const major = buf[6];
  const headerLength = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const headerStart = major === 1 ? 10 : 12;
  const header = buf.subarray(headerStart, headerStart + headerLength).toString(major === 3 ? 'utf8' : 'latin1');
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new Error(`${file}: unreadable .npy header ${header.trim()}`);
  if (fortran === 'True') throw new Error(`${file}: Fortran-ordered arrays are not supported.`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const body = buf.subarray(headerStart + headerLength);
  const data = new Float32Array(count);
  if (descr === '<f4') {
    for (let i = 0; i < count; i++) data[i] = body.readFloatLE(i * 4);
  } else if (descr === '<f8') {
    for (let i = 0; i < count; i++) data[i] = body.readDoubleLE(i * 8);
  } else {
    throw new Error(`${file}: dtype ${descr} is not supported (float32/float64 little-endian only).`);
  }
  return { shape, data };
}
