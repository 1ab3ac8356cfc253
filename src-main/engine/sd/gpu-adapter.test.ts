import { describe, expect, it } from 'vitest';
import { useSwiftShader } from '../testing/swiftshader';
import { adapterFromDawn, adapterLabel, dawnBackend, explainNoAdapter, readableDeviceName, runAdapterProbe } from './gpu-adapter';

describe('adapter facts from Dawn', () => {
  it('names the device readably and knows software adapters and shader-f16', () => {
    const h200 = adapterFromDawn({ vendor: 'nvidia', architecture: 'hopper', device: 'nvidia-h200', description: 'NVIDIA: 570.86', features: ['shader-f16', 'subgroups'] }, 'linux');
    expect(h200).toEqual({ name: 'NVIDIA H200', backend: 'Vulkan', vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA: 570.86', software: false, shaderF16: true });
    expect(adapterLabel(h200)).toBe('NVIDIA H200 · Vulkan');
    // What Dawn reports for SwiftShader on this machine.
    const swift = adapterFromDawn({ vendor: 'google', architecture: 'swiftshader', device: 'swiftshader-device-subzero-', description: 'SwiftShader driver 5.0.0', features: ['subgroups'] }, 'linux');
    expect(swift.software).toBe(true);
    expect(swift.shaderF16).toBe(false);
    expect(adapterLabel(swift)).toBe('SwiftShader Device Subzero (software) · Vulkan');
    expect(adapterFromDawn({ vendor: 'microsoft', device: 'microsoft-basic-render-driver', isFallbackAdapter: true }, 'win32')).toMatchObject({ software: true, backend: 'D3D12' });
    expect(readableDeviceName('AMD Radeon RX 7900 XTX', '', 'amd')).toBe('AMD Radeon RX 7900 XTX');
    expect(readableDeviceName('', 'Apple M3 Max', 'apple')).toBe('Apple M3 Max');
    expect(dawnBackend('darwin')).toBe('Metal');
  });

  it("turns Dawn's warning into a reason with the fix for the platform", () => {
    const stderr = 'error: XDG_RUNTIME_DIR is invalid or not set in the environment.\nWarning: Vulkan shaderUniform*ArrayDynamicIndexing required.\n - While initializing adapter (backend=BackendType::Vulkan)\n';
    expect(explainNoAdapter(stderr, 'linux')).toBe(
      'no usable GPU adapter found (Dawn: Vulkan shaderUniform*ArrayDynamicIndexing required.); to fix, install the Vulkan driver of your GPU (NVIDIA: the proprietary driver; AMD/Intel: mesa-vulkan-drivers) and check `vulkaninfo --summary`',
    );
    expect(explainNoAdapter('', 'win32')).toMatch(/^no usable GPU adapter found; to fix, update the graphics driver/);
  });
});

describe('the real probe', () => {
  it('finds SwiftShader through Dawn where CI provides it, as a software adapter without shader-f16', async () => {
    useSwiftShader();
    const probe = await runAdapterProbe('linux');
    expect(probe).toMatchObject({ found: true, adapter: { vendor: 'google', architecture: 'swiftshader', software: true, shaderF16: false, backend: 'Vulkan' } });
  });
});
