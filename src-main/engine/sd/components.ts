import type * as ort from 'onnxruntime-node';
import { dirname } from 'node:path';
import { EngineError } from '../errors';
import { allocationFailure, isAllocationFailure } from './memory';
import type { ComponentFile, ComponentName } from './model-folder';
import type { ProviderSelector } from './providers';

export type Dim = number | string;
export interface TensorIO {
  readonly name: string;
  readonly type: string;
  readonly shape: readonly Dim[];
}

export interface LoadedComponent {
  readonly file: ComponentFile;
  readonly session: ort.InferenceSession;
  readonly inputs: readonly TensorIO[];
  readonly outputs: readonly TensorIO[];
}

function ioList(meta: readonly ort.InferenceSession.ValueMetadata[]): TensorIO[] {
  return meta.map((m) => (m.isTensor ? { name: m.name, type: m.type, shape: [...m.shape] } : { name: m.name, type: 'non-tensor', shape: [] }));
}

/** Map ONNX Runtime's load failures to typed errors that name the file and the problem. */
export function explainLoadFailure(file: ComponentFile, error: unknown): EngineError {
  const message = error instanceof Error ? error.message : String(error);
  const where = file.path;
  if (isAllocationFailure(message)) return allocationFailure(file, dirname(dirname(where)));
  const unsupported = /Could not find an implementation for (\w+)\((\d+)\) node with name '([^']*)'/.exec(message);
  if (unsupported) {
    return new EngineError(
      'MODEL_UNSUPPORTED_OP',
      `${where} uses the operator ${unsupported[1]} (node '${unsupported[3]}') that the CPU provider cannot run: this export was optimised for a GPU (fused CUDA operators).`,
      {
        file: where,
        hint: 'Use the CUDA provider on an NVIDIA GPU, or re-export the model without GPU-specific optimisation (optimum-cli export onnx without --optimize O4 / --device cuda).',
        cause: error,
      },
    );
  }
  if (/Protobuf parsing failed|ModelProto does not have a graph|No graph was found/i.test(message)) {
    return new EngineError('MODEL_NOT_ONNX', `${where} is not an ONNX model (it could not be parsed).`, {
      file: where,
      hint: 'The file is damaged, truncated, or not an ONNX export; download or export it again.',
      cause: error,
    });
  }
  if (/external data|onnx_data|weights\.pb|GetExtDataFromTensorProto|External initializer/i.test(message)) {
    return new EngineError('MODEL_EXTERNAL_DATA', `${where} refers to external weights that are missing or damaged: ${firstLine(message)}`, {
      file: where,
      hint: 'Keep model.onnx and its weights file (model.onnx_data or weights.pb) together in the same folder, with their original names.',
      cause: error,
    });
  }
  return new EngineError('MODEL_NOT_ONNX', `${where} could not be loaded by ONNX Runtime: ${firstLine(message)}`, {
    file: where,
    cause: error,
  });
}

function firstLine(text: string): string {
  return text.split('\n')[0].replace(/^.*?failed:/, '').trim();
}

export async function loadComponent(file: ComponentFile, selector: ProviderSelector): Promise<LoadedComponent> {
  let session: ort.InferenceSession;
  try {
    session = await selector.create(file.path);
  } catch (error) {
    throw explainLoadFailure(file, error);
  }
  return { file, session, inputs: ioList(session.inputMetadata), outputs: ioList(session.outputMetadata) };
}

function find(list: readonly TensorIO[], names: readonly string[]): TensorIO | undefined {
  return list.find((io) => names.includes(io.name));
}

function badIo(c: LoadedComponent, what: string, expected: string): EngineError {
  const found = (list: readonly TensorIO[]) => list.map((io) => `${io.name}: ${io.type}[${io.shape.join(', ')}]`).join('; ');
  return new EngineError(
    'MODEL_BAD_IO',
    `${c.file.path} has unexpected ${what}: expected ${expected}; found inputs {${found(c.inputs)}}, outputs {${found(c.outputs)}}.`,
    { file: c.file.path, hint: `This does not look like a Stable Diffusion ${c.file.component} export.` },
  );
}

function requireType(c: LoadedComponent, io: TensorIO, allowed: readonly string[]): void {
  if (!allowed.includes(io.type)) throw badIo(c, `type for '${io.name}' (${io.type})`, allowed.join(' or '));
}

const FLOATS = ['float32', 'float16'] as const;
export type FloatType = (typeof FLOATS)[number];

export interface TextEncoderIO {
  idsName: string;
  idsType: 'int32' | 'int64';
  length: number;
  hiddenName: string;
  hiddenType: FloatType;
  /** From metadata; undefined when symbolic (then discovered on the first run). */
  hiddenSize?: number;
}

