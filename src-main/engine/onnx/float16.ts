/** Half-precision helpers under the names the graph writer uses; one implementation in numeric/. */
export {
  toHalfBits as toFloat16Bits,
  fromHalfBits as fromFloat16Bits,
  float32ToFloat16 as float32ToFloat16Array,
  float16ToFloat32 as float16ToFloat32Array,
} from '../numeric/float16';
