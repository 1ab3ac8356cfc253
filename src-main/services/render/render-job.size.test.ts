import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../engine/errors';
import { ModelPool } from '../../engine/jobs/models';
import { makeContext } from '../../engine/jobs/context';
import { runRenderJob } from './render-job';

const here = path.dirname(fileURLToPath(import.meta.url));
/** An SD 2 UNet as diffusers builds it (three downsamplers), exported to ONNX. */
const SD2_TINY = path.resolve(here, '../../../../shared/conformance/sd2-tiny-diffusers/model');

const root = mkdtempSync(join(tmpdir(), 'lbs-render-size-'));
const models = new ModelPool();
afterAll(async () => {
  await models.dispose();
  rmSync(root, { recursive: true, force: true });
});

describe('a project size the model cannot take', () => {
  it('is refused before any UNet call with one message naming the sizes that fit', async () => {
    const file = join(root, 'narrow.lbs.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'latent-blending-studio',
        version: 1,
        name: 'narrow',
        model: { path: SD2_TINY },
        provider: 'cpu',
        width: 264,
        height: 256,
        steps: 10,
        keyframes: [{ prompt: 'a red house' }, { prompt: 'a blue lake' }],
        transitions: [{ duration: 1, mode: { kind: 'fixed', preset: 'lowest' } }],
      }),
    );
    const events: Record<string, unknown>[] = [];
    const phases: string[] = [];
    const ctx = makeContext({ signal: new AbortController().signal, models, onProgress: (p) => phases.push(p.phase), onEvent: (e) => events.push(e) });
    const error = await runRenderJob({ kind: 'render', projectFile: file, scope: { kind: 'movie' } }, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('MODEL_SIZE_UNSUPPORTED');
    expect((error as EngineError).message).toMatch(/^264×256 does not fit .*: this model's UNet takes sizes in multiples of 64 px \(its graph halves the latent 3 times\); use width 256 or 320\.$/);
    expect((error as EngineError).hint).toMatch(/Width and Height in the Project tab/);
    // Nothing was rendered: no image announced, no denoising begun.
    expect(events.filter((e) => e.kind === 'frame' || e.kind === 'keyframe')).toEqual([]);
    expect(phases).not.toContain('denoising');
    const sd = await models.get({ kind: 'path', path: SD2_TINY }, { provider: 'cpu' });
    expect(sd.stats.unetCalls).toBe(0);
  });
});
