import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromHalfBits, toHalfBits } from '../numeric/float16';
import { GraphBuilder, attr } from './graph-builder';
import { buildModel, writeModel } from './model';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lbs-onnx-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** y = x·W + b with x [batch, 3], W [3, 2]. */
const W = [1, 2, -1, 0.5, 3, -2];
const B = [0.25, -4];
function affineGraph(): GraphBuilder {
  const g = new GraphBuilder('affine');
  g.input('x', 'float32', ['batch', 3]);
  g.output('y', 'float32', ['batch', 2]);
  const w = g.initializer('W', W, [3, 2]);
  const b = g.initializer('b', B, [2]);
  g.node('Add', [g.op('MatMul', ['x', w]), b], ['y']);
  return g;
}
function affineExpected(x: number[], batch: number): number[] {
  const y: number[] = [];
  for (let r = 0; r < batch; r++) {
    for (let c = 0; c < 2; c++) {
      let s = B[c];
      for (let k = 0; k < 3; k++) s += x[r * 3 + k] * W[k * 2 + c];
      y.push(s);
    }
  }
  return y;
}

async function runAffine(path: string): Promise<void> {
  const session = await ort.InferenceSession.create(path);
  const x = [1, 2, 3, -1, 0.5, 4];
  const { y } = await session.run({ x: new ort.Tensor('float32', Float32Array.from(x), [2, 3]) });
  expect(y.dims).toEqual([2, 2]);
  const expected = affineExpected(x, 2);
  Array.from(y.data as Float32Array).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
}

describe('float16 conversion', () => {
  it('matches IEEE 754 half bit patterns', () => {
    expect(toHalfBits(1)).toBe(0x3c00);
    expect(toHalfBits(-2)).toBe(0xc000);
    expect(toHalfBits(65504)).toBe(0x7bff); // largest finite half
    expect(toHalfBits(65520)).toBe(0x7c00); // rounds up to +Inf
    expect(toHalfBits(0.1)).toBe(0x2e66);
    expect(toHalfBits(2 ** -14)).toBe(0x0400); // smallest normal
    expect(toHalfBits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(toHalfBits(2 ** -26)).toBe(0x0000); // underflows to zero
    expect(toHalfBits(1 + 2 ** -11)).toBe(0x3c00); // tie rounds to even
    expect(toHalfBits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(Number.isNaN(fromHalfBits(toHalfBits(NaN)))).toBe(true);
    expect(fromHalfBits(0x3555)).toBeCloseTo(0.333251953125, 12);
    expect(fromHalfBits(0x0001)).toBe(2 ** -24);
  });
});

describe('GraphBuilder + writeModel', () => {
  it('round-trips a small graph through onnxruntime with correct numbers', async () => {
    const path = join(dir, 'inline', 'model.onnx');
    await writeModel(path, { graph: affineGraph() });
    await runAffine(path);
  });

  it('produces the same bytes every time', () => {
    expect(Buffer.from(buildModel({ graph: affineGraph() })).equals(Buffer.from(buildModel({ graph: affineGraph() })))).toBe(true);
  });

  it.each(['model.onnx_data', 'weights.pb'] as const)('stores weights in %s and onnxruntime finds them', async (file) => {
    const path = join(dir, file, 'model.onnx');
    const written = await writeModel(path, { graph: affineGraph() }, { externalData: file, externalDataThreshold: 0 });
    expect(written).toEqual([path, join(dir, file, file)]);
    // W (24 bytes) and b (8 bytes, at a 16-aligned offset) both live outside the model file.
    expect((await stat(join(dir, file, file))).size).toBe(32 + 8);
    const modelBytes = await readFile(path);
    expect(modelBytes.includes(Buffer.from(Float32Array.from(W).buffer))).toBe(false);
    await runAffine(path);
  });

  it('keeps initializers under the threshold inline', async () => {
    const path = join(dir, 'threshold', 'model.onnx');
    await writeModel(path, { graph: affineGraph() }, { externalData: 'model.onnx_data', externalDataThreshold: 16 });
    expect((await stat(join(dir, 'threshold', 'model.onnx_data'))).size).toBe(24); // only W
    await runAffine(path);
  });

  it('handles float16 inputs, outputs and weights', async () => {
    const g = new GraphBuilder('half');
    g.input('x', 'float16', ['n']);
    g.output('y', 'float16', ['n']);
    const scale = g.initializerFloat16('scale', [0.5, -3], [2]);
    const x32 = g.op('Cast', ['x'], { to: 1 });
    const s32 = g.op('Cast', [scale], { to: 1 });
    const y32 = g.op('Mul', [g.op('Unsqueeze', [x32, g.constInt64([1])]), s32]); // [n, 2]
    g.node('Cast', [g.op('ReduceSum', [y32, g.constInt64([1])], { keepdims: 0 })], ['y'], { to: 10 });
    const path = join(dir, 'half', 'model.onnx');
    await writeModel(path, { graph: g });
    const session = await ort.InferenceSession.create(path);
    const x = [1, 2.5, -4];
    const { y } = await session.run({ x: new ort.Tensor('float16', Uint16Array.from(x, toHalfBits), [3]) });
    expect(y.type).toBe('float16');
    const values = Array.from(y.data as Uint16Array, fromHalfBits);
    expect(values).toEqual(x.map((v) => v * 0.5 + v * -3)); // exact in half precision
  });

  it('writes int64 constants, float attributes and 0-d scalar inputs', async () => {
    const g = new GraphBuilder('misc');
    g.input('s', 'float32', []);
    g.input('v', 'float32', [2, 3]);
    g.output('y', 'float32', [3, 2]);
    const reshaped = g.op('Reshape', ['v', g.constInt64([3, 2])]);
    const leaky = g.op('LeakyRelu', [reshaped], { alpha: attr.float(0.25) });
    g.node('Mul', [leaky, 's'], ['y']);
    const path = join(dir, 'misc', 'model.onnx');
    await writeModel(path, { graph: g });
    const session = await ort.InferenceSession.create(path);
    expect(session.inputNames).toEqual(['s', 'v']);
    const v = [1, -2, 3, -4, 5, -8];
    const { y } = await session.run({
      s: new ort.Tensor('float32', Float32Array.from([2]), []),
      v: new ort.Tensor('float32', Float32Array.from(v), [2, 3]),
    });
    expect(y.dims).toEqual([3, 2]);
    expect(Array.from(y.data as Float32Array)).toEqual(v.map((x) => 2 * (x < 0 ? 0.25 * x : x)));
  });

  it('rejects graphs that read undefined values or never produce an output', () => {
    const g = new GraphBuilder('broken');
    g.input('x', 'float32', [1]);
    g.op('Relu', ['nope']);
    expect(() => buildModel({ graph: g })).toThrow(/reads "nope", which no input/);
    const h = new GraphBuilder('missing');
    h.input('x', 'float32', [1]);
    h.output('y', 'float32', [1]);
    expect(() => buildModel({ graph: h })).toThrow(/output "y" is declared but no node produces it/);
    expect(() => h.input('x', 'float32', [1])).toThrow(/"x" .* is already used/);
  });

  it('refuses float attributes passed as plain numbers', () => {
    const g = new GraphBuilder('attr');
    g.input('x', 'float32', [1]);
    g.output('y', 'float32', [1]);
    g.node('LeakyRelu', ['x'], ['y'], { alpha: 0.5 });
    expect(() => buildModel({ graph: g })).toThrow(/alpha: 0.5 is not an integer; wrap floats with attr.float/);
  });
});
