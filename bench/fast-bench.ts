import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelPool } from '../src-main/engine/jobs/models';
import { makeContext } from '../src-main/engine/jobs/registry';
import { runRenderJob } from '../src-main/services/render-job';

const SIZE = 512;

/** fast: its default image count (as many as medium, 9); fast-18: twice as many (one per 4 frames). */
type Kind = 'medium' | 'fast' | 'fast-18';

/** One 3 s transition at 24 fps: the medium preset on the demo model, or fast mode on the few-step demo. */
function writeProject(root: string, kind: Kind): string {
  const dir = join(root, kind);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${kind}.lbs.json`);
  const fast = kind !== 'medium';
  writeFileSync(
    file,
    JSON.stringify({
      format: 'latent-blending-studio',
      version: 1,
      model: { id: fast ? 'demo-fast' : 'demo' },
      provider: 'cpu',
      width: SIZE,
      height: SIZE,
      fps: 24,
      guidance: fast ? 0 : 7.5,
      keyframes: [
        { prompt: 'a red sunset over the ocean', seed: 0 },
        { prompt: 'snowy mountains under a blue sky', seed: 1 },
      ],
      transitions: [{ duration: 3, depthStrength: 0.5, mode: kind === 'fast' ? { kind: 'fast' } : kind === 'fast-18' ? { kind: 'fast', branches: 18 } : { kind: 'fixed', preset: 'medium' } }],
    }),
  );
  return file;
}

/**
 * Fast mode (few-step demo: Euler trailing, 4 steps, guidance 0, every branch injected at step
 * 2) against the medium preset (DDIM, 30 steps, guidance 7.5) for one 3 s transition at 24 fps
 * at 512×512: UNet evaluations (image × step), UNet rows (a guided evaluation is two rows: cond
 * and uncond), wall time of the render with the model loaded, and time to the first image.
 */
export async function fastBench(): Promise<Record<string, number | string>> {
  const root = mkdtempSync(join(tmpdir(), 'lbs-fast-bench-'));
  const figures: Record<string, number | string> = {};
  const measured: Record<string, { evaluations: number; rows: number; wall: number; first: number; images: number }> = {};
  try {
    for (const kind of ['medium', 'fast', 'fast-18'] as const) {
      const models = new ModelPool();
      const file = writeProject(root, kind);
      const sd = await models.get({ kind: kind === 'medium' ? 'demo' : 'demo-fast' }, { provider: 'cpu' });
      const before = { ...sd.stats };
      let first = 0;
      const t0 = performance.now();
      const ctx = makeContext({
        signal: new AbortController().signal, models, onProgress: () => {},
        onEvent: (e) => {
          if ((e as { kind?: string }).kind === 'frame' && first === 0) first = performance.now() - t0;
        },
      });
      const result = await runRenderJob({ kind: 'render', projectFile: file, scope: { kind: 'movie' } }, ctx);
      const wall = performance.now() - t0;
      const images = sd.stats.unetImages - before.unetImages;
      measured[kind] = { evaluations: result.stats.unetEvaluations, rows: kind === 'medium' ? 2 * images : images, wall, first, images: result.transitions[0].images };
      figures[`${kind}: scheduler, steps, guidance`] = kind === 'medium' ? `${sd.info.scheduler.kind}, 30, 7.5` : `${sd.info.scheduler.kind}, 4, 0`;
      figures[`${kind}: time inside session.run, UNet + VAE (ms)`] = sd.stats.sessionRunMs - before.sessionRunMs;
      figures[`${kind}: final images`] = result.transitions[0].images;
      figures[`${kind}: UNet evaluations (image × step)`] = result.stats.unetEvaluations;
      figures[`${kind}: UNet rows (guided = 2 per evaluation)`] = measured[kind].rows;
      figures[`${kind}: wall time, model loaded (ms)`] = wall;
      figures[`${kind}: time to first image (ms)`] = first;
      await models.dispose();
    }
    const { medium } = measured;
    for (const kind of ['fast', 'fast-18'] as const) {
      const m = measured[kind];
      figures[`${kind} / medium: UNet evaluations`] = m.evaluations / medium.evaluations;
      figures[`${kind} / medium: UNet rows`] = m.rows / medium.rows;
      figures[`${kind} / medium: wall time`] = m.wall / medium.wall;
      figures[`${kind} / medium: time to first image`] = m.first / medium.first;
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return figures;
}
