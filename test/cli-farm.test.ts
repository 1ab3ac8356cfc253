import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FARM_QUEUE } from '../src-main/services/farm/messages';
import { redisOptionsFromUrl } from '../src-main/services/farm/redis-url';
import { startTestRedis, type TestRedis } from '../src-main/services/farm/testing/redis-server';

const BIN = resolve(__dirname, '../bin/latentblend.mjs');
const dir = mkdtempSync(join(tmpdir(), 'lbs-cli-farm-'));
const project = join(dir, 'movie.lbs.json');
const prompts = ['a red sunset over the ocean', 'a dark green forest at night', 'a blue harbour at dawn'];
writeFileSync(project, JSON.stringify({
  format: 'latent-blending-studio', version: 1, name: 'farm', model: { id: 'demo' }, provider: 'cpu', width: 256, height: 256, fps: 8,
  keyframes: prompts.map((prompt, i) => ({ prompt, seed: 40 + i })),
  transitions: prompts.slice(1).map(() => ({ duration: 2, mode: { kind: 'fixed', preset: 'lowest' } })),
}));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, LBS_DEBUG: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A running CLI process and a promise of the first stderr text matching `pattern`. */
function start(args: string[]): { child: ChildProcess; stderr: () => string; waitFor: (pattern: RegExp) => Promise<void>; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const w of waiters.filter((w) => w.pattern.test(stderr))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    child,
    stderr: () => stderr,
    exit,
    waitFor: (pattern) =>
      new Promise<void>((resolveWait, reject) => {
        if (pattern.test(stderr)) return resolveWait();
        waiters.push({ pattern, resolve: resolveWait });
        void exit.then((code) => reject(new Error(`exited (${code}) before ${pattern}:\n${stderr}`)));
      }),
  };
}

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(() => redis.stop());

async function jobsInQueue(): Promise<number> {
  const queue = new Queue(FARM_QUEUE, { connection: redisOptionsFromUrl(redis.url) });
  try {
    const counts = await queue.getJobCounts('active', 'waiting', 'waiting-children', 'delayed', 'prioritized', 'failed', 'completed');
    return Object.values(counts).reduce((a, b) => a + b, 0);
  } finally {
    await queue.close();
  }
}

describe('latentblend worker and render --farm', () => {
  it('Ctrl-C while the movie waits for workers cancels it and removes its jobs', async () => {
    const render = start(['render', project, '--farm', redis.url, '--cache', join(dir, 'waiting-cache'), '--frames-dir', join(dir, 'never')]);
    await render.waitFor(/no worker is connected/);
    // The flow is in Redis once the coordinator waits on it.
    while ((await jobsInQueue()) === 0) await new Promise((r) => setImmediate(r));
    render.child.kill('SIGINT');
    expect(await render.exit).toBe(130);
    expect(render.stderr()).toMatch(/latentblend render: cancelled/);
    expect(await jobsInQueue()).toBe(0);
  });

  it('renders on a worker process the same frames as a local render', async () => {
    const cache = join(dir, 'shared');
    const worker = start(['worker', '--redis', redis.url, '--cache', cache, '--name', 'gpu0']);
    try {
      await worker.waitFor(/worker gpu0 ready/);
      const farm = cli('render', project, '--farm', redis.url, '--cache', cache, '--frames-dir', join(dir, 'farm-frames'));
      expect(farm.stderr).toMatch(/farm-frames: \d+ frames/);
      expect(farm.code).toBe(0);
      const local = cli('render', project, '--frames-dir', join(dir, 'local-frames'));
      expect(local.code).toBe(0);
      const names = readdirSync(join(dir, 'local-frames')).sort();
      expect(readdirSync(join(dir, 'farm-frames')).sort()).toEqual(names);
      for (const name of names) expect(readFileSync(join(dir, 'farm-frames', name)).equals(readFileSync(join(dir, 'local-frames', name))), name).toBe(true);
      // spawnSync held the event loop: the worker's log arrives now.
      await worker.waitFor(/gpu0: done transition 2/);
    } finally {
      worker.child.kill('SIGTERM');
      expect(await worker.exit).toBe(0);
    }
  });

  it('answers a missing or unusable farm address with one clear line', () => {
    const noRedis = cli('worker', '--cache', dir);
    expect(noRedis.code).toBe(2);
    expect(noRedis.stderr).toMatch(/worker needs --redis redis:\/\/HOST:PORT/);
    const cacheAlone = cli('render', project, '--cache', dir, '--frames-dir', join(dir, 'x'));
    expect(cacheAlone.code).toBe(2);
    expect(cacheAlone.stderr).toMatch(/use it with --farm/);
    const badUrl = cli('render', project, '--farm', 'http://:secret@host:6379', '--frames-dir', join(dir, 'x'));
    expect(badUrl.code).toBe(1);
    expect(badUrl.stderr).toMatch(/uses http:\/\/, not redis:\/\/ or rediss:\/\/.*Fix: Write it as redis:\/\//);
    expect(badUrl.stderr).not.toMatch(/secret/);
  });
});
