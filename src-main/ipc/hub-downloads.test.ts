import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFixtureModel } from '../engine/testing/fixture-model';
import type { EngineClient } from '../engine/worker/client';
import type { HubDownload, ModelEntry } from '../contract/contract';
import { handlersFor } from './handlers';
import { engineFromClient } from '../services/engine';
import { createEngineClient } from '../services/engine-client';
import type { ProjectJobs } from '../services/project-jobs';
import { createStudio, type Studio } from '../services/studio';
import { until } from '../services/testing/temp';
import { FakeHub } from '../services/hub/testing/fake-hub';

// The studio's Models panel path: models.pull over the router → progress events → the checked
// model in models.list and models.changed, on the real engine worker (models inspect).
const root = mkdtempSync(join(tmpdir(), 'lbs-hub-studio-'));
let hub: FakeHub;
let client: EngineClient<ProjectJobs>;

beforeAll(async () => {
  await writeFixtureModel(join(root, 'sd2'), { externalData: 'model.onnx_data' });
  await writeFixtureModel(join(root, 'gpu'), { cudaOnlyOp: true });
  hub = await new FakeHub({ 'fixture/sd2-tiny': { dir: join(root, 'sd2') }, 'fixture/gpu-only': { dir: join(root, 'gpu') } }).start();
  client = createEngineClient();
});

afterAll(async () => {
  await client?.dispose();
  await hub?.stop();
});

function studioWithCache(name: string): { studio: Studio; downloads: HubDownload[]; changed: ModelEntry[][] } {
  const studio = createStudio({
    engine: engineFromClient(client),
    host: 'web',
    mediaBase: '/media',
    version: 't',
    configDir: join(root, `config-${name}`),
    hubEnv: () => ({ endpoint: hub.url, offline: false, cacheDir: join(root, `cache-${name}`) }),
  });
  const downloads: HubDownload[] = [];
  const changed: ModelEntry[][] = [];
  studio.events.subscribe((event, payload) => {
    if (event === 'models.download') downloads.push(payload as HubDownload);
    if (event === 'models.changed') changed.push((payload as { models: ModelEntry[] }).models);
  });
  return { studio, downloads, changed };
}

describe('Hub downloads in the studio', () => {
  it('pulls with progress events, checks the model, and lists it as {hub: owner/name} at once', async () => {
    const { studio, downloads, changed } = studioWithCache('ok');
    const h = handlersFor(studio);
    const { downloadId } = await h['models.pull']({ repo: 'fixture/sd2-tiny' });
    await until(() => downloads.some((d) => d.downloadId === downloadId && ['done', 'failed'].includes(d.phase)), 'the download to finish');
    const mine = downloads.filter((d) => d.downloadId === downloadId);
    const last = mine[mine.length - 1];
    expect(last.error).toBeUndefined();
    expect(last.phase).toBe('done');
    expect(mine.map((d) => d.phase)).toEqual(expect.arrayContaining(['resolving', 'downloading', 'checking', 'done']));
    expect(mine.some((d) => d.phase === 'downloading' && d.totalBytes > 0 && d.doneBytes <= d.totalBytes)).toBe(true);
    expect(last.model).toMatchObject({ ref: { hub: 'fixture/sd2-tiny' }, label: 'fixture/sd2-tiny', kind: 'text-to-image', isDemo: false });
    expect(changed.at(-1)?.some((m) => JSON.stringify(m.ref) === JSON.stringify({ hub: 'fixture/sd2-tiny' }))).toBe(true);
    const { models } = await h['models.list']({});
    expect(models.find((m) => 'hub' in m.ref)?.path).toContain(join('models--fixture--sd2-tiny', 'snapshots'));
    const info = await h['models.hub']({});
    expect(info.curated.map((c) => c.repo)).toContain('jdp8/sd-turbo-onnx');
    expect(info.downloads.find((d) => d.downloadId === downloadId)?.phase).toBe('done');
    await studio.dispose();
  });

  it('refuses a GPU-only export with the reason, removes the download and keeps it out of the model list', async () => {
    const { studio, downloads } = studioWithCache('gpu');
    const h = handlersFor(studio);
    const { downloadId } = await h['models.pull']({ repo: 'fixture/gpu-only' });
    await until(() => downloads.some((d) => d.downloadId === downloadId && ['done', 'failed'].includes(d.phase)), 'the download to finish');
    const last = downloads.filter((d) => d.downloadId === downloadId).at(-1)!;
    expect(last.phase).toBe('failed');
    expect(last.error).toMatchObject({ code: 'MODEL_GPU_ONLY', message: expect.stringContaining('GroupNorm') });
    const { models } = await h['models.list']({});
    expect(models.some((m) => 'hub' in m.ref)).toBe(false);
    expect(existsSync(join(root, 'cache-gpu', 'models--fixture--gpu-only'))).toBe(false);
    await studio.dispose();
  });

  it('cancels a running download; the cache holds no snapshot of it', async () => {
    const { studio, downloads } = studioWithCache('cancel');
    const h = handlersFor(studio);
    const release = hub.hold('fixture/sd2-tiny', 'unet/model.onnx_data');
    const { downloadId } = await h['models.pull']({ repo: 'fixture/sd2-tiny' });
    await until(() => hub.requests.some((r) => r.url.endsWith('unet/model.onnx_data') && r.range !== 'bytes=0-0' && r.url.startsWith('/cdn/')), 'the held transfer to start');
    expect(await h['models.cancelPull']({ downloadId })).toEqual({ cancelled: true });
    release();
    await until(() => downloads.some((d) => d.downloadId === downloadId && ['cancelled', 'done'].includes(d.phase)), 'the download to stop');
    expect(downloads.filter((d) => d.downloadId === downloadId).at(-1)!.phase).toBe('cancelled');
    expect((await h['models.list']({})).models.some((m) => 'hub' in m.ref)).toBe(false);
    expect(await h['models.cancelPull']({ downloadId })).toEqual({ cancelled: false });
    await studio.dispose();
  });
});
