/**
 * `npm run bench:farm`: a six-transition demo movie rendered locally and on a farm (a private
 * redis-server, workers in this process, one engine thread each, ONNX Runtime threads = 1 per
 * worker). Prints times and the two ratios: speedup of 2 workers over 1, and the farm path's
 * overhead over a local render with one worker. Numbers only; measured in one run.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngineClient } from '../src-main/services/engine-client';
import { renderOnFarm } from '../src-main/services/farm/farm-render';
import { startFarmWorker, type FarmWorker } from '../src-main/services/farm/farm-worker';
import { startTestRedis } from '../src-main/services/farm/testing/redis-server';
import type { RenderJob } from '../src-main/services/render/render-spec';

const renderJob = (job: RenderJob) => job;

const PROMPTS = [
  'a red sunset over the ocean', 'a dark green forest at night', 'snowy mountains under a blue sky', 'a golden desert at noon',
  'a purple nebula in deep space', 'a harbour with boats at dawn', 'autumn leaves in orange light',
];
const SIZE = 384;
const PRESET = 'low';
const THREADS = 1;

/** The movie with seeds from `seed` on: a new seed set means nothing comes from the cache. */
function writeProject(dir: string, seed: number): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `movie-${seed}.lbs.json`);
  writeFileSync(file, JSON.stringify({
    format: 'latent-blending-studio', version: 1, model: { id: 'demo' }, provider: 'cpu', width: SIZE, height: SIZE, fps: 24,
    keyframes: PROMPTS.map((prompt, i) => ({ prompt, seed: seed + i })),
    transitions: PROMPTS.slice(1).map(() => ({ duration: 3, depthStrength: 0.5, mode: { kind: 'fixed', preset: PRESET } })),
  }));
  return file;
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await run();
  return (performance.now() - t0) / 1000;
}

/** Rounds of (local, 1 worker, 2 workers); the fastest of each counts, so load from elsewhere on a shared machine weighs less. */
const ROUNDS = 3;

export async function farmBench(): Promise<Record<string, number | string>> {
  const root = mkdtempSync(join(tmpdir(), 'lbs-farm-bench-'));
  // One Redis per farm, so the 1-worker and 2-worker farms never take each other's jobs.
  const redis = [await startTestRedis(), await startTestRedis()];
  const engine = createEngineClient();
  const workers: FarmWorker[] = [];
  const figures: Record<string, number | string> = {};
  let seed = 0;
  try {
    const local = () =>
      engine.start(renderJob({ kind: 'render', projectFile: writeProject(join(root, 'local'), (seed += 100)), scope: { kind: 'movie' }, session: { intraOpNumThreads: THREADS } })).result;
    for (const [farm, count] of [[0, 1], [1, 2]] as const) {
      for (let w = 0; w < count; w++) workers.push(await startFarmWorker({ redisUrl: redis[farm].url, cacheDir: join(root, `farm-${count}`), intraOpNumThreads: THREADS, name: `f${count}w${w}` }));
    }
    const onFarm = (farm: number) => () => renderOnFarm({ projectFile: writeProject(join(root, `p-${farm}`), (seed += 100)), redisUrl: redis[farm].url, cacheDir: join(root, `farm-${farm + 1}`) });
    // Warm-up: the local engine and every worker load the model once and keep it.
    await local();
    await onFarm(0)();
    await onFarm(1)();
    await onFarm(1)();
    const best = { local: Infinity, one: Infinity, two: Infinity };
    for (let round = 0; round < ROUNDS; round++) {
      best.local = Math.min(best.local, await timed(local));
      best.one = Math.min(best.one, await timed(onFarm(0)));
      best.two = Math.min(best.two, await timed(onFarm(1)));
    }
    figures['movie'] = `${PROMPTS.length - 1} transitions, ${SIZE}×${SIZE}, preset ${PRESET}, ORT threads ${THREADS} per worker, best of ${ROUNDS}`;
    figures['local render (s)'] = best.local;
    figures['farm, 1 worker (s)'] = best.one;
    figures['farm, 2 workers (s)'] = best.two;
    figures['speedup 2 workers vs 1 (×)'] = best.one / best.two;
    figures['farm overhead, 1 worker vs local (×)'] = best.one / best.local;
  } finally {
    await Promise.all(workers.map((w) => w.close()));
    await engine.dispose();
    await Promise.all(redis.map((r) => r.stop()));
    rmSync(root, { recursive: true, force: true });
  }
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write('\n## render farm (demo model)\n');
  for (const [name, value] of Object.entries(await farmBench())) {
    process.stdout.write(`${name.padEnd(44)} ${typeof value === 'number' ? value.toFixed(3) : value}\n`);
  }
}
