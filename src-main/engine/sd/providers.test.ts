import type * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { ProviderSelector, explainProviderFailure, isProviderFailure, providerCandidates, type SessionFactory } from './providers';

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

describe('provider candidates', () => {
  it('prefers the platform GPU provider for auto and always ends with the CPU', () => {
    expect(providerCandidates('auto', 'linux')).toEqual(['cuda', 'cpu']);
    expect(providerCandidates('auto', 'win32')).toEqual(['dml', 'cpu']);
    expect(providerCandidates('auto', 'darwin')).toEqual(['coreml', 'cpu']);
    expect(providerCandidates('auto', 'freebsd')).toEqual(['cpu']);
    expect(providerCandidates('cuda', 'linux')).toEqual(['cuda', 'cpu']);
    expect(providerCandidates('cpu', 'linux')).toEqual(['cpu']);
  });
});

describe('ProviderSelector', () => {
  it('falls back from CUDA to CPU and keeps a reason a user can act on', async () => {
    const calls: string[] = [];
    const selector = new ProviderSelector({ provider: 'cuda' }, 'linux', factory({ cuda: CUDA_MISSING }, calls));
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
    const dml = new ProviderSelector({ provider: 'dml' }, 'linux', factory({}, calls));
    await dml.create('/m/unet/model.onnx');
    expect(calls).toEqual(['cpu']);
    expect(dml.status.fallbackReason).toBe('DirectML is only available on Windows (this is linux)');
    const coreml = new ProviderSelector({ provider: 'coreml' }, 'win32', factory({}));
    await coreml.create('/x');
    expect(coreml.status.fallbackReason).toMatch(/CoreML is only available on macOS/);
  });

  it('uses the provider chosen by the first session for the rest of the model', async () => {
    const calls: string[] = [];
    const selector = new ProviderSelector({ provider: 'auto' }, 'linux', factory({ cuda: CUDA_MISSING }, calls));
    await selector.create('/m/unet/model.onnx');
    await selector.create('/m/text_encoder/model.onnx');
    await selector.create('/m/vae_decoder/model.onnx');
    expect(calls).toEqual(['cuda', 'cpu', 'cpu', 'cpu']);
  });

  it('reports no fallback when the requested provider works', async () => {
    const selector = new ProviderSelector({ provider: 'cuda' }, 'linux', factory({}));
    await selector.create('/x');
    expect(selector.status).toEqual({ requested: 'cuda', active: 'cuda', fallbackReason: undefined });
  });

  it('rethrows model errors instead of hiding them behind a fallback', async () => {
    const broken = 'Load model from /m/unet/model.onnx failed:Protobuf parsing failed.';
    const selector = new ProviderSelector({ provider: 'cuda' }, 'linux', factory({ cuda: broken, cpu: broken }));
    await expect(selector.create('/m/unet/model.onnx')).rejects.toThrow(/Protobuf parsing failed/);
  });

  it('passes the configured session options through', async () => {
    let seen: ort.InferenceSession.SessionOptions | undefined;
    const selector = new ProviderSelector({ provider: 'cpu', graphOptimizationLevel: 'basic', intraOpNumThreads: 3 }, 'linux', async (_p, o) => {
      seen = o;
      return fakeSession;
    });
    await selector.create('/x');
    expect(seen).toMatchObject({ executionProviders: ['cpu'], graphOptimizationLevel: 'basic', intraOpNumThreads: 3 });
  });
});

describe('provider failure messages', () => {
  it('classifies real ONNX Runtime messages', () => {
    expect(isProviderFailure(CUDA_MISSING)).toBe(true);
    expect(isProviderFailure('no available backend found. ERR: [dml] backend not found.')).toBe(true);
    expect(isProviderFailure('Load model from x failed:Protobuf parsing failed.')).toBe(false);
    expect(explainProviderFailure('dml', 'no available backend found. ERR: [dml] backend not found.')).toBe(
      'DirectML provider is not included in this onnxruntime-node build',
    );
  });
});
