import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelPool } from '../../engine/jobs/models';
import { makeContext } from '../../engine/jobs/context';
import { runRenderJob } from './render-job';

const root = mkdtempSync(join(tmpdir(), 'lbs-seeds-'));
const models = new ModelPool();
afterAll(async () => {
  await models.dispose();
  rmSync(root, { recursive: true, force: true });
});

function project(image?: string): string {
  const file = join(root, `p${Math.random().toString(36).slice(2)}.lbs.json`);
  const json = {
    format: 'latent-blending-studio', version: 1, name: 'seeds', model: { id: 'demo' }, provider: 'cpu', width: 256, height: 256, steps: 10,
    keyframes: [{ id: 'k1', prompt: 'a red sunset', seed: 1, ...(image ? { image } : {}) }, { id: 'k2', prompt: 'a forest', seed: 2 }],
    transitions: [{ duration: 1 }],
  };
  writeFileSync(file, JSON.stringify(json));
  return file;
}

function run(projectFile: string, scope: Parameters<typeof runRenderJob>[0]['scope'], seeds: number[]) {
  const events: Record<string, unknown>[] = [];
  const ctx = makeContext({ signal: new AbortController().signal, models, onProgress: () => {}, onEvent: (e) => events.push(e) });
  return { result: runRenderJob({ kind: 'render', projectFile, scope, seeds }, ctx), events };
}

describe('render job: seeds ("Try seeds")', () => {
  it('refuses seeds for anything but a generated keyframe, before any diffusion', async () => {
    const file = project();
    await expect(run(file, { kind: 'transition', index: 0 }, [1]).result).rejects.toThrow(/Seeds can only be tried for a keyframe, not for a transition/);
    await expect(run(file, { kind: 'keyframe', index: 0 }, []).result).rejects.toThrow(/at least one seed/);
    await expect(run(project('images/k1.png'), { kind: 'keyframe', index: 0 }, [1]).result).rejects.toThrow(/Keyframe 1 shows an imported picture/);
  });

  it('announces one variant per seed in the order asked, and a repeated job is all cache hits', async () => {
    const file = project();
    const first = run(file, { kind: 'keyframe', index: 1 }, [5, 6]);
    expect(await first.result).toMatchObject({ fromCache: false, stats: { unetCalls: 20 } });
    expect(first.events.map((e) => [e.kind, e.keyframe, e.seed])).toEqual([['variant', 1, 5], ['variant', 1, 6]]);
    expect(first.events[0].file).not.toBe(first.events[1].file);
    const again = run(file, { kind: 'keyframe', index: 1 }, [6]);
    expect(await again.result).toMatchObject({ fromCache: true, stats: { unetCalls: 0 } });
    expect(again.events[0].file).toBe(first.events[1].file);
  });
});
