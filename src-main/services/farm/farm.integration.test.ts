import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { Redis as IORedis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isCancelled } from '../../engine/errors';
import { ModelPool } from '../../engine/jobs/models';
import { makeContext } from '../../engine/jobs/context';
import { ENGINE_NUMERICS_VERSION } from '../render/project-render';
import { runRenderJob } from '../render/render-job';
import { checkFarmConnection } from './connection';
import { FarmSession, renderOnFarm, type FarmProgress } from './farm-render';
import { startFarmWorker, type FarmWorker, type FarmWorkerOptions } from './farm-worker';
import { THIS_WORKER } from './fingerprint';
import { FARM_QUEUE } from './messages';
import { redisOptionsFromUrl } from './redis-url';
import { startTestRedis, type TestRedis } from './testing/redis-server';

const BIN = resolve(__dirname, '../../../bin/latentblend.mjs');
const root = mkdtempSync(join(tmpdir(), 'lbs-farm-'));
let seq = 0;
const fresh = (name: string) => {
  const dir = join(root, `${name}-${++seq}`);
  mkdirSync(dir, { recursive: true });
  return dir;
};

/** Three transitions on the demo model, small and few steps ('lowest' preset: 12 steps). */
function writeProject(dir: string, overrides: { model?: object } = {}): string {
  const prompts = ['a red sunset over the ocean', 'a dark green forest at night', 'snowy mountains under a blue sky', 'a blue harbour at dawn'];
  const file = join(dir, 'movie.lbs.json');
  writeFileSync(file, JSON.stringify({
    format: 'latent-blending-studio', version: 1, name: 'farm', model: overrides.model ?? { id: 'demo' }, provider: 'cpu', width: 256, height: 256, fps: 8,
    keyframes: prompts.map((prompt, i) => ({ prompt, seed: 20 + i })),
    transitions: prompts.slice(1).map(() => ({ duration: 2, depthStrength: 0.5, mode: { kind: 'fixed', preset: 'lowest' } })),
  }));
  return file;
}

/** Every file of a frames folder, by name, as bytes. */
function framesOf(dir: string): Map<string, Buffer> {
  return new Map(readdirSync(dir).sort().map((name) => [name, readFileSync(join(dir, name))]));
}

function expectSameFrames(actualDir: string, expectedDir: string): void {
  const actual = framesOf(actualDir);
  const expected = framesOf(expectedDir);
  expect([...actual.keys()]).toEqual([...expected.keys()]);
  for (const [name, bytes] of expected) expect(actual.get(name)!.equals(bytes), `${name} differs`).toBe(true);
}

const localDir = fresh('local');
const projectFile = writeProject(localDir);
const localFrames = join(localDir, 'frames');
const models = new ModelPool();

beforeAll(async () => {
  // The reference: the same project rendered locally, by the render job a single machine runs.
  const ctx = makeContext({ signal: new AbortController().signal, models, onProgress: () => {}, onEvent: () => {} });
  await runRenderJob({ kind: 'render', projectFile, scope: { kind: 'movie' }, framesDir: localFrames, cacheDir: join(localDir, 'cache') }, ctx);
  await models.dispose();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let redis: TestRedis;
const workers: FarmWorker[] = [];
const children: ChildProcess[] = [];
beforeEach(async () => {
  redis = await startTestRedis();
});
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
  await Promise.all(workers.splice(0).map((w) => w.close()));
  await redis.stop();
});

async function worker(cacheDir: string, options: Partial<FarmWorkerOptions> = {}): Promise<FarmWorker> {
  const w = await startFarmWorker({ redisUrl: redis.url, cacheDir, lockDurationMs: 1500, stalledIntervalMs: 750, ...options });
  workers.push(w);
  return w;
}

/** A `latentblend worker` process, once it says it is ready. */
async function workerProcess(name: string, cacheDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'worker', '--redis', redis.url, '--cache', cacheDir, '--name', name, '--lock-ms', '1500'], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let stderr = '';
  await new Promise<void>((ready, fail) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes(`worker ${name} ready`)) ready();
    });
    child.once('exit', (code) => fail(new Error(`worker ${name} exited (${code}):\n${stderr}`)));
  });
  return child;
}

/** Jobs left in the farm queue, in any state. */
async function jobsLeft(): Promise<Record<string, number>> {
  const queue = new Queue(FARM_QUEUE, { connection: redisOptionsFromUrl(redis.url) });
  try {
    const counts = await queue.getJobCounts('active', 'waiting', 'waiting-children', 'delayed', 'prioritized', 'failed', 'completed');
    return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
  } finally {
    await queue.close();
  }
}

