import { afterEach, describe, expect, it } from 'vitest';
import type { ProviderState } from '../../../../src-main/contract/contract';
import { mountWithStudio, settle } from '../../testing/mount-studio';
import TopBar from './top-bar.vue';

afterEach(() => {
  document.body.innerHTML = '';
});

const SWIFTSHADER = { name: 'SwiftShader Device Subzero', backend: 'Vulkan', vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader driver 5.0.0', software: true, shaderF16: false };
const H200 = { ...SWIFTSHADER, name: 'NVIDIA H200', vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA 570.86', software: false, shaderF16: true };

/** What a reader sees in the status group: its parts, each with the space flex layout gives it. */
function shown(el: { element: Element }): string {
  return [...el.element.children].map((c) => c.textContent!.trim()).filter(Boolean).join(' ');
}

async function withProvider(state: ProviderState) {
  const mounted = await mountWithStudio(TopBar);
  mounted.app.provider = state;
  await settle();
  return mounted;
}

describe('TopBar', () => {
  it('labels the demo model', async () => {
    const { wrapper } = await mountWithStudio(TopBar);
    expect(wrapper.text()).toContain('Demo model (procedural, not Stable Diffusion)');
    expect(wrapper.text()).toContain('Demo');
  });

  it('says in a few words why a provider the user chose fell back, the details one click away', async () => {
    const reason = 'CUDA provider could not be loaded: onnxruntime-node\'s CUDA binaries are not installed';
    const { wrapper, project } = await withProvider({ requested: 'cuda', active: 'cpu', fallbackReason: reason });
    const fallback = wrapper.get('[data-testid="fallback-reason"]');
    expect(fallback.text()).toBe('CUDA could not be loaded');
    expect(fallback.attributes('aria-label')).toBe(`Why not the requested provider: ${reason}`);
    await fallback.trigger('click');
    expect(project.selection).toEqual({ kind: 'project' });
  });

  it('on a CPU-only machine with Automatic: "CPU (no GPU found)", no warning, the reason one click away', async () => {
    const choice = "No GPU found, running on the CPU (CUDA: onnxruntime-node's CUDA binaries are not installed; WebGPU: no usable GPU adapter found)";
    const { wrapper, project } = await withProvider({ requested: 'auto', active: 'cpu', choice });
    expect(wrapper.find('[data-testid="fallback-reason"]').exists()).toBe(false);
    expect(wrapper.text()).not.toMatch(/could not be loaded|Automatic/);
    const status = wrapper.get('[data-testid="provider-status"]');
    expect(shown(status)).toBe('Runs on CPU (no GPU found)');
    const why = wrapper.get('[data-testid="provider-choice"]');
    expect(why.attributes('aria-label')).toBe(`Why the CPU: ${choice}`);
    await why.trigger('click');
    expect(project.selection).toEqual({ kind: 'project' });
  });

  it('does not call a software adapter a GPU the studio skipped, and says "GPU not usable" when a real one failed', async () => {
    const soft = await withProvider({ requested: 'auto', active: 'cpu', adapter: SWIFTSHADER, choice: 'No GPU found, running on the CPU' });
    expect(shown(soft.wrapper.get('[data-testid="provider-status"]'))).toBe('Runs on CPU (no GPU found)');
    document.body.innerHTML = '';
    const hard = await withProvider({ requested: 'auto', active: 'cpu', adapter: H200, choice: 'The GPU could not be used, running on the CPU (WebGPU provider failed: …)' });
    expect(shown(hard.wrapper.get('[data-testid="provider-status"]'))).toBe('Runs on CPU (GPU not usable)');
  });

  it('names the adapter and backend on WebGPU', async () => {
    const { wrapper } = await withProvider({ requested: 'auto', active: 'webgpu', adapter: H200, choice: 'WebGPU on NVIDIA H200 · Vulkan' });
    expect(shown(wrapper.get('[data-testid="provider-status"]'))).toBe('Runs on GPU: NVIDIA H200 · Vulkan');
    expect(wrapper.find('[data-testid="provider-choice"]').exists()).toBe(false);
  });

  it('a refused WebGPU says so in a few words, and the fix is in the full reason', async () => {
    const reason = 'WebGPU provider found no GPU adapter: no usable GPU adapter found (Dawn: Vulkan shaderUniform*ArrayDynamicIndexing required.); to fix, install the Vulkan driver of your GPU';
    const { wrapper } = await withProvider({ requested: 'webgpu', active: 'cpu', fallbackReason: reason });
    const fallback = wrapper.get('[data-testid="fallback-reason"]');
    expect(fallback.text()).toBe('WebGPU found no GPU adapter');
    expect(fallback.attributes('title')).toContain('to fix, install the Vulkan driver of your GPU');
    expect(wrapper.find('[data-testid="provider-choice"]').exists()).toBe(false);
  });

  it('never shows a bare "Automatic" before the first render', async () => {
    const { wrapper } = await withProvider({ requested: 'auto', active: null });
    const status = wrapper.get('[data-testid="provider-status"]');
    expect(shown(status)).toBe('Runs on Auto: GPU if found');
    expect(status.attributes('title')).toMatch(/chosen at the first render: CUDA when installed, else WebGPU on a GPU, else the CPU/);
  });
});
