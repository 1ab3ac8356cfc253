import type { InferenceSession } from 'onnxruntime-node';

export interface IoEntry {
  readonly type: string;
  readonly shape: readonly (number | string)[];
}

/** name → element type and shape (numbers fixed, strings symbolic) of a session's inputs or outputs. */
export function ioSignature(metadata: readonly InferenceSession.ValueMetadata[]): Record<string, IoEntry> {
  const out: Record<string, IoEntry> = {};
  for (const m of metadata) {
    if (!m.isTensor) throw new Error(`ioSignature: "${m.name}" is not a tensor`);
    out[m.name] = { type: m.type, shape: [...m.shape] };
  }
  return out;
}