describe('render farm on a real redis-server', () => {
  it('two workers render a three-transition movie with frames identical to a local render, and a second farm render is all cache', async () => {
    const cacheDir = fresh('shared');
    const a = await worker(cacheDir, { name: 'A' });
    const b = await worker(cacheDir, { name: 'B' });
    const seen = new Map<number, Set<string>>();
    const onProgress = (p: FarmProgress) => {
      for (const t of p.transitions) if (t.worker && t.state === 'rendering') (seen.get(t.index) ?? seen.set(t.index, new Set()).get(t.index)!).add(t.worker);
    };
    const framesDir = join(cacheDir, 'out');
    const result = await renderOnFarm({ projectFile, redisUrl: redis.url, cacheDir, framesDir, onProgress });
    expectSameFrames(framesDir, localFrames);
    expect(result.stats.computedEvaluations).toBe(result.stats.unetEvaluations);
    // Per-transition progress came from the workers, and both took transitions.
    expect([...seen.keys()].sort()).toEqual([0, 1, 2]);
    expect(new Set([...seen.values()].flatMap((s) => [...s]))).toEqual(new Set([a.name, b.name]));
    expect(await jobsLeft()).toEqual({});

    const again = await renderOnFarm({ projectFile, redisUrl: redis.url, cacheDir, framesDir: join(cacheDir, 'out2') });
    expect(again.stats.computedEvaluations).toBe(0);
    expectSameFrames(join(cacheDir, 'out2'), localFrames);
  });

  it('a worker SIGKILLed mid-transition: its job stalls, another worker takes it, the movie completes identical', async () => {
    const cacheDir = fresh('killed');
    const processes = { A: await workerProcess('A', cacheDir), B: await workerProcess('B', cacheDir) };
    const events = new QueueEvents(FARM_QUEUE, { connection: redisOptionsFromUrl(redis.url) });
    await events.waitUntilReady();
    const stalled: string[] = [];
    events.on('stalled', ({ jobId }) => stalled.push(jobId));
    let killed: { worker: 'A' | 'B'; transition: number } | undefined;
    const onProgress = (p: FarmProgress) => {
      const running = p.transitions.find((t) => t.state === 'rendering' && t.done < t.total / 2 && (t.worker === 'A' || t.worker === 'B'));
      if (!killed && running) {
        killed = { worker: running.worker as 'A' | 'B', transition: running.index };
        processes[killed.worker].kill('SIGKILL');
      }
    };
    try {
      const framesDir = join(cacheDir, 'out');
      await renderOnFarm({ projectFile, redisUrl: redis.url, cacheDir, framesDir, onProgress });
      expect(killed).toBeDefined();
      expect(stalled.some((id) => id.endsWith(`-t${killed!.transition}`))).toBe(true);
      expectSameFrames(framesDir, localFrames);
    } finally {
      await events.close();
    }
  });

  it('cancel mid-flow stops the running pieces and leaves no job in the queue; the workers go on serving', async () => {
    const cacheDir = fresh('cancel');
    const log: string[] = [];
    await worker(cacheDir, { name: 'A', log: (line) => log.push(line) });
    await worker(cacheDir, { name: 'B', log: (line) => log.push(line) });
    const controller = new AbortController();
    let running: { index: number; worker: string } | undefined;
    const onProgress = (p: FarmProgress) => {
      const t = p.transitions.find((s) => s.state === 'rendering' && s.done < s.total / 2);
      if (!running && t) {
        running = { index: t.index, worker: t.worker! };
        controller.abort();
      }
    };
    const error = await renderOnFarm({ projectFile, redisUrl: redis.url, cacheDir, signal: controller.signal, onProgress }).catch((e: unknown) => e);
    expect(isCancelled(error)).toBe(true);
    expect(await jobsLeft()).toEqual({});
    // The transition that was rendering stopped between UNet calls instead of finishing.
    expect(log.some((line) => line.startsWith(`${running!.worker}: transition ${running!.index + 1} (`))).toBe(true);
    expect(log).not.toContain(`${running!.worker}: done transition ${running!.index + 1}`);
    // Nothing was left running on the workers: a new render gets them at once and completes.
    const framesDir = join(cacheDir, 'out');
    await renderOnFarm({ projectFile, redisUrl: redis.url, cacheDir, framesDir });
    expectSameFrames(framesDir, localFrames);
  });

  it('a worker of another numerics version refuses the job, and the render fails with that reason', async () => {
    const cacheDir = fresh('version');
    await worker(cacheDir, { name: 'old', versions: { ...THIS_WORKER, engine: ENGINE_NUMERICS_VERSION + 1 } });
    await expect(renderOnFarm({ projectFile, redisUrl: redis.url, cacheDir })).rejects.toThrow(
      `Worker old refused the job: the job needs engine numerics version ${ENGINE_NUMERICS_VERSION}, this worker computes version ${ENGINE_NUMERICS_VERSION + 1}`,
    );
    expect(readdirSync(cacheDir)).toEqual([]);
    expect(await jobsLeft()).toEqual({});
  });

  it('Redis going away mid-render fails the render at once with that reason', async () => {
    const cacheDir = fresh('redis-gone');
    // Read the event stream from its current end, not from whenever the watcher's first read
    // happens to start: a 'waiting' event added before that read would otherwise be missed.
    const client = new IORedis(redisOptionsFromUrl(redis.url));
    const [last] = await client.xrevrange(`bull:${FARM_QUEUE}:events`, '+', '-', 'COUNT', 1);
    await client.quit();
    // This watcher must not reconnect after Redis stops, or its close would wait for it.
    const events = new QueueEvents(FARM_QUEUE, { connection: { ...redisOptionsFromUrl(redis.url), retryStrategy: () => null }, lastEventId: last?.[0] ?? '0-0' });
    events.on('error', () => undefined);
    await events.waitUntilReady();
    // No worker: the first keyframes piece waits in the queue until Redis stops.
    events.on('waiting', ({ jobId }) => {
      if (jobId.endsWith('-k0')) void redis.stop();
    });
    try {
      await expect(renderOnFarm({ projectFile, redisUrl: redis.url, cacheDir })).rejects.toMatchObject({
        code: 'FARM_UNAVAILABLE',
        message: expect.stringMatching(/^Lost the connection to the render farm's Redis/),
        hint: expect.stringMatching(/finished transitions are kept/),
      });
    } finally {
      await events.disconnect();
    }
  });

  it('a worker that lacks the model fails the job with that reason', async () => {
    const cacheDir = fresh('model');
    await worker(cacheDir, { name: 'W' });
    const missing = join(cacheDir, 'no-such-model');
    const file = writeProject(fresh('model-project'), { model: { path: missing } });
    await expect(renderOnFarm({ projectFile: file, redisUrl: redis.url, cacheDir })).rejects.toThrow(`Worker W lacks the model ${missing}`);
  });
});

describe('a farm session whose Redis is gone', () => {
  it('fails ready() with the reason, and close() then returns without throwing or hanging, whatever state its connections are in', async () => {
    // Redis answered the connection check, then went away before the session's own connections came up.
    const gone = await startTestRedis();
    await gone.stop();
    for (let round = 0; round < 3; round++) {
      const session = new FarmSession(gone.url, `flow-${round}`, undefined);
      await expect(session.ready()).rejects.toMatchObject({ code: 'FARM_UNAVAILABLE', message: expect.stringMatching(/^Lost the connection to the render farm's Redis/) });
      // Round 0 closes at once; the others while their clients wait between reconnect attempts.
      if (round > 0) await new Promise<void>((later) => setImmediate(later));
      await expect(session.close()).resolves.toBeUndefined();
    }
  });
});

describe('connecting to a farm', () => {
  let secured: TestRedis;
  beforeAll(async () => {
    secured = await startTestRedis({ password: 'farm secret' });
  });
  afterAll(() => secured.stop());

  it('uses a password from the URL and says when it is missing', async () => {
    const info = await checkFarmConnection(secured.url);
    expect(info.redisVersion).toMatch(/^\d+\.\d+/);
    expect(info.url).toBe(`redis://:***@127.0.0.1:${secured.port}`);
    await expect(checkFarmConnection(`redis://127.0.0.1:${secured.port}`)).rejects.toMatchObject({ message: expect.stringMatching(/NOAUTH/), hint: expect.stringMatching(/password in the URL/) });
  });

  it('says that nothing listens where the URL points', async () => {
    const gone = await startTestRedis();
    await gone.stop();
    await expect(checkFarmConnection(gone.url)).rejects.toThrow(`Cannot use the render farm at ${gone.url}: connect ECONNREFUSED 127.0.0.1:${gone.port}`);
  });
});
