import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { EngineClient } from '../engine/worker/client';
import { methods, type EventName, type EventPayload } from '../contract/contract';
import { decodePng } from '../media/png';
import { createEngineClient } from './engine-client';
import { engineFromClient } from './engine';
import { createStudio, type Studio } from './studio';
import { RenderJobDouble } from './testing/render-engine-double';
import { until, withTempDir } from './testing/temp';

const clients: EngineClient[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
});

function realStudio(dir: string): Studio {
  const client = createEngineClient();
  clients.push(client);
  return createStudio({ engine: engineFromClient(client), host: 'web', mediaBase: '/media', version: 't', configDir: dir });
}

function recordEvents(studio: Studio) {
  const seen: { event: EventName; payload: unknown }[] = [];
  studio.events.subscribe((event, payload) => seen.push({ event, payload }));
  return <E extends EventName>(event: E, jobId: string) =>
    seen.filter((s) => s.event === event && (s.payload as { jobId?: string }).jobId === jobId).map((s) => s.payload as EventPayload<E>);
}

async function smallProject(studio: Studio) {
  const state = await studio.projects.create(['a lighthouse on a cliff', 'a field of sunflowers']);
  // The demo model at its smallest size keeps a still well under a second on a CPU.
  studio.projects.update({ ...state.project, width: 256, height: 256, steps: 10 });
}

function fileOfUrl(studio: Studio, url: string): string {
  const lookup = studio.media.resolve(url.slice(studio.media.base.length));
  if (!lookup.ok) throw new Error(`unresolvable media URL ${url}: ${lookup.reason}`);
  return lookup.file;
}

async function pixelsOf(studio: Studio, url: string): Promise<Buffer> {
  return Buffer.from(decodePng(await readFile(fileOfUrl(studio, url))).data);
}

function setSeed(studio: Studio, index: number, seed: number) {
  const { project } = studio.projects.require();
  studio.projects.update({ ...project, keyframes: project.keyframes.map((k, i) => (i === index ? { ...k, seed } : k)) });
}

describe('RendersService.variants ("Try seeds") over the real engine worker (demo model)', () => {
  it('renders one distinct still per seed in one job, equal to a normal render with that seed, and cached for picking', async () => {
    await withTempDir(async (dir) => {
      const studio = realStudio(dir);
      const of = recordEvents(studio);
      await smallProject(studio);
      const seeds = [11, 22, 33, 44];

      const { jobId } = studio.renders.variants(1, seeds);
      await until(() => of('job.done', jobId).length + of('job.error', jobId).length > 0, 'the variants job');
      expect(of('job.error', jobId)).toEqual([]);
      const variants = of('job.variant', jobId);
      expect(variants.map((v) => [v.keyframe, v.seed])).toEqual(seeds.map((s) => [1, s]));
      const pixels = await Promise.all(variants.map((v) => pixelsOf(studio, v.url)));
      expect(new Set(pixels.map((p) => p.toString('base64'))).size).toBe(seeds.length);
      // One job, progress over all stills: it only grows and ends at the total.
      const progress = of('job.progress', jobId).filter((p) => p.phase.startsWith('denoising'));
      expect(progress.some((p) => p.phase === 'denoising seed 3 of 4')).toBe(true);
      progress.slice(1).forEach((p, i) => expect(p.done).toBeGreaterThanOrEqual(progress[i].done));
      const last = progress.at(-1)!;
      expect(last.done).toBe(last.total);
      // Counted in steps, so the ETA shows before the last still.
      expect(last.total).toBeGreaterThan(4 * 10);
      expect(progress.some((p) => typeof p.etaMs === 'number' && p.phase !== 'denoising seed 4 of 4')).toBe(true);
      expect(of('job.done', jobId)[0].result).toMatchObject({ kind: 'render', frames: 4, fromCache: false });
      // Trying seeds leaves the keyframe as it was: no still of its own seed appeared.
      expect(studio.renders.frames().keyframes).toEqual([]);

      // Picking seed 33: its still is there at once, and a render of it is a cache hit.
      setSeed(studio, 1, 33);
      expect(studio.renders.frames().keyframes).toEqual([{ index: 1, keyframeId: 'k2', url: variants[2].url }]);
      const render = studio.renders.start({ kind: 'keyframe', index: 1 });
      await until(() => of('job.done', render.jobId).length + of('job.error', render.jobId).length > 0, 'the picked keyframe');
      expect(of('job.done', render.jobId)[0].result).toMatchObject({ fromCache: true });

      // A fresh project (own cache) rendering seed 22 the normal way makes the same picture.
      await withTempDir(async (other) => {
        const fresh = realStudio(other);
        const ofFresh = recordEvents(fresh);
        await smallProject(fresh);
        setSeed(fresh, 1, 22);
        const normal = fresh.renders.start({ kind: 'keyframe', index: 1 });
        await until(() => ofFresh('job.done', normal.jobId).length + ofFresh('job.error', normal.jobId).length > 0, 'the normal still');
        expect(ofFresh('job.done', normal.jobId)[0].result).toMatchObject({ fromCache: false });
        const [frame] = ofFresh('job.frame', normal.jobId);
        expect((await pixelsOf(fresh, frame.url)).equals(pixels[1])).toBe(true);
        await fresh.dispose();
      });
      await studio.dispose();
    });
  });

  it('cancels a variants job while it runs', async () => {
    await withTempDir(async (dir) => {
      const studio = realStudio(dir);
      const of = recordEvents(studio);
      const state = await studio.projects.create(['a castle', 'a meadow']);
      studio.projects.update({ ...state.project, steps: 250 });
      const { jobId } = studio.renders.variants(0, [1, 2, 3, 4]);
      await until(() => of('job.progress', jobId).some((p) => p.phase.startsWith('denoising seed')), 'denoising to start');
      expect(studio.renders.cancel(jobId)).toBe(true);
      await until(() => of('job.error', jobId).length > 0, 'the cancel');
      expect(of('job.error', jobId)[0].error.code).toBe('CANCELLED');
      expect(of('job.variant', jobId).length).toBeLessThan(4);
      await studio.dispose();
    });
  });

  it('rejects a missing keyframe, a picture keyframe and bad seeds before queueing anything', async () => {
    await withTempDir(async (dir) => {
      const studio = createStudio({ engine: new RenderJobDouble(null), host: 'web', mediaBase: '/media', version: 't', configDir: dir });
      const state = await studio.projects.create(['a', 'b']);
      expect(() => studio.renders.variants(2, [1])).toThrow(/no keyframe 3: the project has 2/);
      studio.projects.update({ ...state.project, keyframes: [{ ...state.project.keyframes[0], image: 'images/k1.png' }, state.project.keyframes[1]] });
      expect(() => studio.renders.variants(0, [1, 2])).toThrow(/Keyframe 1 shows an imported picture/);
      expect(studio.jobs.list()).toEqual([]);
      const request = methods['renders.variants'].request;
      expect(request.safeParse({ index: 0, seeds: [] }).success).toBe(false);
      expect(request.safeParse({ index: 0, seeds: [-1] }).success).toBe(false);
      expect(request.safeParse({ index: 0, seeds: [2 ** 32] }).success).toBe(false);
      expect(request.safeParse({ index: 0, seeds: Array.from({ length: 17 }, (_, i) => i) }).success).toBe(false);
      expect(request.safeParse({ index: 0, seeds: [0, 4294967295] }).success).toBe(true);
    });
  });
});
