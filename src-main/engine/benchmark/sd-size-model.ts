import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { demoClipVocabulary, writeClipTokenizerFiles } from '../demo/clip-vocabulary';
import { onnxModelIndex } from '../demo/demo-model';
import { SD2_BASE_SCHEDULER_JSON } from '../scheduler/config';
import { uniformGenerator } from '../demo/random';
import { GraphBuilder, attr, writeModel } from '../onnx';

/**
 * A benchmark model with the compute of Stable Diffusion 2.1-base and random weights, written by
 * our own graph writer so GPU throughput can be measured where no real weights may be
 * downloaded. The UNet has SD 2.1-base's layout: block channels 320/640/1280/1280, two ResNets
 * per level, CrossAttnDown×3 + Down, mid block with cross-attention, Up + CrossAttnUp×3 with
 * three ResNets each, head dim 64 (5/10/20/20 heads), linear projections, GEGLU feed-forward,
 * cross-attention to 77×1024 text states, GroupNorm(32) everywhere. The VAE decoder has SD's
 * layout (512/512/256/128, three ResNets per level, mid attention). The text encoder is NOT SD's
 * (one projection to 1024 wide states): it runs once per prompt and is not what is measured.
 * Generated on demand into a cache folder, never committed (3.5 GB of fp32 weights at full size).
 */
export interface SdSizeOptions {
  /** Channel widths × scale (1 = SD 2.1). Widths stay multiples of 64 so heads keep dim 64. */
  readonly scale?: number;
  readonly seed?: number;
}

export const SD21_BASE = {
  blockChannels: [320, 640, 1280, 1280],
  attention: [true, true, true, false],
  layersPerBlock: 2,
  headDim: 64,
  crossAttentionDim: 1024,
  textLength: 77,
  groups: 32,
  vaeChannels: [128, 256, 512, 512],
} as const;

export function scaledWidth(channels: number, scale: number): number {
  const c = Math.round((channels * scale) / 64) * 64;
  if (c < 64) throw new Error(`scale ${scale} makes a ${channels}-channel block narrower than 64 channels; use a larger scale (0.2 gives widths 64/128/256/256)`);
  return c;
}

/** VAE widths need only GroupNorm(32): multiples of 32, at least 32. */
export function scaledVaeWidth(channels: number, scale: number): number {
  return Math.max(32, Math.round((channels * scale) / 32) * 32);
}

/** Builds graphs with seeded uniform weights of variance 1/fan_in (activations stay O(1)). */
class Net {
  private readonly random: () => number;
  private count = 0;
  parameters = 0;

  /** `countOnly`: count parameters without allocating them (the graph is then not runnable). */
  constructor(
    readonly g: GraphBuilder,
    seed: number,
    private readonly countOnly = false,
  ) {
    this.random = uniformGenerator(seed);
  }

  weight(dims: readonly number[], fanIn: number): string {
    const n = dims.reduce((a, b) => a * b, 1);
    if (this.countOnly) {
      this.parameters += n;
      return this.g.constFloat(0);
    }
    const data = new Float32Array(n);
    const a = Math.sqrt(3 / fanIn);
    for (let i = 0; i < n; i++) data[i] = (this.random() * 2 - 1) * a;
    this.parameters += n;
    return this.g.initializer(`w${this.count++}`, data, dims);
  }

  filled(n: number, value: number): string {
    this.parameters += n;
    if (this.countOnly) return this.g.constFloat(value);
    return this.g.initializer(`w${this.count++}`, new Float32Array(n).fill(value), [n]);
  }

  conv(x: string, cin: number, cout: number, k: number, stride = 1): string {
    const pad = (k - 1) / 2;
    return this.g.op('Conv', [x, this.weight([cout, cin, k, k], cin * k * k), this.filled(cout, 0)], { pads: [pad, pad, pad, pad], strides: [stride, stride] });
  }

  linear(x: string, cin: number, cout: number, bias = true): string {
    const y = this.g.op('MatMul', [x, this.weight([cin, cout], cin)]);
    return bias ? this.g.op('Add', [y, this.filled(cout, 0)]) : y;
  }

  silu(x: string): string {
    return this.g.op('Mul', [x, this.g.op('Sigmoid', [x])]);
  }

