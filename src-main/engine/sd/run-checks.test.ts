import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../errors';
import { writeFixtureModel } from '../testing/fixture-model';
import { GraphBuilder } from '../onnx/graph-builder';
import { writeModel } from '../onnx/model';
import { loadStableDiffusion } from './pipeline';
import { checkFinite, explainRunFailure } from './run-checks';

const SWIFTSHADER = { name: 'SwiftShader Device Subzero', backend: 'Vulkan', vendor: 'google', architecture: 'swiftshader', description: '', software: true, shaderF16: false };

describe('non-finite model output', () => {
  it('stops with the component, the place and the provider, and passes finite data', () => {
    expect(() => checkFinite(new Float32Array([0, -1e30, 3]), { what: 'The UNet', provider: { requested: 'cpu', active: 'cpu' } })).not.toThrow();
    const nan = (() => {
      try {
        checkFinite(new Float32Array([0, Number.NaN]), { what: 'The UNet', at: 'timestep 981', provider: { requested: 'webgpu', active: 'webgpu', adapter: SWIFTSHADER } });
      } catch (error) {
        return error as EngineError;
      }
    })();
    expect(nan).toBeInstanceOf(EngineError);
    expect(nan!.code).toBe('NON_FINITE_OUTPUT');
    expect(nan!.message).toBe('The UNet produced NaN at timestep 981 on WebGPU (SwiftShader Device Subzero (software) · Vulkan); the job stopped instead of writing broken frames.');
    expect(nan!.hint).toMatch(/fp32 export/);
    expect(() => checkFinite(new Float32Array([Number.POSITIVE_INFINITY]), { what: 'The VAE decoder', provider: { requested: 'cpu', active: 'cpu' } })).toThrow(/produced infinite values on CPU/);
  });

  it('a UNet that returns NaN fails the trajectory instead of producing a black keyframe', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'lbs-nan-')), 'model');
    await writeFixtureModel(dir, {});
    // Replace the UNet with one of the same I/O whose output is sqrt(−(|x| + 1)) = NaN.
    const g = new GraphBuilder('nan_unet');
    g.input('sample', 'float32', ['batch', 4, 'height', 'width']);
    g.input('timestep', 'int64', ['batch']);
    g.input('encoder_hidden_states', 'float32', ['batch', 'sequence', 32]);
    g.output('out_sample', 'float32', ['batch', 4, 'height', 'width']);
    g.node('Sqrt', [g.op('Neg', [g.op('Add', [g.op('Abs', ['sample']), g.constFloat(1)])])], ['out_sample']);
    await writeModel(join(dir, 'unet', 'model.onnx'), { graph: g });
    const sd = await loadStableDiffusion(dir, { provider: 'cpu' });
    try {
      const c = await sd.encodePrompt('x');
      const run = sd.runTrajectories([{ startLatent: sd.initialNoise(0, 64, 64), startStep: 0, cond: c.embedding, uncond: c.embedding, guidance: 7.5 }], sd.makeSchedule('ddim', 3));
      await expect(run).rejects.toMatchObject({ code: 'NON_FINITE_OUTPUT', message: expect.stringMatching(/^The UNet produced NaN at timestep \d+ on CPU/) });
    } finally {
      await sd.dispose();
    }
  });
});

describe('run-time provider failures', () => {
  it("names the missing shader-f16 instead of ONNX Runtime's shader message", () => {
    const raw = new Error("Non-zero status code returned while running Cast node. Name:'Cast_node_9' Status Message: shader_helper.cc:416 GenerateSourceCode Program Cast requires f16 but the device does not support it.");
    const explained = explainRunFailure(raw, { requested: 'webgpu', active: 'webgpu', adapter: SWIFTSHADER }) as EngineError;
    expect(explained.code).toBe('PROVIDER_UNAVAILABLE');
    expect(explained.message).toMatch(/^This fp16 model cannot run on WebGPU \(SwiftShader .*\): the GPU adapter has no shader-f16/);
    const other = new Error('Protobuf parsing failed');
    expect(explainRunFailure(other, { requested: 'cpu', active: 'cpu' })).toBe(other);
  });
});
