/** A dense float32 tensor in row-major (NCHW for images and latents) order. */
export interface Tensor {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}

export function tensor(data: Float32Array, dims: readonly number[]): Tensor {
  const size = dims.reduce((a, b) => a * b, 1);
  if (data.length !== size) {
    throw new Error(`tensor: data has ${data.length} elements but dims [${dims.join(', ')}] need ${size}`);
  }
  return { data, dims: [...dims] };
}

export function sizeOf(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** Concatenate tensors along the batch (first) axis. */
export function concatBatch(parts: readonly Tensor[]): Tensor {
  if (parts.length === 0) throw new Error('concatBatch: nothing to concatenate');
  const rest = parts[0].dims.slice(1);
  let batch = 0;
  for (const p of parts) {
    if (p.dims.slice(1).join() !== rest.join()) {
      throw new Error(`concatBatch: shapes differ ([${p.dims}] vs [${parts[0].dims}])`);
    }
    batch += p.dims[0];
  }
  const out = new Float32Array(batch * sizeOf(rest));
  let offset = 0;
  for (const p of parts) {
    out.set(p.data, offset);
    offset += p.data.length;
  }
  return { data: out, dims: [batch, ...rest] };
}

/** Split a tensor along the batch axis into tensors of batch 1 (views share no memory). */
export function splitBatch(t: Tensor): Tensor[] {
  const rest = t.dims.slice(1);
  const n = sizeOf(rest);
  const out: Tensor[] = [];
  for (let b = 0; b < t.dims[0]; b++) {
    out.push({ data: t.data.slice(b * n, (b + 1) * n), dims: [1, ...rest] });
  }
  return out;
}
