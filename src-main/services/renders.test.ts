import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EngineClient } from '../engine/worker/client';
import { createEngineClient } from './engine-client';
import type { EventName, EventPayload } from '../contract/contract';
import { decodePng } from '../media/png';
import { engineFromClient } from './engine';
import { neighbourDistancesOfFiles } from './movie-frames';
import { createStudio, type Studio } from './studio';
import { RenderJobDouble } from './testing/render-engine-double';
import { until, withTempDir } from './testing/temp';

const clients: EngineClient[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
});

function recordEvents(studio: Studio) {
  const seen: { event: EventName; payload: unknown }[] = [];
  studio.events.subscribe((event, payload) => seen.push({ event, payload }));
  const of = <E extends EventName>(event: E, jobId?: string) =>
    seen.filter((s) => s.event === event && (!jobId || (s.payload as { jobId?: string }).jobId === jobId)).map((s) => s.payload as EventPayload<E>);
  return { seen, of };
}

async function smallProject(studio: Studio, prompts = ['a lighthouse on a cliff', 'a field of sunflowers']) {
  const state = await studio.projects.create(prompts);
  // The demo model at its smallest size keeps a keyframe well under a second on a CPU.
  studio.projects.update({ ...state.project, width: 256, height: 256, steps: 10 });
}

function fileOfUrl(studio: Studio, url: string): string {
  const lookup = studio.media.resolve(url.slice(studio.media.base.length));
  if (!lookup.ok) throw new Error(`unresolvable media URL ${url}: ${lookup.reason}`);
  return lookup.file;
}

describe('RendersService over the real engine worker and render job (demo model)', () => {
  it('renders a keyframe still with progress and ETA, announces it as a media URL, and serves a re-render from the cache', async () => {
    await withTempDir(async (dir) => {
      const client = createEngineClient();
      clients.push(client);
      const studio = createStudio({ engine: engineFromClient(client), host: 'web', mediaBase: '/media', version: 't', configDir: dir });
      const { of } = recordEvents(studio);
      await smallProject(studio);

      const { jobId } = studio.renders.start({ kind: 'keyframe', index: 1 });
      expect(of('job.queued', jobId)).toHaveLength(1);
      await until(() => of('job.done', jobId).length + of('job.error', jobId).length > 0, 'the keyframe job');
      expect(of('job.error', jobId)).toEqual([]);
      const progress = of('job.progress', jobId);
      expect(progress.length).toBeGreaterThan(3);
      expect(progress.some((p) => p.phase === 'denoising')).toBe(true);
      expect(progress.some((p) => typeof p.etaMs === 'number')).toBe(true);
      const [frame] = of('job.frame', jobId);
      expect(frame).toMatchObject({ target: 'keyframe', keyframe: 1 });
      const image = decodePng(await readFile(fileOfUrl(studio, frame.url)));
      expect([image.width, image.height]).toEqual([256, 256]);
      expect(of('job.done', jobId)[0].result).toMatchObject({ kind: 'render', frames: 1, fromCache: false });
      expect(studio.renders.frames().keyframes).toEqual([{ index: 1, keyframeId: 'k2', url: frame.url }]);
      expect((await studio.models.provider()).active).toBe('cpu');

      const again = studio.renders.start({ kind: 'keyframe', index: 1 });
      await until(() => of('job.done', again.jobId).length > 0, 'the cached keyframe');
      // The render cache answers: no diffusion the second time.
      expect(of('job.done', again.jobId)[0].result).toMatchObject({ fromCache: true });

      // Editing the prompt makes the still stale: the player no longer gets it.
      const { project } = studio.projects.require();
      studio.projects.update({ ...project, keyframes: [project.keyframes[0], { ...project.keyframes[1], prompt: 'a field of tulips' }] });
      expect(studio.renders.frames().keyframes).toEqual([]);
      await studio.dispose();
    });
  });

  it('cancels a running job and a queued one', async () => {
    await withTempDir(async (dir) => {
      const client = createEngineClient();
      clients.push(client);
      const studio = createStudio({ engine: engineFromClient(client), host: 'web', mediaBase: '/media', version: 't', configDir: dir });
      const { of } = recordEvents(studio);
      const state = await studio.projects.create(['a castle', 'a meadow']);
      studio.projects.update({ ...state.project, steps: 250 });
      const running = studio.renders.start({ kind: 'keyframe', index: 0 });
      const queued = studio.renders.start({ kind: 'keyframe', index: 1 });
      await until(() => of('job.progress', running.jobId).some((p) => p.phase === 'denoising'), 'denoising to start');
      expect(studio.renders.cancel(queued.jobId)).toBe(true);
      expect(studio.renders.cancel(running.jobId)).toBe(true);
      await until(() => of('job.error', running.jobId).length > 0, 'the cancel');
      expect(of('job.error', running.jobId)[0].error.code).toBe('CANCELLED');
      expect(of('job.error', queued.jobId)[0].error.code).toBe('CANCELLED');
      expect(studio.jobs.list().map((j) => j.status)).toEqual(['cancelled', 'cancelled']);
      expect(studio.renders.cancel(running.jobId)).toBe(false);
      await studio.dispose();
    });
  });

  it('fails the job with a message when the worker crashes, and the next job runs on a fresh worker', async () => {
    await withTempDir(async (dir) => {
      const client = createEngineClient({ allowCrashJob: true });
      clients.push(client);
      const studio = createStudio({ engine: engineFromClient(client), host: 'web', mediaBase: '/media', version: 't', configDir: dir });
      const { of } = recordEvents(studio);
      const state = await studio.projects.create(['a volcano', 'a glacier']);
      studio.projects.update({ ...state.project, steps: 250 });
      const doomed = studio.renders.start({ kind: 'keyframe', index: 0 });
      await until(() => of('job.progress', doomed.jobId).some((p) => p.phase === 'denoising'), 'denoising to start');
      client.simulateCrash();
      await until(() => of('job.error', doomed.jobId).length > 0, 'the crash to fail the job');
      const { error } = of('job.error', doomed.jobId)[0];
      expect(error.code).toBe('WORKER_CRASHED');
      expect(error.message).toMatch(/restarted/);

      studio.projects.update({ ...studio.projects.require().project, width: 256, height: 256, steps: 10 });
      const next = studio.renders.start({ kind: 'keyframe', index: 0 });
      await until(() => of('job.done', next.jobId).length + of('job.error', next.jobId).length > 0, 'the job after the crash');
      expect(of('job.error', next.jobId)).toEqual([]);
      expect(client.crashRestarts).toBe(1);
      await studio.dispose();
    });
  });
});

