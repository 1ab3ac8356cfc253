import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFixtureModel } from '../testing/fixture-model';
import { runKeyframeJob } from '../jobs/keyframe';
import { ModelPool } from '../jobs/models';
import { makeContext } from '../jobs/context';
import type { JobProgress } from '../jobs/progress';
import { explainLoadFailure } from './components';
import { readModelFolder } from './model-folder';
import { loadStableDiffusion, type LoadProgress } from './pipeline';

const root = mkdtempSync(join(tmpdir(), 'lbs-load-'));
const dir = join(root, 'model');
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(() => writeFixtureModel(dir, { externalData: 'model.onnx_data' }));

/** Bytes of every file in a component folder (model.onnx + weights), counted independently. */
function folderBytes(component: string): number {
  return readdirSync(join(dir, component)).reduce((s, f) => s + statSync(join(dir, component, f)).size, 0);
}

describe('loading a model at scale', () => {
  it('reports load progress in bytes of model files, UNet first, ending at the total', async () => {
    const events: LoadProgress[] = [];
    const sd = await loadStableDiffusion(dir, { provider: 'cpu', onLoadProgress: (p) => events.push(p) });
    await sd.dispose();
    const total = folderBytes('unet') + folderBytes('text_encoder') + folderBytes('vae_decoder');
    expect(events.map((e) => e.component)).toEqual(['unet', 'text_encoder', 'vae_decoder', 'vae_decoder']);
    expect(events.map((e) => e.doneBytes)).toEqual([0, folderBytes('unet'), folderBytes('unet') + folderBytes('text_encoder'), total]);
    expect(events.every((e) => e.totalBytes === total)).toBe(true);
  });

  it('refuses with one line when the machine lacks the memory for a component, naming sizes and what to do', async () => {
    const error = await loadStableDiffusion(dir, { provider: 'cpu', availableMemory: () => 100e6 }).then(
      () => undefined,
      (e: unknown) => e as { code: string; message: string; hint: string },
    );
    expect(error?.code).toBe('OUT_OF_MEMORY');
    expect(error?.message).toMatch(/^Not enough memory to load .+: its unet needs about 0\.3 GB but 0\.1 GB is free\.$/);
    expect(error?.message).not.toContain('\n');
    expect(error?.hint).toMatch(/fp16 export/);
  });

  it("turns ONNX Runtime's allocation failure into the same error", () => {
    const file = readModelFolder(dir).components.unet!;
    const e = explainLoadFailure(file, new Error("Exception during initialization: std::bad_alloc"));
    expect(e.code).toBe('OUT_OF_MEMORY');
    expect(e.message).toMatch(/^Not enough memory to load .*model: its unet needs about/);
  });

  it('a keyframe job shows the load as "loading model" in kB of model files with the total, once per model', async () => {
    const progress: JobProgress[] = [];
    const models = new ModelPool();
    const ctx = makeContext({ signal: new AbortController().signal, models, onProgress: (p) => progress.push(p), onEvent: () => {} });
    const job = { kind: 'keyframe' as const, model: { kind: 'path' as const, path: dir }, session: { provider: 'cpu' as const }, prompt: 'x', seed: 0, steps: 2, guidance: 7.5, width: 64, height: 64, scheduler: 'ddim' as const };
    await runKeyframeJob(job, ctx);
    const loading = progress.filter((p) => p.phase === 'loading model' && p.total > 1);
    expect(loading.length).toBeGreaterThanOrEqual(3);
    expect(loading.at(-1)!.done).toBe(loading.at(-1)!.total);
    const before = progress.length;
    await runKeyframeJob(job, ctx);
    expect(progress.slice(before).filter((p) => p.phase === 'loading model' && p.total > 1)).toEqual([]);
    await models.dispose();
  });
});
