import { float32ToFloat16 } from '../numeric/float16';

/** Element types the builder writes, named as onnxruntime-node names them. */
export type ElemType = 'float32' | 'float16' | 'float64' | 'int8' | 'uint8' | 'int32' | 'int64' | 'bool';

/** TensorProto.DataType codes from onnx.proto. */
export const ONNX_DATA_TYPE: Readonly<Record<ElemType, number>> = {
  float32: 1,
  uint8: 2,
  int8: 3,
  int32: 6,
  int64: 7,
  bool: 9,
  float16: 10,
  float64: 11,
};

/** A dimension: a fixed size, or a symbolic name such as "batch" that any size may fill. */
export type Dim = number | string;

export interface ValueInfo {
  readonly name: string;
  readonly elemType: ElemType;
  /** undefined = unknown rank; [] = a 0-d scalar. */
  readonly dims: readonly Dim[] | undefined;
}

/** A tensor with its little-endian raw bytes, as it goes into TensorProto.raw_data. */
export interface TensorValue {
  readonly elemType: ElemType;
  readonly dims: readonly number[];
  readonly bytes: Uint8Array;
}

export interface Initializer extends TensorValue {
  readonly name: string;
}

/** Attribute values: numbers are INTs; wrap floats with `attr.float` so 1 and 1.0 cannot be confused. */
export type AttributeValue =
  | number
  | readonly number[]
  | string
  | readonly string[]
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'floats'; readonly value: readonly number[] }
  | { readonly kind: 'tensor'; readonly value: TensorValue };

export const attr = {
  float: (value: number): AttributeValue => ({ kind: 'float', value }),
  floats: (value: readonly number[]): AttributeValue => ({ kind: 'floats', value }),
  tensor: (value: TensorValue): AttributeValue => ({ kind: 'tensor', value }),
};

export interface NodeSpec {
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: Readonly<Record<string, AttributeValue>>;
}

type NumericData = ArrayLike<number>;

/** Raw little-endian bytes of typed data (copied, so later edits of the source do not leak in). */
export function tensorValue(elemType: ElemType, data: NumericData | BigInt64Array, dims: readonly number[]): TensorValue {
  const count = dims.reduce((a, b) => a * b, 1);
  if (data.length !== count) {
    throw new Error(`tensor of type ${elemType}: ${data.length} values given but dims [${dims.join(', ')}] need ${count}`);
  }
  let bytes: Uint8Array;
  switch (elemType) {
    case 'float32':
      bytes = asBytes(Float32Array.from(data as NumericData));
      break;
    case 'float64':
      bytes = asBytes(Float64Array.from(data as NumericData));
      break;
    case 'float16':
      bytes = asBytes(float32ToFloat16(data as NumericData));
      break;
    case 'int32':
      bytes = asBytes(Int32Array.from(data as NumericData));
      break;
    case 'int64':
      bytes = asBytes(
        data instanceof BigInt64Array ? data.slice() : BigInt64Array.from(Array.from(data as NumericData, (v) => BigInt(v))),
      );
      break;
    case 'int8':
      bytes = asBytes(Int8Array.from(data as NumericData));
      break;
    case 'uint8':
    case 'bool':
      bytes = Uint8Array.from(data as NumericData);
      break;
  }
  return { elemType, dims: [...dims], bytes };
}

