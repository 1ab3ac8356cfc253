import { mkdir, open, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import onnxProto from 'onnx-proto';
import { ONNX_DATA_TYPE, type AttributeValue, type GraphBuilder, type TensorValue, type ValueInfo } from './graph-builder';

const { onnx } = onnxProto;

export interface ModelSpec {
  readonly graph: GraphBuilder;
  /** Default opset of the ai.onnx domain; 17 (IR 8) is well inside onnxruntime 1.30's range. */
  readonly opset?: number;
  readonly producer?: string;
  readonly docString?: string;
}

export interface WriteModelOptions {
  /** Move large initializers into this file next to model.onnx (as the SD exporters do). */
  readonly externalData?: 'model.onnx_data' | 'weights.pb';
  /** Initializers of at least this many bytes go external (onnx's own default is 1024). */
  readonly externalDataThreshold?: number;
}

export const DEFAULT_OPSET = 17;

/** Opset → the IR version that introduced it (onnx/helper.py's table), so old runtimes accept the file. */
function irVersionFor(opset: number): number {
  if (opset <= 8) return 3;
  if (opset <= 10) return 5;
  if (opset <= 11) return 6;
  if (opset <= 14) return 7;
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  return 10;
}

/** Serialises a model with all weights inline. Same spec → same bytes (nothing time-dependent). */
export function buildModel(spec: ModelSpec): Uint8Array {
  return onnx.ModelProto.encode(toModelProto(spec, () => undefined)).finish();
}

/**
 * Writes `path` (e.g. unet/model.onnx), and with `externalData` also the weights file next to
 * it; initializers above the threshold are stored there with location/offset/length entries.
 * Returns the paths written.
 */
export async function writeModel(path: string, spec: ModelSpec, options: WriteModelOptions = {}): Promise<string[]> {
  const external = options.externalData;
  if (external !== undefined && basename(external) !== external) {
    throw new Error(`writeModel: externalData must be a file name next to the model, got "${external}"`);
  }
  const threshold = options.externalDataThreshold ?? 1024;
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const proto = toModelProto(spec, (t) => {
    if (external === undefined || t.bytes.length < threshold) return undefined;
    // 16-byte alignment keeps every tensor's offset a multiple of its element size.
    const padding = (16 - (offset % 16)) % 16;
    if (padding > 0) chunks.push(new Uint8Array(padding));
    offset += padding;
    const entry = { location: external, offset, length: t.bytes.length };
    chunks.push(t.bytes);
    offset += t.bytes.length;
    return entry;
  });
  await mkdir(dirname(path), { recursive: true });
  const written = [path];
  await writeFile(path, onnx.ModelProto.encode(proto).finish());
  if (external !== undefined) {
    const dataPath = join(dirname(path), external);
    // Written piece by piece: a benchmark UNet has 3.5 GB of weights, too much to join in memory.
    const file = await open(dataPath, 'w');
    try {
      for (const chunk of chunks) await file.write(chunk);
    } finally {
      await file.close();
    }
    written.push(dataPath);
  }
  return written;
}

interface ExternalEntry {
  readonly location: string;
  readonly offset: number;
  readonly length: number;
}

function toModelProto(spec: ModelSpec, placeExternally: (t: TensorValue) => ExternalEntry | undefined): onnxProto.onnx.IModelProto {
  const g = spec.graph;
  g.validate();
  const opset = spec.opset ?? DEFAULT_OPSET;
  const domains = [...new Set(g.nodes.map((n) => n.domain).filter((d) => d !== ''))].sort();
  return {
    irVersion: irVersionFor(opset),
    producerName: spec.producer ?? 'latent-blending-studio',
    producerVersion: '1',
    docString: spec.docString,
    opsetImport: [{ domain: '', version: opset }, ...domains.map((domain) => ({ domain, version: 1 }))],
    graph: {
      name: g.name,
      input: g.inputs.map(valueInfoProto),
      output: g.outputs.map(valueInfoProto),
      initializer: g.initializers.map((init) => {
        const entry = placeExternally(init);
        if (entry === undefined) return tensorProto(init, init.name);
        return {
          name: init.name,
          dataType: ONNX_DATA_TYPE[init.elemType],
          dims: [...init.dims],
          dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
          externalData: [
            { key: 'location', value: entry.location },
            { key: 'offset', value: String(entry.offset) },
            { key: 'length', value: String(entry.length) },
          ],
        };
      }),
      node: g.nodes.map((n) => ({
        name: n.name,
        opType: n.opType,
        domain: n.domain,
        input: [...n.inputs],
        output: [...n.outputs],
        attribute: Object.entries(n.attributes).map(([name, value]) => attributeProto(name, value)),
      })),
    },
  };
}

function tensorProto(t: TensorValue, name?: string): onnxProto.onnx.ITensorProto {
  return { name, dataType: ONNX_DATA_TYPE[t.elemType], dims: [...t.dims], rawData: t.bytes };
}

function valueInfoProto(v: ValueInfo): onnxProto.onnx.IValueInfoProto {
  return {
    name: v.name,
    type: {
      tensorType: {
        elemType: ONNX_DATA_TYPE[v.elemType],
        shape: v.dims === undefined ? undefined : { dim: v.dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function attributeProto(name: string, value: AttributeValue): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`attribute ${name}: ${value} is not an integer; wrap floats with attr.float()`);
    return { name, type: T.INT, i: value };
  }
  if (typeof value === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'string')) {
      return { name, type: T.STRINGS, strings: (value as string[]).map((s) => new TextEncoder().encode(s)) };
    }
    if (!value.every((v) => Number.isInteger(v))) throw new Error(`attribute ${name}: [${value.join(', ')}] holds non-integers; wrap floats with attr.floats()`);
    return { name, type: T.INTS, ints: [...(value as number[])] };
  }
  const tagged = value as Exclude<AttributeValue, number | string | readonly unknown[]>;
  switch (tagged.kind) {
    case 'float':
      return { name, type: T.FLOAT, f: tagged.value };
    case 'floats':
      return { name, type: T.FLOATS, floats: [...tagged.value] };
    case 'tensor':
      return { name, type: T.TENSOR, t: tensorProto(tagged.value) };
  }
}
