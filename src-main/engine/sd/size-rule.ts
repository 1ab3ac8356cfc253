import { readFileSync, statSync } from 'node:fs';
import onnxProto from 'onnx-proto';
import { EngineError } from '../errors';
import type { TensorIO } from './components';
import type { UnetSizeRule } from './types';

const { onnx } = onnxProto;

/** The VAE's factor between image pixels and latent cells (every SD 1/2 VAE). */
export const VAE_FACTOR = 8;
/** Halvings of the latent in an SD 2 UNet (three downsamplers): images in multiples of 64 px. */
export const SD2_UNET_HALVINGS = 3;
/** Larger unet/model.onnx files hold their weights inline; reading the graph would read gigabytes. */
const GRAPH_READ_LIMIT_BYTES = 64 * 1024 * 1024;

/** Stride-2 (or larger, counted as log2) spatial downsamplers in an ONNX graph: Conv and pools. */
export function countHalvings(graph: { node?: ReadonlyArray<{ opType?: string | null; attribute?: ReadonlyArray<{ name?: string | null; ints?: ReadonlyArray<number | { toNumber(): number }> | null }> | null }> | null }): number {
  let halvings = 0;
  for (const node of graph.node ?? []) {
    if (!['Conv', 'MaxPool', 'AveragePool'].includes(node.opType ?? '')) continue;
    const strides = (node.attribute ?? []).find((a) => a.name === 'strides')?.ints ?? [];
    const largest = Math.max(1, ...strides.map((s) => (typeof s === 'number' ? s : s.toNumber())));
    halvings += Math.round(Math.log2(largest));
  }
  return halvings;
}

/** Read the rule from the UNet's `sample` input (session metadata) and, when symbolic, its graph. */
export function readUnetSizeRule(unetFile: string, inputs: readonly TensorIO[]): UnetSizeRule {
  const sample = inputs.find((io) => io.name === 'sample');
  const [h, w] = [sample?.shape[2], sample?.shape[3]];
  if (typeof h === 'number' && typeof w === 'number') return { kind: 'fixed', width: w * VAE_FACTOR, height: h * VAE_FACTOR };
  let halvings: number | undefined;
  try {
    if (statSync(unetFile).size <= GRAPH_READ_LIMIT_BYTES) {
      const model = onnx.ModelProto.decode(readFileSync(unetFile));
      if (model.graph) halvings = countHalvings(model.graph);
    }
  } catch {
    // The session loaded this file already; a graph we cannot read falls back to SD 2's layout.
  }
  if (halvings === undefined) return { kind: 'multiple', multiple: VAE_FACTOR * 2 ** SD2_UNET_HALVINGS, halvings: SD2_UNET_HALVINGS, from: 'sd2-default' };
  return { kind: 'multiple', multiple: VAE_FACTOR * 2 ** halvings, halvings, from: 'graph' };
}

/** The sizes that fit either side of `value` (only the smallest when `value` is below it). */
function nearest(value: number, multiple: number): number[] {
  const lower = Math.floor(value / multiple) * multiple;
  return lower < multiple ? [multiple] : [lower, lower + multiple];
}

/** Why `width`×`height` does not suit the rule, or null when it does. */
export function sizeProblem(rule: UnetSizeRule, width: number, height: number): string | null {
  if (rule.kind === 'fixed') {
    return width === rule.width && height === rule.height ? null : `this model's UNet was exported for ${rule.width}×${rule.height} only`;
  }
  const bad = ([['width', width], ['height', height]] as const).filter(([, v]) => v % rule.multiple !== 0);
  if (bad.length === 0) return null;
  const why = rule.from === 'graph' ? `its graph halves the latent ${rule.halvings} times` : 'as every SD 2 UNet, it halves the latent 3 times';
  const uses = bad.map(([name, v]) => `${name} ${nearest(v, rule.multiple).join(' or ')}`).join(', ');
  return `this model's UNet takes sizes in multiples of ${rule.multiple} px (${why}); use ${uses}`;
}

/** Refuse a size the model cannot take, before any work, with one message that says what to use. */
export function checkSizeForModel(rule: UnetSizeRule, width: number, height: number, modelName: string): void {
  const problem = sizeProblem(rule, width, height);
  if (!problem) return;
  throw new EngineError('MODEL_SIZE_UNSUPPORTED', `${width}×${height} does not fit ${modelName}: ${problem}.`, {
    hint: rule.kind === 'fixed' ? `Set the project's size to ${rule.width}×${rule.height}, or export the UNet with dynamic height and width.` : "Change Width and Height in the Project tab (or the project file's \"width\"/\"height\").",
  });
}