  gelu(x: string): string {
    const erf = this.g.op('Erf', [this.g.op('Mul', [x, this.g.constFloat(Math.SQRT1_2)])]);
    return this.g.op('Mul', [this.g.op('Mul', [x, this.g.constFloat(0.5)]), this.g.op('Add', [erf, this.g.constFloat(1)])]);
  }

  /** GroupNorm on NCHW as the SD exports lower it: InstanceNormalization over [B, G, C/G·H·W]. */
  groupNorm(x: string, channels: number, groups: number): string {
    const grouped = this.g.op('Reshape', [x, this.g.constInt64([0, groups, -1])]);
    const normed = this.g.op('InstanceNormalization', [grouped, this.g.constFloat(new Float32Array(groups).fill(1), [groups]), this.g.constFloat(new Float32Array(groups), [groups])], { epsilon: attr.float(1e-5) });
    const back = this.g.op('Reshape', [normed, this.g.op('Shape', [x])]);
    const gamma = this.g.op('Reshape', [this.filled(channels, 1), this.g.constInt64([channels, 1, 1])]);
    const beta = this.g.op('Reshape', [this.filled(channels, 0), this.g.constInt64([channels, 1, 1])]);
    return this.g.op('Add', [this.g.op('Mul', [back, gamma]), beta]);
  }

  layerNorm(x: string, channels: number): string {
    return this.g.op('LayerNormalization', [x, this.filled(channels, 1), this.filled(channels, 0)], { axis: -1, epsilon: attr.float(1e-5) });
  }

  resnet(x: string, cin: number, cout: number, groups: number, temb?: { value: string; channels: number }): string {
    let h = this.conv(this.silu(this.groupNorm(x, cin, groups)), cin, cout, 3);
    if (temb) {
      const t = this.linear(this.silu(temb.value), temb.channels, cout);
      h = this.g.op('Add', [h, this.g.op('Unsqueeze', [t, this.g.constInt64([2, 3])])]);
    }
    h = this.conv(this.silu(this.groupNorm(h, cout, groups)), cout, cout, 3);
    const skip = cin === cout ? x : this.conv(x, cin, cout, 1);
    return this.g.op('Add', [skip, h]);
  }

  /** Multi-head attention of [B, N, C] queries over [B, M, Ck] context. */
  attention(x: string, context: string, channels: number, contextChannels: number, headDim: number, qkvBias = false): string {
    const heads = channels / headDim;
    const split = (t: string) => this.g.op('Transpose', [this.g.op('Reshape', [t, this.g.constInt64([0, -1, heads, headDim])])], { perm: [0, 2, 1, 3] });
    const q = split(this.linear(x, channels, channels, qkvBias));
    const k = split(this.linear(context, contextChannels, channels, qkvBias));
    const v = split(this.linear(context, contextChannels, channels, qkvBias));
    const scores = this.g.op('Mul', [this.g.op('MatMul', [q, this.g.op('Transpose', [k], { perm: [0, 1, 3, 2] })]), this.g.constFloat(1 / Math.sqrt(headDim))]);
    const out = this.g.op('MatMul', [this.g.op('Softmax', [scores], { axis: -1 }), v]);
    const merged = this.g.op('Reshape', [this.g.op('Transpose', [out], { perm: [0, 2, 1, 3] }), this.g.constInt64([0, -1, channels])]);
    return this.linear(merged, channels, channels);
  }

  /** diffusers' Transformer2DModel with linear projection and one BasicTransformerBlock. */
  transformer(x: string, channels: number, context: string): string {
    const { groups, headDim, crossAttentionDim } = SD21_BASE;
    const shape = this.g.op('Shape', [x]);
    const tokens = this.g.op('Transpose', [this.g.op('Reshape', [this.groupNorm(x, channels, groups), this.g.constInt64([0, channels, -1])])], { perm: [0, 2, 1] });
    let h = this.linear(tokens, channels, channels);
    const norm1 = this.layerNorm(h, channels);
    h = this.g.op('Add', [h, this.attention(norm1, norm1, channels, channels, headDim)]);
    h = this.g.op('Add', [h, this.attention(this.layerNorm(h, channels), context, channels, crossAttentionDim, headDim)]);
    const projected = this.linear(this.layerNorm(h, channels), channels, channels * 8);
    const [value, gate] = this.g.node('Split', [projected, this.g.constInt64([channels * 4, channels * 4])], 2, { axis: -1 });
    h = this.g.op('Add', [h, this.linear(this.g.op('Mul', [value, this.gelu(gate)]), channels * 4, channels)]);
    h = this.linear(h, channels, channels);
    const back = this.g.op('Reshape', [this.g.op('Transpose', [h], { perm: [0, 2, 1] }), shape]);
    return this.g.op('Add', [back, x]);
  }

