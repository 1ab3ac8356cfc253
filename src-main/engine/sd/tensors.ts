import * as ort from 'onnxruntime-node';
import { float16ToFloat32, float32ToFloat16 } from '../numeric/float16';
import type { FloatType } from './components';

/** Wrap float32 data as an input of the given element type (fp16 exports take fp16 inputs). */
export function floatInput(type: FloatType, data: Float32Array, dims: readonly number[]): ort.Tensor {
  return type === 'float16'
    ? new ort.Tensor('float16', float32ToFloat16(data), dims)
    : new ort.Tensor('float32', data, dims);
}

/** Read a float output as float32 whatever its element type. */
export function floatOutput(tensor: ort.Tensor): Float32Array {
  if (tensor.type === 'float32') return tensor.data as Float32Array;
  if (tensor.type === 'float16') {
    const data = tensor.data as unknown;
    // Newer runtimes may hand back a native Float16Array; older ones raw Uint16 bits.
    if (data instanceof Uint16Array) return float16ToFloat32(data);
    return Float32Array.from(data as ArrayLike<number>);
  }
  throw new Error(`expected a float tensor, got ${tensor.type}`);
}

/** Token ids [1, length] in the text encoder's id type. */
export function tokenIdsInput(type: 'int32' | 'int64', ids: Int32Array): ort.Tensor {
  return type === 'int64'
    ? new ort.Tensor('int64', BigInt64Array.from(ids, (v) => BigInt(v)), [1, ids.length])
    : new ort.Tensor('int32', ids, [1, ids.length]);
}

export function timestepInput(
  type: 'int64' | 'int32' | 'float32' | 'float16',
  timestep: number,
  count: number,
  layout: 'batch' | 'scalar' | 'single',
): ort.Tensor {
  const n = layout === 'batch' ? count : 1;
  const dims = layout === 'scalar' ? [] : [n];
  // Euler "linspace" timesteps are fractional; an integer input gets them truncated, as
  // numpy's astype does in the Python ONNX pipelines.
  const whole = Math.trunc(timestep);
  switch (type) {
    case 'int64':
      return new ort.Tensor('int64', new BigInt64Array(n).fill(BigInt(whole)), dims);
    case 'int32':
      return new ort.Tensor('int32', new Int32Array(n).fill(whole), dims);
    case 'float32':
      return new ort.Tensor('float32', new Float32Array(n).fill(timestep), dims);
    case 'float16':
      return new ort.Tensor('float16', float32ToFloat16(new Float32Array(n).fill(timestep)), dims);
  }
}
