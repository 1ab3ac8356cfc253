import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName, EventPayload, InvokeResult } from '../contract/contract';
import { handlersFor } from './handlers';
import { createRouter, type Router } from './router';
import { createStudio, type Studio } from '../services/studio';
import { RenderJobDouble } from '../services/testing/render-engine-double';
import { startFarmWorker, type FarmWorker } from '../services/farm/farm-worker';
import { startTestRedis, type TestRedis } from '../services/farm/testing/redis-server';

const root = mkdtempSync(join(tmpdir(), 'lbs-studio-farm-'));
let redis: TestRedis;
let worker: FarmWorker;
let studio: Studio;
let router: Router;
const shared = join(root, 'shared-cache');
const seen: { event: EventName; payload: unknown }[] = [];
const of = <E extends EventName>(event: E, jobId: string) =>
  seen.filter((s) => s.event === event && (s.payload as { jobId?: string }).jobId === jobId).map((s) => s.payload as EventPayload<E>);

/** Resolves with the job's job.done or job.error payload, when it arrives. */
function finished(jobId: string): Promise<{ event: EventName; payload: unknown }> {
  return new Promise((resolve) => {
    const found = seen.find((s) => (s.event === 'job.done' || s.event === 'job.error') && (s.payload as { jobId: string }).jobId === jobId);
    if (found) return resolve(found);
    const off = studio.events.subscribe((event, payload) => {
      if ((event === 'job.done' || event === 'job.error') && (payload as { jobId: string }).jobId === jobId) {
        off();
        resolve({ event, payload });
      }
    });
  });
}

async function call(method: string, payload: unknown): Promise<unknown> {
  const r: InvokeResult = await router.handle(method, payload);
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
  return r.value;
}

beforeAll(async () => {
  redis = await startTestRedis({ password: 'pw' });
  worker = await startFarmWorker({ redisUrl: redis.url, cacheDir: shared, name: 'gpu0' });
  // No local engine at all: a farm movie render must not need one.
  studio = createStudio({ engine: new RenderJobDouble(null), host: 'web', mediaBase: '/media', version: 't', configDir: join(root, 'config') });
  studio.events.subscribe((event, payload) => seen.push({ event, payload }));
  router = createRouter(handlersFor(studio));
  const state = await studio.projects.create(['a lighthouse on a cliff', 'a field of sunflowers', 'a blue harbour']);
  studio.projects.update({
    ...state.project, width: 256, height: 256, provider: 'cpu', fps: 8,
    transitions: state.project.transitions.map((t) => ({ ...t, duration: 2, mode: { kind: 'fixed', preset: 'lowest' } })),
  });
});
afterAll(async () => {
  await worker.close();
  await studio.dispose();
  await redis.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('Render on farm in the studio', () => {
  it('stores the farm URL masked, refuses a bad one, and tests the connection', async () => {
    await expect(call('farm.set', { enabled: true, url: 'localhost:6379' })).rejects.toMatchObject({ code: 'BAD_REQUEST', path: ['url'] });
    await expect(call('farm.set', { enabled: true, url: '' })).rejects.toMatchObject({ message: 'Render on farm needs the Redis URL of the farm.' });
    const wrong = `redis://:nope@127.0.0.1:${redis.port}`;
    await expect(call('farm.test', { url: wrong })).rejects.toMatchObject({ code: 'FARM_UNAVAILABLE', message: expect.stringMatching(/WRONGPASS|invalid password/) });
    expect(await call('farm.set', { enabled: false, url: redis.url, cacheDir: shared })).toEqual({ enabled: false, url: `redis://:***@127.0.0.1:${redis.port}`, cacheDir: shared, configured: true });
    // Testing the stored URL: the UI never held the password.
    expect(await call('farm.test', {})).toMatchObject({ url: `redis://:***@127.0.0.1:${redis.port}`, redisVersion: expect.stringMatching(/^\d/), workers: 1 });
    // Switching on keeps the stored URL when none is sent.
    expect(await call('farm.set', { enabled: true })).toMatchObject({ enabled: true, configured: true });
  });

  it('renders the movie on the farm with per-transition progress and shows every final image', async () => {
    const { jobId } = (await call('renders.start', { scope: { kind: 'movie' } })) as { jobId: string };
    const end = await finished(jobId);
    expect(end.event).toBe('job.done');
    const progress = of('job.progress', jobId);
    // The workers' reports arrive per transition, with the worker's name.
    expect(progress.some((p) => p.transitions?.some((t) => t.state === 'rendering' && t.worker === 'gpu0'))).toBe(true);
    const frames = of('job.frame', jobId).filter((f) => f.target === 'transition');
    const player = studio.renders.frames();
    expect(player.transitions.map((t) => [t.index, t.complete])).toEqual([[0, true], [1, true]]);
    expect(frames).toHaveLength(player.transitions.reduce((n, t) => n + t.frames.length, 0));
    // As after a local Render movie, the plain transition ends are the keyframes' stills.
    expect(player.keyframes.map((k) => k.index)).toEqual([0, 1, 2]);
    expect((end.payload as EventPayload<'job.done'>).result).toMatchObject({ kind: 'render', frames: frames.length, fromCache: false });
  });

  it('says so when Redis goes away, and keeps the unsaved edits', async () => {
    const { project } = studio.projects.require();
    studio.projects.update({ ...project, keyframes: project.keyframes.map((k, i) => (i === 0 ? { ...k, prompt: 'a red lighthouse on a cliff' } : k)) });
    await worker.close();
    await redis.stop();
    const { jobId } = (await call('renders.start', { scope: { kind: 'movie' } })) as { jobId: string };
    const end = await finished(jobId);
    expect(end.event).toBe('job.error');
    expect((end.payload as EventPayload<'job.error'>).error).toMatchObject({ code: 'FARM_UNAVAILABLE', message: expect.stringMatching(/^(Cannot use the render farm at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+|Lost the connection to the render farm's Redis)/) });
    const state = studio.projects.state()!;
    expect(state.dirty).toBe(true);
    expect(state.project.keyframes[0].prompt).toBe('a red lighthouse on a cliff');
    // Frames rendered before are still there for the player and the export.
    expect(studio.renders.frames().transitions.length).toBeGreaterThan(0);
  });
});