  upsample(x: string, channels: number): string {
    const up = this.g.op('Resize', [x, '', this.g.constFloat([1, 1, 2, 2], [4])], { mode: 'nearest' });
    return this.conv(up, channels, channels, 3);
  }
}

export function buildSdSizeUnet(options: SdSizeOptions = {}, countOnly = false): { graph: GraphBuilder; parameters: number } {
  const scale = options.scale ?? 1;
  const g = new GraphBuilder('sd21_size_unet');
  const net = new Net(g, options.seed ?? 1, countOnly);
  const { layersPerBlock, groups, crossAttentionDim, textLength } = SD21_BASE;
  const widths = SD21_BASE.blockChannels.map((c) => scaledWidth(c, scale));
  const base = widths[0];
  const tembChannels = base * 4;
  g.input('sample', 'float32', ['batch', 4, 'height', 'width']);
  g.input('timestep', 'int64', ['batch']);
  g.input('encoder_hidden_states', 'float32', ['batch', textLength, crossAttentionDim]);
  g.output('out_sample', 'float32', ['batch', 4, 'height', 'width']);

  // Sinusoidal timestep embedding (flip_sin_to_cos, shift 0), then the time MLP.
  const half = base / 2;
  const freqs = g.constFloat(Array.from({ length: half }, (_, i) => Math.exp((-Math.log(10000) * i) / half)), [1, half]);
  const args = g.op('Mul', [g.op('Unsqueeze', [g.op('Cast', ['timestep'], { to: 1 }), g.constInt64([1])]), freqs]);
  const sinusoid = g.op('Concat', [g.op('Cos', [args]), g.op('Sin', [args])], { axis: 1 });
  const temb = { value: net.linear(net.silu(net.linear(sinusoid, base, tembChannels)), tembChannels, tembChannels), channels: tembChannels };
  const context = 'encoder_hidden_states';

  let h = net.conv('sample', 4, base, 3);
  const skips: { value: string; channels: number }[] = [{ value: h, channels: base }];
  let channels = base;
  widths.forEach((out, level) => {
    for (let i = 0; i < layersPerBlock; i++) {
      h = net.resnet(h, channels, out, groups, temb);
      channels = out;
      if (SD21_BASE.attention[level]) h = net.transformer(h, channels, context);
      skips.push({ value: h, channels });
    }
    if (level < widths.length - 1) {
      h = net.conv(h, channels, channels, 3, 2);
      skips.push({ value: h, channels });
    }
  });
  h = net.resnet(h, channels, channels, groups, temb);
  h = net.transformer(h, channels, context);
  h = net.resnet(h, channels, channels, groups, temb);
  const upWidths = [...widths].reverse();
  const upAttention = [...SD21_BASE.attention].reverse();
  upWidths.forEach((out, level) => {
    for (let i = 0; i <= layersPerBlock; i++) {
      const skip = skips.pop()!;
      h = net.resnet(g.op('Concat', [h, skip.value], { axis: 1 }), channels + skip.channels, out, groups, temb);
      channels = out;
      if (upAttention[level]) h = net.transformer(h, channels, context);
    }
    if (level < upWidths.length - 1) h = net.upsample(h, channels);
  });
  h = net.conv(net.silu(net.groupNorm(h, channels, groups)), channels, 4, 3);
  g.node('Identity', [h], ['out_sample']);
  return { graph: g, parameters: net.parameters };
}