export function describeTextEncoder(c: LoadedComponent): TextEncoderIO {
  const ids = find(c.inputs, ['input_ids']) ?? (c.inputs.length === 1 ? c.inputs[0] : undefined);
  if (!ids) throw badIo(c, 'inputs', "'input_ids' int32/int64 [batch, 77]");
  requireType(c, ids, ['int32', 'int64']);
  const hidden = find(c.outputs, ['last_hidden_state']) ?? c.outputs[0];
  if (!hidden) throw badIo(c, 'outputs', "'last_hidden_state' [batch, 77, hidden]");
  requireType(c, hidden, FLOATS);
  const length = typeof ids.shape[1] === 'number' ? ids.shape[1] : 77;
  const hiddenSize = typeof hidden.shape[2] === 'number' ? hidden.shape[2] : undefined;
  return {
    idsName: ids.name,
    idsType: ids.type as 'int32' | 'int64',
    length,
    hiddenName: hidden.name,
    hiddenType: hidden.type as FloatType,
    hiddenSize,
  };
}

export type TimestepLayout = 'batch' | 'scalar' | 'single';

export interface UnetIO {
  sampleName: string;
  sampleType: FloatType;
  inChannels: number;
  timestepName: string;
  timestepType: 'int64' | 'int32' | 'float32' | 'float16';
  /** [B] per row, a 0-d scalar, or [1] shared by the batch. */
  timestepLayout: TimestepLayout;
  hiddenName: string;
  hiddenType: FloatType;
  outName: string;
  outType: FloatType;
  /** A fixed batch size from the export (e.g. 1 or 2), undefined when the batch axis is dynamic. */
  fixedBatch?: number;
}

export function describeUnet(c: LoadedComponent): UnetIO {
  const sample = find(c.inputs, ['sample']);
  const timestep = find(c.inputs, ['timestep', 'timesteps', 't']);
  const hidden = find(c.inputs, ['encoder_hidden_states']);
  if (!sample || !timestep || !hidden) {
    throw badIo(c, 'inputs', "'sample' [batch, 4|9, h, w], 'timestep', 'encoder_hidden_states' [batch, 77, hidden]");
  }
  requireType(c, sample, FLOATS);
  requireType(c, hidden, FLOATS);
  requireType(c, timestep, ['int64', 'int32', 'float32', 'float16']);
  const out = find(c.outputs, ['out_sample', 'noise_pred']) ?? c.outputs[0];
  if (!out) throw badIo(c, 'outputs', "'out_sample' [batch, 4, h, w]");
  requireType(c, out, FLOATS);
  const inChannels = sample.shape[1];
  if (inChannels !== 4 && inChannels !== 9) {
    throw badIo(c, `channel count for 'sample' (${String(inChannels)})`, '4 (text-to-image) or 9 (inpainting)');
  }
  const timestepLayout: TimestepLayout =
    timestep.shape.length === 0 ? 'scalar' : timestep.shape[0] === 1 && sample.shape[0] !== 1 ? 'single' : 'batch';
  return {
    sampleName: sample.name,
    sampleType: sample.type as FloatType,
    inChannels,
    timestepName: timestep.name,
    timestepType: timestep.type as UnetIO['timestepType'],
    timestepLayout,
    hiddenName: hidden.name,
    hiddenType: hidden.type as FloatType,
    outName: out.name,
    outType: out.type as FloatType,
    fixedBatch: typeof sample.shape[0] === 'number' ? sample.shape[0] : undefined,
  };
}

export interface VaeDecoderIO {
  inName: string;
  inType: FloatType;
  outName: string;
  outType: FloatType;
}

export function describeVaeDecoder(c: LoadedComponent): VaeDecoderIO {
  const input = find(c.inputs, ['latent_sample', 'latent', 'z']) ?? (c.inputs.length === 1 ? c.inputs[0] : undefined);
  const output = find(c.outputs, ['sample']) ?? c.outputs[0];
  if (!input || !output) throw badIo(c, 'inputs/outputs', "'latent_sample' [batch, 4, h, w] → 'sample' [batch, 3, 8h, 8w]");
  requireType(c, input, FLOATS);
  requireType(c, output, FLOATS);
  return { inName: input.name, inType: input.type as FloatType, outName: output.name, outType: output.type as FloatType };
}

export interface VaeEncoderIO {
  inName: string;
  inType: FloatType;
  outName: string;
  outType: FloatType;
  /** latent_parameters = mean ‖ logvar (take the mean); latent_sample = sampled in-graph. */
  output: 'latent_parameters' | 'latent_sample';
}

export function describeVaeEncoder(c: LoadedComponent): VaeEncoderIO {
  const input = find(c.inputs, ['sample']) ?? (c.inputs.length === 1 ? c.inputs[0] : undefined);
  const params = find(c.outputs, ['latent_parameters']);
  const sampled = find(c.outputs, ['latent_sample', 'latent_dist']);
  const output = params ?? sampled;
  if (!input || !output) throw badIo(c, 'inputs/outputs', "'sample' [batch, 3, H, W] → 'latent_parameters' [batch, 8, h, w] or 'latent_sample' [batch, 4, h, w]");
  requireType(c, input, FLOATS);
  requireType(c, output, FLOATS);
  return {
    inName: input.name,
    inType: input.type as FloatType,
    outName: output.name,
    outType: output.type as FloatType,
    output: params ? 'latent_parameters' : 'latent_sample',
  };
}

export type ComponentIO = { component: ComponentName; inputs: readonly TensorIO[]; outputs: readonly TensorIO[] };
