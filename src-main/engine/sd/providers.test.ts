import type * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import type { AdapterProbe, GpuAdapterInfo } from './gpu-adapter';
import { ProviderSelector, explainProviderFailure, isProviderFailure, providerCandidates, type ProviderEnvironment, type SessionFactory } from './providers';

const fakeSession = { inputMetadata: [], outputMetadata: [] } as unknown as ort.InferenceSession;

/** A session factory that fails for the listed providers with ONNX Runtime's real messages. */
function factory(failures: Record<string, string>, calls: string[] = []): SessionFactory {
  return async (_path, options) => {
    const ep = String(options.executionProviders?.[0]);
    calls.push(ep);
    if (failures[ep]) throw new Error(failures[ep]);
    return fakeSession;
  };
}

const CUDA_MISSING = 'OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library';
// ONNX Runtime 1.30's message when Dawn finds no adapter (seen here without SwiftShader).
const WEBGPU_NO_ADAPTER =
  'webgpu_context.cc:136 adapter_result.status == wgpu::RequestAdapterStatus::Success was false. Failed to get a WebGPU adapter: No supported adapters';

const H200: GpuAdapterInfo = { name: 'NVIDIA H200', backend: 'Vulkan', vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA 570.86', software: false, shaderF16: true };
const SWIFTSHADER: GpuAdapterInfo = {
  name: 'SwiftShader Device Subzero', backend: 'Vulkan', vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader driver 5.0.0', software: true, shaderF16: false,
};
const NO_ADAPTER: AdapterProbe = { found: false, reason: 'no usable GPU adapter found (Dawn: Vulkan shaderUniform*ArrayDynamicIndexing required.); to fix, install the Vulkan driver of your GPU' };

/** A machine: its platform, whether CUDA's binaries were downloaded, and what Dawn finds. */
function machine(platform: NodeJS.Platform, options: { cuda?: boolean; adapter?: GpuAdapterInfo } = {}): ProviderEnvironment {
  return {
    platform,
    cudaBinaries: () => options.cuda ?? false,
    probeAdapter: async () => (options.adapter ? { found: true, adapter: options.adapter } : NO_ADAPTER),
  };
}

describe('provider candidates', () => {
  it('tries the documented order per platform for auto and always ends with the CPU', () => {
    expect(providerCandidates('auto', 'linux')).toEqual(['cuda', 'webgpu', 'cpu']);
    expect(providerCandidates('auto', 'win32')).toEqual(['cuda', 'dml', 'webgpu', 'cpu']);
    expect(providerCandidates('auto', 'darwin')).toEqual(['coreml', 'webgpu', 'cpu']);
    expect(providerCandidates('webgpu', 'darwin')).toEqual(['webgpu', 'cpu']);
    expect(providerCandidates('auto', 'freebsd')).toEqual(['cpu']);
    expect(providerCandidates('cuda', 'linux')).toEqual(['cuda', 'cpu']);
    expect(providerCandidates('cpu', 'linux')).toEqual(['cpu']);
  });
});

describe('ProviderSelector', () => {
  it('falls back from CUDA to CPU and keeps a reason a user can act on', async () => {
    const calls: string[] = [];
    const selector = new ProviderSelector({ provider: 'cuda' }, machine('linux'), factory({ cuda: CUDA_MISSING }, calls));
    await selector.create('/m/unet/model.onnx');
    expect(calls).toEqual(['cuda', 'cpu']);
    const status = selector.status;
    expect(status.active).toBe('cpu');
    expect(status.requested).toBe('cuda');
    expect(status.fallbackReason).toMatch(/CUDA provider could not be loaded/);
    expect(status.fallbackReason).toMatch(/ONNXRUNTIME_NODE_INSTALL=skip|CUDA 12/);
  });

  it('does not try DirectML or CoreML on the wrong platform and says why', async () => {
    const calls: string[] = [];
    const dml = new ProviderSelector({ provider: 'dml' }, machine('linux'), factory({}, calls));
    await dml.create('/m/unet/model.onnx');
    expect(calls).toEqual(['cpu']);
    expect(dml.status.fallbackReason).toBe('DirectML is only available on Windows (this is linux)');
    const coreml = new ProviderSelector({ provider: 'coreml' }, machine('win32'), factory({}));
    await coreml.create('/x');
    expect(coreml.status.fallbackReason).toMatch(/CoreML is only available on macOS/);
  });

  it('uses the provider chosen by the first session for the rest of the model', async () => {
    const calls: string[] = [];
    const selector = new ProviderSelector({ provider: 'auto' }, machine('linux', { cuda: true }), factory({ cuda: CUDA_MISSING }, calls));
    await selector.create('/m/unet/model.onnx');
    await selector.create('/m/text_encoder/model.onnx');
    await selector.create('/m/vae_decoder/model.onnx');
    expect(calls).toEqual(['cuda', 'cpu', 'cpu', 'cpu']);
  });

  it('reports no fallback when the requested provider works', async () => {
    const selector = new ProviderSelector({ provider: 'cuda' }, machine('linux'), factory({}));
    await selector.create('/x');
    expect(selector.status).toEqual({ requested: 'cuda', active: 'cuda', fallbackReason: undefined });
  });

  it('rethrows model errors instead of hiding them behind a fallback', async () => {
    const broken = 'Load model from /m/unet/model.onnx failed:Protobuf parsing failed.';
    const selector = new ProviderSelector({ provider: 'cuda' }, machine('linux'), factory({ cuda: broken, cpu: broken }));
    await expect(selector.create('/m/unet/model.onnx')).rejects.toThrow(/Protobuf parsing failed/);
  });

  it('passes the configured session options through', async () => {
    let seen: ort.InferenceSession.SessionOptions | undefined;
    const selector = new ProviderSelector({ provider: 'cpu', graphOptimizationLevel: 'basic', intraOpNumThreads: 3 }, machine('linux'), async (_p, o) => {
      seen = o;
      return fakeSession;
    });
    await selector.create('/x');
    expect(seen).toMatchObject({ executionProviders: ['cpu'], graphOptimizationLevel: 'basic', intraOpNumThreads: 3 });
  });
});

describe('auto on each platform', () => {
  it('Linux with CUDA binaries and a GPU: CUDA, and says so without a warning', async () => {
    const calls: string[] = [];
    const selector = new ProviderSelector({ provider: 'auto' }, machine('linux', { cuda: true, adapter: H200 }), factory({}, calls));
    await selector.create('/m/unet/model.onnx');
    expect(calls).toEqual(['cuda']);
    expect(selector.status).toMatchObject({ requested: 'auto', active: 'cuda', fallbackReason: undefined, choice: 'CUDA' });
  });

  it('Linux without CUDA binaries: does not even try CUDA, picks WebGPU on the hardware adapter and says why', async () => {
    const calls: string[] = [];
    const selector = new ProviderSelector({ provider: 'auto' }, machine('linux', { adapter: H200 }), factory({}, calls));
    await selector.create('/m/unet/model.onnx');
    expect(calls).toEqual(['webgpu']);
    const status = selector.status;
    expect(status.active).toBe('webgpu');
    expect(status.fallbackReason).toBeUndefined();
    expect(status.adapter).toEqual(H200);
    expect(status.choice).toMatch(/^WebGPU on NVIDIA H200 · Vulkan \(CUDA: onnxruntime-node's CUDA binaries are not installed/);
  });

  it('Linux with CUDA binaries that fail to load: WebGPU next, with CUDA\'s reason', async () => {
    const calls: string[] = [];
    const selector = new ProviderSelector({ provider: 'auto' }, machine('linux', { cuda: true, adapter: H200 }), factory({ cuda: CUDA_MISSING }, calls));
    await selector.create('/x');
    expect(calls).toEqual(['cuda', 'webgpu']);
    expect(selector.status.choice).toMatch(/CUDA provider could not be loaded/);
  });

  it('Linux with only SwiftShader: never picks a software adapter, runs on the CPU and says no GPU was found', async () => {
    const calls: string[] = [];
    const selector = new ProviderSelector({ provider: 'auto' }, machine('linux', { adapter: SWIFTSHADER }), factory({}, calls));
    await selector.create('/x');
    expect(calls).toEqual(['cpu']);
    const status = selector.status;
    expect(status).toMatchObject({ requested: 'auto', active: 'cpu', fallbackReason: undefined });
    expect(status.choice).toMatch(/^No GPU found, running on the CPU \(CUDA: .*; WebGPU: the only GPU adapter is SwiftShader Device Subzero \(software\) · Vulkan, a CPU emulation/);
  });

  it('Linux with no adapter at all: CPU, with Dawn\'s reason and the fix', async () => {
    const selector = new ProviderSelector({ provider: 'auto' }, machine('linux'), factory({}));
    await selector.create('/x');
    expect(selector.status.active).toBe('cpu');
    expect(selector.status.choice).toContain('WebGPU: no usable GPU adapter found (Dawn: Vulkan shaderUniform*ArrayDynamicIndexing required.); to fix, install the Vulkan driver');
  });

  it('Linux with a hardware GPU that refuses every session: says the GPU could not be used (not "no GPU")', async () => {
    const selector = new ProviderSelector({ provider: 'auto' }, machine('linux', { adapter: H200 }), factory({ webgpu: WEBGPU_NO_ADAPTER }));
    await selector.create('/x');
    expect(selector.status.choice).toMatch(/^The GPU could not be used, running on the CPU/);
  });

  it('Windows: CUDA when installed, else DirectML, then WebGPU', async () => {
    const withCuda: string[] = [];
    await new ProviderSelector({ provider: 'auto' }, machine('win32', { cuda: true, adapter: H200 }), factory({}, withCuda)).create('/x');
    expect(withCuda).toEqual(['cuda']);
    const noDml: string[] = [];
    const selector = new ProviderSelector(
      { provider: 'auto' },
      machine('win32', { adapter: { ...H200, backend: 'D3D12' } }),
      factory({ dml: 'no available backend found. ERR: [dml] backend not found.' }, noDml),
    );
    await selector.create('/x');
    expect(noDml).toEqual(['dml', 'webgpu']);
    expect(selector.status.choice).toMatch(/^WebGPU on NVIDIA H200 · D3D12 \(CUDA: .*; DirectML provider is not included in this onnxruntime-node build\)$/);
  });

  it('macOS: CoreML first, WebGPU over Metal when CoreML fails, never CUDA', async () => {
    const calls: string[] = [];
    const apple: GpuAdapterInfo = { ...H200, name: 'Apple M3', backend: 'Metal', vendor: 'apple' };
    const selector = new ProviderSelector({ provider: 'auto' }, machine('darwin', { cuda: true, adapter: apple }), factory({ coreml: 'CoreML EP failed' }, calls));
    await selector.create('/x');
    expect(calls).toEqual(['coreml', 'webgpu']);
    expect(selector.status.choice).toMatch(/^WebGPU on Apple M3 · Metal/);
  });
});

describe('WebGPU chosen by the user', () => {
  it('runs on a software adapter when asked for (CI does) and reports the adapter', async () => {
    const calls: string[] = [];
    const selector = new ProviderSelector({ provider: 'webgpu' }, machine('linux', { adapter: SWIFTSHADER }), factory({}, calls));
    await selector.create('/x');
    expect(calls).toEqual(['webgpu']);
    expect(selector.status).toMatchObject({ requested: 'webgpu', active: 'webgpu', fallbackReason: undefined, adapter: SWIFTSHADER });
  });

  it('falls back to the CPU with the adapter problem and its fix as the warning', async () => {
    const calls: string[] = [];
    const selector = new ProviderSelector({ provider: 'webgpu' }, machine('linux'), factory({ webgpu: WEBGPU_NO_ADAPTER }, calls));
    await selector.create('/x');
    expect(calls).toEqual(['webgpu', 'cpu']);
    expect(selector.status.active).toBe('cpu');
    expect(selector.status.fallbackReason).toBe(`WebGPU provider found no GPU adapter: ${NO_ADAPTER.found ? '' : NO_ADAPTER.reason}`);
  });

  it('is refused on a platform without it, without being tried', async () => {
    const calls: string[] = [];
    const selector = new ProviderSelector({ provider: 'webgpu' }, machine('freebsd'), factory({}, calls));
    await selector.create('/x');
    expect(calls).toEqual(['cpu']);
    expect(selector.status.fallbackReason).toMatch(/WebGPU is only bundled with onnxruntime-node on Linux, Windows and macOS/);
  });

  it('moves the whole model to the CPU when it cannot run on the adapter after all (fp16 without shader-f16)', async () => {
    const calls: string[] = [];
    const selector = new ProviderSelector({ provider: 'webgpu' }, machine('linux', { adapter: SWIFTSHADER }), factory({}, calls));
    await selector.create('/m/unet/model.onnx');
    selector.fallBackToCpu('this fp16 model needs shader-f16');
    await selector.create('/m/unet/model.onnx');
    expect(calls).toEqual(['webgpu', 'cpu']);
    expect(selector.status).toMatchObject({ active: 'cpu', fallbackReason: 'this fp16 model needs shader-f16' });
  });
});

describe('provider failure messages', () => {
  it('classifies real ONNX Runtime messages', () => {
    expect(isProviderFailure(CUDA_MISSING)).toBe(true);
    expect(isProviderFailure('no available backend found. ERR: [dml] backend not found.')).toBe(true);
    expect(isProviderFailure('Load model from x failed:Protobuf parsing failed.')).toBe(false);
    expect(isProviderFailure(WEBGPU_NO_ADAPTER)).toBe(true);
    expect(explainProviderFailure('dml', 'no available backend found. ERR: [dml] backend not found.')).toBe(
      'DirectML provider is not included in this onnxruntime-node build',
    );
  });
});