export function buildSdSizeVaeDecoder(options: SdSizeOptions = {}, countOnly = false): { graph: GraphBuilder; parameters: number } {
  const scale = options.scale ?? 1;
  const g = new GraphBuilder('sd_size_vae_decoder');
  const net = new Net(g, (options.seed ?? 1) + 1, countOnly);
  const { groups } = SD21_BASE;
  const widths = SD21_BASE.vaeChannels.map((c) => scaledVaeWidth(c, scale));
  g.input('latent_sample', 'float32', ['batch', 4, 'latent_height', 'latent_width']);
  g.output('sample', 'float32', ['batch', 3, 'height', 'width']);
  let channels = widths[widths.length - 1];
  let h = net.conv(net.conv('latent_sample', 4, 4, 1), 4, channels, 3);
  h = net.resnet(h, channels, channels, groups);
  // Mid-block self-attention: one head over all pixels (SD's VAE).
  const shape = g.op('Shape', [h]);
  const tokens = g.op('Transpose', [g.op('Reshape', [net.groupNorm(h, channels, groups), g.constInt64([0, channels, -1])])], { perm: [0, 2, 1] });
  const attended = net.attention(tokens, tokens, channels, channels, channels, true);
  h = g.op('Add', [h, g.op('Reshape', [g.op('Transpose', [attended], { perm: [0, 2, 1] }), shape])]);
  h = net.resnet(h, channels, channels, groups);
  [...widths].reverse().forEach((out, level) => {
    for (let i = 0; i < 3; i++) {
      h = net.resnet(h, channels, out, groups);
      channels = out;
    }
    if (level < widths.length - 1) h = net.upsample(h, channels);
  });
  h = net.conv(net.silu(net.groupNorm(h, channels, groups)), channels, 3, 3);
  g.node('Identity', [h], ['sample']);
  return { graph: g, parameters: net.parameters };
}

function buildTextEncoder(vocabularySize: number, seed: number): GraphBuilder {
  const g = new GraphBuilder('bench_text_encoder');
  const net = new Net(g, seed + 2);
  const D = SD21_BASE.crossAttentionDim;
  g.input('input_ids', 'int32', ['batch', 'sequence']);
  g.output('last_hidden_state', 'float32', ['batch', 'sequence', D]);
  g.output('pooler_output', 'float32', ['batch', D]);
  const hidden = g.op('Tanh', [net.linear(g.op('Gather', [net.weight([vocabularySize, D], 1), 'input_ids']), D, D)]);
  g.node('Identity', [hidden], ['last_hidden_state']);
  g.node('ReduceMean', [hidden], ['pooler_output'], { axes: [1], keepdims: 0 });
  return g;
}

/** Writes the benchmark model folder; returns the UNet's parameter count. */
export async function writeSdSizeModel(dir: string, options: SdSizeOptions = {}): Promise<{ unetParameters: number; vaeParameters: number }> {
  await mkdir(join(dir, 'scheduler'), { recursive: true });
  await writeFile(join(dir, 'model_index.json'), `${JSON.stringify(onnxModelIndex('OnnxStableDiffusionPipeline', 'DDIMScheduler', false), null, 2)}\n`);
  await writeFile(join(dir, 'scheduler', 'scheduler_config.json'), `${JSON.stringify(SD2_BASE_SCHEDULER_JSON, null, 2)}\n`);
  await writeClipTokenizerFiles(join(dir, 'tokenizer'));
  const vocab = demoClipVocabulary().tokens.length;
  const producer = 'latent-blending-studio benchmark (random weights, not Stable Diffusion)';
  await writeModel(join(dir, 'text_encoder', 'model.onnx'), { graph: buildTextEncoder(vocab, options.seed ?? 1), producer });
  const unet = buildSdSizeUnet(options);
  // External weights: a 2 GB protobuf limit applies to model.onnx itself.
  await writeModel(join(dir, 'unet', 'model.onnx'), { graph: unet.graph, producer }, { externalData: 'model.onnx_data' });
  const vae = buildSdSizeVaeDecoder(options);
  await writeModel(join(dir, 'vae_decoder', 'model.onnx'), { graph: vae.graph, producer }, { externalData: 'model.onnx_data' });
  return { unetParameters: unet.parameters, vaeParameters: vae.parameters };
}
