import { afterEach, describe, expect, it } from 'vitest';
import type { HubDownload, ModelEntry } from '../../../../src-main/contract/contract';
import { buttonNamed } from '../../testing/buttons';
import { mountWithStudio, settle } from '../../testing/mount-studio';
import ProjectInspector from './project-inspector.vue';

afterEach(() => {
  document.body.innerHTML = '';
});


const base = { bytesPerSecond: null, etaMs: null, filesDone: 0, filesTotal: 9 } as const;

describe('Hugging Face downloads in the Project tab', () => {
  it('downloads a curated model with bytes, rate and ETA, and the finished model becomes the project model', async () => {
    const { wrapper, host, project } = await mountWithStudio(ProjectInspector);
    const root = wrapper.element as HTMLElement;
    buttonNamed('Download from Hugging Face…', root).click();
    await settle();
    const curated = root.querySelector('[data-testid="curated"]')!;
    expect(curated.textContent).toContain('jdp8/sd-turbo-onnx');
    expect(curated.textContent).toContain('about 2.4 GB');
    expect(root.textContent).toContain('/home/user/.cache/huggingface/hub');
    buttonNamed('Download', curated as HTMLElement).click();
    await settle();
    expect(host.calls.filter((c) => c.method === 'models.pull').map((c) => c.payload)).toEqual([{ repo: 'jdp8/sd-turbo-onnx' }]);
    const id = 'dl-jdp8/sd-turbo-onnx';
    const progress: HubDownload = { ...base, downloadId: id, repo: 'jdp8/sd-turbo-onnx', phase: 'downloading', doneBytes: 512 * 1024 * 1024, totalBytes: 2048 * 1024 * 1024, bytesPerSecond: 32 * 1024 * 1024, etaMs: 48_000, file: 'unet/model.onnx' };
    host.emit('models.download', progress);
    await settle();
    const row = root.querySelector('[data-testid="download"]')!;
    expect(row.querySelector('[role="progressbar"]')!.getAttribute('aria-valuenow')).toBe('25');
    expect(row.textContent).toContain('512 MB of 2.0 GB · 32 MB/s · 48 s left');
    // The same repo cannot be started twice while it runs.
    expect(buttonNamed('Download', curated as HTMLElement).disabled).toBe(true);

    const model: ModelEntry = { ref: { hub: 'jdp8/sd-turbo-onnx' }, label: 'jdp8/sd-turbo-onnx', isDemo: false, kind: 'text-to-image', path: '/cache/snap' };
    host.models = [...host.models, model];
    host.emit('models.changed', { models: host.models, provider: { requested: 'auto', active: 'cpu' } });
    host.emit('models.download', { ...progress, phase: 'done', doneBytes: progress.totalBytes, etaMs: 0, model });
    await settle();
    expect(project.doc!.model).toEqual({ hub: 'jdp8/sd-turbo-onnx' });
    expect(root.querySelector('[data-testid="download"]')!.textContent).toContain('Ready');
    const select = [...root.querySelectorAll('select')].find((s) => [...s.options].some((o) => o.textContent === 'jdp8/sd-turbo-onnx'));
    expect(select?.value).toBe(JSON.stringify({ hub: 'jdp8/sd-turbo-onnx' }));
  });

  it('cancels a running download and shows why a download failed', async () => {
    const { wrapper, host, project } = await mountWithStudio(ProjectInspector);
    const root = wrapper.element as HTMLElement;
    buttonNamed('Download from Hugging Face…', root).click();
    await settle();
    const input = root.querySelector('input[aria-label="Hub repository"]') as HTMLInputElement;
    input.value = 'someone/gpu-export';
    input.dispatchEvent(new Event('input'));
    await settle();
    (root.querySelector('form') as HTMLFormElement).dispatchEvent(new Event('submit'));
    await settle();
    const id = 'dl-someone/gpu-export';
    host.emit('models.download', { ...base, downloadId: id, repo: 'someone/gpu-export', phase: 'downloading', doneBytes: 10, totalBytes: 100 });
    await settle();
    buttonNamed('Cancel', root.querySelector('[data-testid="download"]') as HTMLElement).click();
    await settle();
    expect(host.calls.filter((c) => c.method === 'models.cancelPull').map((c) => c.payload)).toEqual([{ downloadId: id }]);
    host.emit('models.download', {
      ...base,
      downloadId: id,
      repo: 'someone/gpu-export',
      phase: 'failed',
      doneBytes: 100,
      totalBytes: 100,
      error: { code: 'MODEL_GPU_ONLY', message: 'someone/gpu-export is built for a GPU provider only.', hint: 'Pick a CPU-compatible ONNX export.' },
    });
    await settle();
    expect(root.querySelector('[data-testid="download"] [role="alert"]')!.textContent).toBe('someone/gpu-export is built for a GPU provider only. Pick a CPU-compatible ONNX export.');
    expect(project.doc!.model).toEqual({ id: 'demo' });
  });
});
