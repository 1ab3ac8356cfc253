import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryTransitionCache } from '../src-main/engine/blend/cache';
import { renderTransition } from '../src-main/engine/blend/transition';
import { ModelPool } from '../src-main/engine/jobs/models';
import { makeContext } from '../src-main/engine/jobs/context';
import { loadProject } from '../src-main/project/store';
import { runRenderJob } from '../src-main/services/render/render-job';
import { WRITE_BEHIND_LIMIT } from '../src-main/services/render/render-spec';
import { transitionSpec } from '../src-main/services/transition-specs';

const ROUNDS = 3;

/**
 * The render's hot path on the demo model (512×512, medium preset, one transition, cold cache):
 * transition wall time ÷ time inside session.run, with cache writes inline (each PNG and
 * latent file written before the next UNet call, as renders did before write-behind) and with
 * writes behind the render, and — the floor both are measured against — the engine alone
 * (renderTransition over an in-memory cache: no PNG, no files, no frame events). All in one
 * run, interleaved, on whatever else loads this machine: read the ratios, not the
 * milliseconds. Median of ROUNDS after one warm-up render.
 */
export async function hotPathBench(): Promise<Record<string, number | string>> {
  const root = mkdtempSync(join(tmpdir(), 'lbs-hot-path-'));
  const models = new ModelPool();
  const ctx = makeContext({ signal: new AbortController().signal, models, onProgress: () => {}, onEvent: () => {} });
  const sd = await models.get({ kind: 'demo' }, { provider: 'cpu', maxBatch: 1 });
  let project = 0;
  // A fresh project folder (and so an empty cache) per render; other seeds, same prompts.
  const projectFile = () => {
    const dir = join(root, `p${project++}`);
    mkdirSync(dir);
    const file = join(dir, 'p.lbs.json');
    const seed = project * 2;
    writeFileSync(
      file,
      JSON.stringify({
        format: 'latent-blending-studio', version: 1, model: { id: 'demo' }, provider: 'cpu', width: 512, height: 512, fps: 24,
        keyframes: [{ prompt: 'a red sunset over the ocean', seed }, { prompt: 'a dark green forest at night', seed: seed + 1 }],
        transitions: [{ duration: 3, depthStrength: 0.5, mode: { kind: 'fixed', preset: 'medium' } }],
      }),
    );
    return file;
  };
  const measured = async (render: () => Promise<unknown>) => {
    const before = sd.stats.sessionRunMs;
    const t0 = performance.now();
    await render();
    return (performance.now() - t0) / (sd.stats.sessionRunMs - before);
  };
  const once = async (writeBehind: number) => {
    const file = projectFile();
    return measured(() => runRenderJob({ kind: 'render', projectFile: file, scope: { kind: 'movie' }, session: { maxBatch: 1 }, writeBehind }, ctx));
  };
  const engineAlone = async () => {
    const spec = transitionSpec(await loadProject(projectFile()), 0);
    return measured(() => renderTransition(sd, spec, { cache: new MemoryTransitionCache() }));
  };
  try {
    await once(WRITE_BEHIND_LIMIT);
    const inline: number[] = [];
    const behind: number[] = [];
    const engine: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      inline.push(await once(0));
      behind.push(await once(WRITE_BEHIND_LIMIT));
      engine.push(await engineAlone());
    }
    const a = median(inline);
    const b = median(behind);
    const e = median(engine);
    return {
      'hot path: wall / Σ session.run, writes inline': a,
      'hot path: wall / Σ session.run, write-behind': b,
      'hot path: time outside ONNX Runtime, inline (%)': (1 - 1 / a) * 100,
      'hot path: time outside ONNX Runtime, behind (%)': (1 - 1 / b) * 100,
      'hot path: wall / Σ session.run, engine alone': e,
      'hot path: time outside ONNX Runtime, engine alone (%)': (1 - 1 / e) * 100,
      // What the render job (PNG, cache files, frame events) adds on top of the engine's own work.
      'hot path: write-behind render / engine alone': b / e,
    };
  } finally {
    await models.dispose();
    rmSync(root, { recursive: true, force: true });
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
}
