export { GraphBuilder, attr, tensorValue, ONNX_DATA_TYPE } from './graph-builder';
export type { AttributeValue, Dim, ElemType, Initializer, NodeSpec, TensorValue, ValueInfo } from './graph-builder';
export { buildModel, writeModel, DEFAULT_OPSET } from './model';
export type { ModelSpec, WriteModelOptions } from './model';
export { ioSignature } from './io-signature';
export type { IoEntry } from './io-signature';
