import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryTransitionCache } from '../src-main/engine/blend/cache';
import { renderTransition } from '../src-main/engine/blend/transition';
import { ModelPool } from '../src-main/engine/jobs/models';
import { loadProject } from '../src-main/project/store';
import { transitionSpec } from '../src-main/services/transition-specs';
const root = mkdtempSync(join(tmpdir(), 'prof-'));
const models = new ModelPool();
const sd = await models.get({ kind: 'demo' }, { provider: 'cpu', maxBatch: 1 });
for (let i = 0; i < 4; i++) {
  const dir = join(root, `p${i}`); mkdirSync(dir); const file = join(dir, 'p.lbs.json');
  writeFileSync(file, JSON.stringify({ format: 'latent-blending-studio', version: 1, model: { id: 'demo' }, provider: 'cpu', width: 512, height: 512, fps: 24,
    keyframes: [{ prompt: 'a red sunset over the ocean', seed: i * 2 }, { prompt: 'a dark green forest at night', seed: i * 2 + 1 }],
    transitions: [{ duration: 3, depthStrength: 0.5, mode: { kind: 'fixed', preset: 'medium' } }] }));
  const spec = transitionSpec(await loadProject(file), 0);
  const before = sd.stats.sessionRunMs; const t0 = performance.now();
  await renderTransition(sd, spec, { cache: new MemoryTransitionCache() });
  const wall = performance.now() - t0; const run = sd.stats.sessionRunMs - before;
  console.log(`render ${i}: wall ${wall.toFixed(0)} ms, run ${run.toFixed(0)} ms, ratio ${(wall / run).toFixed(3)}, outside ${(wall - run).toFixed(0)} ms`);
}
process.exit(0);