describe('RendersService: movie renders', () => {
  it('passes the scope through, maps every frame event to a media URL, and drops frames an edit made stale', async () => {
    await withTempDir(async (dir) => {
      const client = createEngineClient();
      clients.push(client);
      const studio = createStudio({ engine: engineFromClient(client), host: 'electron', mediaBase: 'lbs-media://media', version: 't', configDir: dir });
      const { of } = recordEvents(studio);
      const state = await studio.projects.create(['one', 'two', 'three']);
      const lowest = { kind: 'fixed' as const, preset: 'lowest' as const };
      studio.projects.update({
        ...state.project,
        width: 256,
        height: 256,
        fps: 8,
        transitions: state.project.transitions.map((t) => ({ ...t, duration: 2, mode: lowest })),
      });
      await studio.projects.saveAs(path.join(dir, 'three.lbs.json'));

      const { jobId } = studio.renders.start({ kind: 'movie' });
      await until(() => of('job.done', jobId).length + of('job.error', jobId).length > 0, 'the movie');
      expect(of('job.error', jobId)).toEqual([]);
      const frames = of('job.frame', jobId);
      expect(frames.length).toBeGreaterThan(4);
      for (const f of frames) {
        expect(f.url.startsWith('lbs-media://media/')).toBe(true);
        expect(decodePng(await readFile(fileOfUrl(studio, f.url))).width).toBe(256);
      }
      expect(of('job.progress', jobId).length).toBeGreaterThan(2);
      // The player's view agrees with what the engine itself reports having rendered.
      const player = studio.renders.frames();
      expect(player.transitions.map((t) => t.index)).toEqual([0, 1]);
      expect(player.transitions.every((t) => t.complete)).toBe(true);
      for (const t of player.transitions) {
        const first = t.frames[0].position;
        const last = t.frames.at(-1)!.position;
        expect([first, last]).toEqual([0, 1]);
        expect(t.frames.map((f) => f.position)).toEqual([...t.frames.map((f) => f.position)].sort((a, b) => a - b));
      }
      expect(frames.filter((f) => f.target === 'transition').length).toBe(player.transitions.reduce((n, t) => n + t.frames.length, 0));

      const { project } = studio.projects.require();
      // Re-timing needs no new images when the tree stays the same ('lowest' always has 5)…
      const retimed = { ...project, transitions: [project.transitions[0], { ...project.transitions[1], duration: project.transitions[1].duration + 1 }] };
      studio.projects.update(retimed);
      expect(studio.renders.frames().transitions.map((t) => t.index)).toEqual([0, 1]);
      // …a new depth strength changes every branch.
      studio.projects.update({ ...project, transitions: [project.transitions[0], { ...project.transitions[1], depthStrength: 0.6 }] });
      expect(studio.renders.frames().transitions.map((t) => t.index)).toEqual([0]);
      await studio.dispose();

      // A restart: opening the saved project loads its renders from the cache, with no diffusion.
      const client2 = createEngineClient();
      clients.push(client2);
      const reopened = createStudio({ engine: engineFromClient(client2), host: 'electron', mediaBase: 'lbs-media://media', version: 't', configDir: dir });
      const events2 = recordEvents(reopened);
      // What the 'project.open' handler does (ipc/handlers.test.ts checks that it does).
      await reopened.projects.open(path.join(dir, 'three.lbs.json'));
      reopened.renders.restoreFromCache();
      await reopened.renders.idle();
      const queued = events2.of('job.queued');
      expect(queued.map((q) => q.label)).toEqual(['Load cached renders']);
      const restored = events2.of('job.done', queued[0].jobId);
      expect(restored).toHaveLength(1);
      expect(restored[0].result).toMatchObject({ kind: 'render', fromCache: true });
      const view = reopened.renders.frames();
      expect(view.transitions.map((t) => [t.index, t.complete])).toEqual([[0, true], [1, true]]);
      expect(view.transitions.map((t) => t.frames.length)).toEqual(player.transitions.map((t) => t.frames.length));
      await reopened.dispose();
    });
  });

  it('keeps what Render movie made through Save as, reorder and duplicate: stills belong to keyframes, only changed transitions go stale', async () => {
    await withTempDir(async (dir) => {
      const client = createEngineClient();
      clients.push(client);
      const studio = createStudio({ engine: engineFromClient(client), host: 'web', mediaBase: '/media', version: 't', configDir: dir });
      const { of } = recordEvents(studio);
      const state = await studio.projects.create(['one', 'two', 'three']);
      const lowest = { kind: 'fixed' as const, preset: 'lowest' as const };
      studio.projects.update({ ...state.project, width: 256, height: 256, fps: 4, transitions: state.project.transitions.map((t) => ({ ...t, duration: 2, mode: lowest })) });

      // Rendered while untitled (no "Render keyframe"): the cards' pictures are transition ends.
      const { jobId } = studio.renders.start({ kind: 'movie' });
      await until(() => of('job.done', jobId).length + of('job.error', jobId).length > 0, 'the movie');
      expect(of('job.error', jobId)).toEqual([]);
      expect(studio.renders.frames().keyframes.map((k) => k.index)).toEqual([0, 1, 2]);

      // The first look after "Save as…" (a reload asks renders.frames) shows what is rendered.
      const file = path.join(dir, 'saved', 'film.lbs.json');
      mkdirSync(path.dirname(file));
      // What the project.saveAs handler does (ipc/handlers.test.ts checks the wiring).
      await studio.projects.saveAs(file);
      studio.renders.restoreFromCache();
      await studio.renders.idle();
      const saved = studio.renders.frames();
      expect(saved.transitions.map((t) => [t.index, t.complete])).toEqual([[0, true], [1, true]]);
      expect(saved.keyframes.map((k) => k.index)).toEqual([0, 1, 2]);
      // No distances are measured for transitions that do not spread frames by them.
      expect(saved.transitions.every((t) => t.distances === undefined)).toBe(true);
      for (const url of [...saved.keyframes.map((k) => k.url), ...saved.transitions.flatMap((t) => t.frames.map((f) => f.url))]) {
        expect(fileOfUrl(studio, url).startsWith(path.join(dir, 'saved'))).toBe(true);
      }

      // Move keyframe 3 to the front (Alt+← twice, or a drag): K3 → K1 is new, K1 → K2 is the same transition.
      const { project } = studio.projects.require();
      const [k1, k2, k3] = project.keyframes;
      studio.projects.update({ ...project, keyframes: [k3, k1, k2] });
      const moved = studio.renders.frames();
      expect(moved.keyframes.map((k) => [k.index, k.keyframeId])).toEqual([[0, 'k3'], [1, 'k1'], [2, 'k2']]);
      expect(moved.transitions.map((t) => [t.index, t.complete])).toEqual([[1, true]]);
      expect(moved.transitions[0].frames).toEqual(saved.transitions[0].frames);

      // Duplicate keyframe 2 (back in order): the copy shows the same still; K2 → K2' is new, K2' → K3 equals K2 → K3.
      studio.projects.update({ ...project, keyframes: [k1, k2, { ...k2, id: 'k4' }, k3], transitions: [...project.transitions, project.transitions[1]] });
      const duplicated = studio.renders.frames();
      expect(duplicated.keyframes.map((k) => k.index)).toEqual([0, 1, 2, 3]);
      expect(duplicated.keyframes[2].url).toBe(duplicated.keyframes[1].url);
      expect(duplicated.transitions.map((t) => t.index)).toEqual([0, 2]);

      // Equal perceptual spacing turned on (no re-render): the player gets the distances the export spreads frames by.
      const spaced = { ...project, transitions: project.transitions.map((t) => ({ ...t, easing: { curve: 'even-perceived-speed' as const, strength: t.easing.strength } })) };
      studio.projects.update(spaced);
      // What the renders.frames handler does (ipc/handlers.test.ts checks the wiring).
      await studio.renders.measureSpacing();
      const withDistances = studio.renders.frames();
      expect(withDistances.transitions.map((t) => t.index)).toEqual([0, 1]);
      for (const t of withDistances.transitions) {
        expect(t.distances).toHaveLength(t.frames.length - 1);
        const files = t.frames.map((f) => fileOfUrl(studio, f.url));
        expect(t.distances).toEqual(await neighbourDistancesOfFiles(files));
      }
      await studio.dispose();
    });
  });

  it('joins a render equal to a queued or running one instead of queueing it twice', async () => {
    await withTempDir(async (dir) => {
      const engine = new RenderJobDouble(null, 3);
      // Hold the running render at its first step until the test lets it go.
      let release: () => void = () => undefined;
      const held = new Promise<void>((r) => (release = r));
      let reachedStep = false;
      engine.stepGate = () => {
        reachedStep = true;
        return held;
      };
      const studio = createStudio({ engine, host: 'web', mediaBase: '/media', version: 't', configDir: dir });
      const { of } = recordEvents(studio);
      const state = await studio.projects.create(['a', 'b', 'c']);
      studio.projects.update({ ...state.project, width: 256, height: 256 });

      const movie = studio.renders.start({ kind: 'movie' });
      await until(() => reachedStep, 'the movie to run');
      // A double click on Render movie, and Export asking for the movie being rendered.
      expect(studio.renders.start({ kind: 'movie' })).toEqual({ jobId: movie.jobId, joined: true });
      expect(studio.renders.start({ kind: 'movie' })).toEqual({ jobId: movie.jobId, joined: true });
      // A different scope is a different job; asked twice while queued, it is queued once.
      const transition = studio.renders.start({ kind: 'transition', index: 1 });
      expect(transition.jobId).not.toBe(movie.jobId);
      expect(studio.renders.start({ kind: 'transition', index: 1 })).toEqual({ jobId: transition.jobId, joined: true });
      // After an edit the running movie renders an older project: a new movie is queued, once.
      const { project } = studio.projects.require();
      studio.projects.update({ ...project, transitions: [{ ...project.transitions[0], duration: 5 }, project.transitions[1]] });
      const edited = studio.renders.start({ kind: 'movie' });
      expect(edited.jobId).not.toBe(movie.jobId);
      expect(studio.renders.start({ kind: 'movie' })).toEqual({ jobId: edited.jobId, joined: true });
      expect(studio.jobs.list().map((j) => j.jobId)).toEqual([movie.jobId, transition.jobId, edited.jobId]);
      expect(of('job.queued').length).toBe(3);

      // A cancelled job is no longer one to join.
      studio.renders.cancel(transition.jobId);
      const again = studio.renders.start({ kind: 'transition', index: 1 });
      expect(again.jobId).not.toBe(transition.jobId);
      release();
      await studio.renders.idle();
      expect(engine.renders).toBe(3);
      expect(studio.jobs.list().map((j) => j.status)).toEqual(['done', 'cancelled', 'done', 'done']);
    });
  });

  it('rejects a scope outside the project before queueing anything', async () => {
    await withTempDir(async (dir) => {
      const studio = createStudio({ engine: new RenderJobDouble(null), host: 'web', mediaBase: '/media', version: 't', configDir: dir });
      expect(() => studio.renders.start({ kind: 'movie' })).toThrow(/No project is open/);
      await studio.projects.create(['a', 'b']);
      expect(() => studio.renders.start({ kind: 'transition', index: 1 })).toThrow(/no transition 2: the project has 1/);
      expect(studio.jobs.list()).toEqual([]);
    });
  });
});
