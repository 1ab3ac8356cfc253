import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelPool } from '../src-main/engine/jobs/models';
import { makeContext } from '../src-main/engine/jobs/context';
import { runRenderJob } from '../src-main/services/render/render-job';

const SIZE = 512;
const REPEATS = 3;

/** fast: its default image count (as many as medium, 9); fast-18: twice as many (one per 4 frames). */
type Kind = 'medium' | 'fast' | 'fast-18';

/** One 3 s transition at 24 fps: the medium preset on the demo model, or fast mode on the few-step demo. */
function writeProject(root: string, kind: Kind, preview?: { size: number; branches: number }): string {
  const dir = join(root, kind);
  mkdirSync(root, { recursive: true });
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
      width: preview?.size ?? SIZE,
      height: preview?.size ?? SIZE,
      fps: 24,
      guidance: fast ? 0 : 7.5,
      keyframes: [
        { prompt: 'a red sunset over the ocean', seed: 0 },
        { prompt: 'snowy mountains under a blue sky', seed: 1 },
      ],
      transitions: [{ duration: 3, depthStrength: 0.5, mode: preview ? { kind: 'fast', branches: preview.branches } : kind === 'fast' ? { kind: 'fast' } : kind === 'fast-18' ? { kind: 'fast', branches: 18 } : { kind: 'fixed', preset: 'medium' } }],
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
  const kinds = ['medium', 'fast', 'fast-18'] as const;
  const runs: Record<Kind, { evaluations: number; rows: number; wall: number; first: number; run: number; images: number; scheduler: string }[]> = { medium: [], fast: [], 'fast-18': [] };
  const models = new ModelPool();
  try {
    // Interleaved repeats with the median reported: the machine is shared, single runs jitter.
    for (let repeat = 0; repeat < REPEATS; repeat++) {
      for (const kind of kinds) {
        const file = writeProject(join(root, String(repeat)), kind);
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
        runs[kind].push({
          evaluations: result.stats.unetEvaluations, rows: kind === 'medium' ? 2 * images : images, wall, first,
          run: sd.stats.sessionRunMs - before.sessionRunMs, images: result.transitions[0].images, scheduler: sd.info.scheduler.kind,
        });
      }
    }
    const median = (kind: Kind, key: 'wall' | 'first' | 'run'): number => {
      const v = runs[kind].map((r) => r[key]).sort((a, b) => a - b);
      return v[Math.floor(v.length / 2)];
    };
    for (const kind of kinds) {
      const r = runs[kind][0];
      figures[`${kind}: scheduler, steps, guidance`] = kind === 'medium' ? `${r.scheduler}, 30, 7.5` : `${r.scheduler}, 4, 0`;
      figures[`${kind}: final images`] = r.images;
      figures[`${kind}: UNet evaluations (image × step)`] = r.evaluations;
      figures[`${kind}: UNet rows (guided = 2 per evaluation)`] = r.rows;
      figures[`${kind}: wall time, model loaded (ms, median of ${REPEATS})`] = median(kind, 'wall');
      figures[`${kind}: inside session.run, UNet + VAE (ms)`] = median(kind, 'run');
      figures[`${kind}: time to first image (ms)`] = median(kind, 'first');
    }
    // On the demo model the VAE, not the UNet, is most of the time: the same number of decodes
    // keeps the wall-time ratio near 1 even at a fifth of the evaluations (a real UNet is the other way round).
    const sd = await models.get({ kind: 'demo-fast' }, { provider: 'cpu' });
    const latent = { data: new Float32Array(4 * (SIZE / 8) ** 2), dims: [1, 4, SIZE / 8, SIZE / 8] };
    const decodes: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await sd.decode(latent);
      decodes.push(performance.now() - t0);
    }
    figures['demo VAE decode, one 512² image (ms, median of 3)'] = decodes.sort((a, b) => a - b)[1];
    // What a live preview while dragging would cost: fast mode at 256², 5 images.
    const previews: number[] = [];
    for (let repeat = 0; repeat < REPEATS; repeat++) {
      const file = writeProject(join(root, `preview-${repeat}`), 'fast', { size: 256, branches: 5 });
      const ctx = makeContext({ signal: new AbortController().signal, models, onProgress: () => {}, onEvent: () => {} });
      const t0 = performance.now();
      await runRenderJob({ kind: 'render', projectFile: file, scope: { kind: 'movie' } }, ctx);
      previews.push(performance.now() - t0);
    }
    figures['preview: fast, 256², 5 images, wall (ms, median)'] = previews.sort((a, b) => a - b)[Math.floor(REPEATS / 2)];
    const medium = runs.medium[0];
    for (const kind of ['fast', 'fast-18'] as const) {
      figures[`${kind} / medium: UNet evaluations`] = runs[kind][0].evaluations / medium.evaluations;
      figures[`${kind} / medium: UNet rows`] = runs[kind][0].rows / medium.rows;
      figures[`${kind} / medium: wall time`] = median(kind, 'wall') / median('medium', 'wall');
      figures[`${kind} / medium: time to first image`] = median(kind, 'first') / median('medium', 'first');
    }
  } finally {
    await models.dispose();
    rmSync(root, { recursive: true, force: true });
  }
  return figures;
}