function asBytes(view: ArrayBufferView): Uint8Array {
  // Typed arrays use the platform byte order; ONNX raw_data is little-endian, as are all
  // platforms onnxruntime-node ships for.
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/**
 * Collects the inputs, outputs, initializers and nodes of one ONNX graph in topological
 * order. Nodes must be added after everything they read.
 */
export class GraphBuilder {
  readonly inputs: ValueInfo[] = [];
  readonly outputs: ValueInfo[] = [];
  readonly initializers: Initializer[] = [];
  readonly nodes: NodeSpec[] = [];
  private readonly names = new Set<string>();
  private counter = 0;

  constructor(readonly name: string) {}

  input(name: string, elemType: ElemType, dims: readonly Dim[] | undefined): string {
    this.claim(name, 'graph input');
    this.inputs.push({ name, elemType, dims: dims && [...dims] });
    return name;
  }

  /** Declares a graph output; some node must produce a value of this name. */
  output(name: string, elemType: ElemType, dims: readonly Dim[] | undefined): string {
    if (this.outputs.some((o) => o.name === name)) throw new Error(`graph ${this.name}: output "${name}" declared twice`);
    this.outputs.push({ name, elemType, dims: dims && [...dims] });
    return name;
  }

  initializer(name: string, data: NumericData, dims: readonly number[]): string {
    return this.addInitializer(name, tensorValue('float32', data, dims));
  }

  /** Float16 weights given as numbers (rounded to the nearest half). */
  initializerFloat16(name: string, data: NumericData, dims: readonly number[]): string {
    return this.addInitializer(name, tensorValue('float16', data, dims));
  }

  initializerInt64(name: string, data: NumericData | BigInt64Array, dims: readonly number[]): string {
    return this.addInitializer(name, tensorValue('int64', data, dims));
  }

  initializerInt32(name: string, data: NumericData, dims: readonly number[]): string {
    return this.addInitializer(name, tensorValue('int32', data, dims));
  }

  addInitializer(name: string, value: TensorValue): string {
    this.claim(name, 'initializer');
    this.initializers.push({ name, ...value });
    return name;
  }

  /** A float32 constant; a single number becomes a 0-d scalar unless dims say otherwise. */
  constFloat(values: number | NumericData, dims?: readonly number[]): string {
    const data = typeof values === 'number' ? [values] : values;
    return this.addInitializer(this.uniqueName('const'), tensorValue('float32', data, dims ?? defaultDims(values)));
  }

  constFloat16(values: number | NumericData, dims?: readonly number[]): string {
    const data = typeof values === 'number' ? [values] : values;
    return this.addInitializer(this.uniqueName('const'), tensorValue('float16', data, dims ?? defaultDims(values)));
  }

  constInt64(values: number | NumericData, dims?: readonly number[]): string {
    const data = typeof values === 'number' ? [values] : values;
    return this.addInitializer(this.uniqueName('const'), tensorValue('int64', data, dims ?? defaultDims(values)));
  }

  /**
   * Adds a node and returns its output names. `outputs` is a count (names are generated) or
   * explicit names (e.g. the graph outputs).
   */
  node(
    opType: string,
    inputs: readonly string[],
    outputs: number | readonly string[] = 1,
    attributes: Readonly<Record<string, AttributeValue>> = {},
    domain = '',
  ): string[] {
    const outputNames =
      typeof outputs === 'number'
        ? Array.from({ length: outputs }, () => this.uniqueName(opType))
        : [...outputs];
    for (const n of outputNames) this.claim(n, `output of ${opType}`);
    this.nodes.push({
      name: `${opType}_node_${this.nodes.length}`,
      opType,
      domain,
      inputs: [...inputs],
      outputs: outputNames,
      attributes: { ...attributes },
    });
    return outputNames;
  }

  /** A node with exactly one output. */
  op(opType: string, inputs: readonly string[], attributes: Readonly<Record<string, AttributeValue>> = {}, domain = ''): string {
    return this.node(opType, inputs, 1, attributes, domain)[0];
  }

  /** A name no value of this graph uses yet (it is claimed when the value is added). */
  uniqueName(prefix: string): string {
    let name: string;
    do name = `${prefix}_${this.counter++}`;
    while (this.names.has(name));
    return name;
  }

  /** Throws when a node reads a value nothing defined before it, or an output is never produced. */
  validate(): void {
    const known = new Set<string>(['']);
    for (const i of this.inputs) known.add(i.name);
    for (const i of this.initializers) known.add(i.name);
    for (const n of this.nodes) {
      for (const input of n.inputs) {
        if (!known.has(input)) {
          throw new Error(`graph ${this.name}: node ${n.name} (${n.opType}) reads "${input}", which no input, initializer or earlier node defines`);
        }
      }
      for (const o of n.outputs) known.add(o);
    }
    for (const o of this.outputs) {
      if (!known.has(o.name)) throw new Error(`graph ${this.name}: output "${o.name}" is declared but no node produces it`);
    }
  }

  private claim(name: string, what: string): void {
    if (name === '') throw new Error(`graph ${this.name}: ${what} needs a non-empty name`);
    if (this.names.has(name)) throw new Error(`graph ${this.name}: the name "${name}" (${what}) is already used`);
    this.names.add(name);
  }
}

function defaultDims(values: number | NumericData): number[] {
  return typeof values === 'number' ? [] : [values.length];
}
