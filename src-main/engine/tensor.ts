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
