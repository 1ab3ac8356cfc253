import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphBuilder } from '../onnx/graph-builder';
import { writeModel } from '../onnx/model';
import { OnnxLpipsMetric } from './lpips-onnx';
import { createPerceptualMetric, LPIPS_MODEL_FILE } from './perceptual';

/**
 * An LPIPS-shaped stand-in: two [1, 3, S, S] inputs in [−1, 1], output mean |in0 − in1| over
 * a [1, 1, 1, 1] map (real LPIPS exports end in the same spatially averaged shape). It checks
 * the wiring — input names, scaling to [−1, 1], channel order, output reduction — not LPIPS.
 */
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lbs-lpips-'));
  const g = new GraphBuilder('lpips_fixture');
  const a = g.input('in0', 'float32', [1, 3, 'height', 'width']);
  const b = g.input('in1', 'float32', [1, 3, 'height', 'width']);
  const [diff] = g.node('Sub', [a, b], 1);
  const [abs] = g.node('Abs', [diff], 1);
  g.node('ReduceMean', [abs], ['distance'], { axes: [1, 2, 3], keepdims: 1 });
  g.output('distance', 'float32', [1, 1, 1, 1]);
  await writeModel(join(dir, LPIPS_MODEL_FILE), { graph: g });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const solid = (v: number) => ({ width: 32, height: 32, data: new Uint8Array(32 * 32 * 3).fill(v) });

describe('OnnxLpipsMetric', () => {
  it('feeds both images scaled to [−1, 1] and averages the output', async () => {
    const metric = await OnnxLpipsMetric.load(join(dir, LPIPS_MODEL_FILE), { size: 16 });
    expect(await metric.distance(solid(0), solid(0))).toBe(0);
    // black → −1, white → +1: mean |−1 − 1| = 2
    expect(await metric.distance(solid(0), solid(255))).toBeCloseTo(2, 6);
    // one channel only: red (255,0,0) vs black: channel R differs by 2, G and B by 0 → 2/3
    const red = { width: 32, height: 32, data: new Uint8Array(32 * 32 * 3) };
    for (let p = 0; p < 32 * 32; p++) red.data[p * 3] = 255;
    expect(await metric.distance(red, solid(0))).toBeCloseTo(2 / 3, 6);
    await metric.dispose();
  });

  it('is chosen by createPerceptualMetric when the model folder has lpips/model.onnx', async () => {
    const metric = await createPerceptualMetric(dir);
    expect(metric.name).toBe('lpips');
    await (metric as OnnxLpipsMetric).dispose();
  });

  it('says which file is broken', async () => {
    await expect(OnnxLpipsMetric.load(join(dir, 'missing.onnx'))).rejects.toThrow(/LPIPS model .*missing\.onnx could not be loaded/);
  });
});
