import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelPool } from '../src-main/engine/jobs/models';
import { makeContext } from '../src-main/engine/jobs/context';
import { runPlanJob } from '../src-main/services/render/plan-job';
import { runRenderJob } from '../src-main/services/render/render-job';

const PROMPTS = [
  'a red sunset over the ocean',
  'a dark green forest at night',
  'snowy mountains under a blue sky',
  'a golden desert at noon',
  'a purple nebula in deep space',
  'a harbour with boats at dawn',
  'autumn leaves in orange light',
  'a frozen lake under the moon',
  'a field of yellow sunflowers',
  'a stormy grey sea',
];

function writeProject(root: string, name: string, keyframes: number, preset: string, size = 512): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.lbs.json`);
  writeFileSync(
    file,
    JSON.stringify({
      format: 'latent-blending-studio',
      version: 1,
      model: { id: 'demo' },
      provider: 'cpu',
      width: size,
      height: size,
      fps: 24,
      keyframes: PROMPTS.slice(0, keyframes).map((prompt, i) => ({ prompt, seed: i })),
      transitions: Array.from({ length: keyframes - 1 }, () => ({ duration: 3, depthStrength: 0.5, mode: { kind: 'fixed', preset } })),
    }),
  );
  return file;
}

/**
 * Blending figures on the demo model at 512×512: plan vs actual UNet evaluations, the engine's
 * overhead on a transition (wall time ÷ time inside session.run), a fully cached re-render,
 * batching (UNet calls vs images), and peak memory of a 10-keyframe movie.
 */
export async function blendBench(): Promise<Record<string, number | string>> {
  const root = mkdtempSync(join(tmpdir(), 'lbs-blend-bench-'));
  const figures: Record<string, number | string> = {};
  try {
    for (const maxBatch of [1, 8]) {
      const models = new ModelPool();
      const ctx = makeContext({ signal: new AbortController().signal, models, onProgress: () => {}, onEvent: () => {} });
      const file = writeProject(root, `transition-b${maxBatch}`, 2, 'medium');
      const sd = await models.get({ kind: 'demo' }, { provider: 'cpu', maxBatch });
      const plan = await runPlanJob({ kind: 'plan', projectFile: file, session: { maxBatch } }, ctx);
      const before = { ...sd.stats };
      const t0 = performance.now();
      const result = await runRenderJob({ kind: 'render', projectFile: file, scope: { kind: 'movie' }, session: { maxBatch } }, ctx);
      const wall = performance.now() - t0;
      const run = sd.stats.sessionRunMs - before.sessionRunMs;
      const calls = sd.stats.unetCalls - before.unetCalls;
      const images = sd.stats.unetImages - before.unetImages;
      if (maxBatch === 1) {
        figures['transition: UNet evaluations, plan'] = plan.transitions[0].unetEvaluations;
        figures['transition: UNet evaluations, rendered'] = result.transitions[0].unetEvaluations;
        figures['transition: wall time (ms)'] = wall;
        figures['transition: time inside session.run (ms)'] = run;
        figures['transition: engine overhead ratio (wall / run)'] = wall / run;
        const t1 = performance.now();
        const cached = await runRenderJob({ kind: 'render', projectFile: file, scope: { kind: 'movie' }, session: { maxBatch } }, ctx);
        figures['cached re-render: wall time (ms)'] = performance.now() - t1;
        figures['cached re-render: UNet evaluations computed'] = cached.stats.computedEvaluations;
        figures['batch 1: UNet calls / images denoised'] = `${calls} / ${images}`;
        figures['batch 1: wall time (ms)'] = wall;
      } else {
        figures[`batch ${maxBatch}: UNet calls / images denoised`] = `${calls} / ${images}`;
        figures[`batch ${maxBatch}: wall time (ms)`] = wall;
        figures[`batching speedup (batch 1 wall / batch ${maxBatch} wall)`] = (figures['batch 1: wall time (ms)'] as number) / wall;
      }
      await models.dispose();
    }
    const models = new ModelPool();
    const ctx = makeContext({ signal: new AbortController().signal, models, onProgress: () => {}, onEvent: () => {} });
    const movie = writeProject(root, 'movie10', 10, 'low');
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const t0 = performance.now();
    const result = await runRenderJob({ kind: 'render', projectFile: movie, scope: { kind: 'movie' } }, ctx);
    clearInterval(timer);
    figures['10-keyframe movie: wall time (s)'] = (performance.now() - t0) / 1000;
    figures['10-keyframe movie: UNet evaluations'] = result.stats.unetEvaluations;
    figures['10-keyframe movie: peak RSS during render (MB)'] = Math.max(peak, process.memoryUsage().rss) / 2 ** 20;
    figures['10-keyframe movie: RSS before render (MB)'] = rssBefore / 2 ** 20;
    await models.dispose();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return figures;
}
