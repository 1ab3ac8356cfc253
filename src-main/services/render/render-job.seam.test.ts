import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseProject } from '../../project/parse';
import { z } from 'zod';
import { EngineClient } from '../../engine/worker/client';
import { createEngineClient, PROJECT_WORKER_ENTRY } from '../engine-client';
import { projectJobs, type ProjectJobs } from '../project-jobs';
import type { FrameEvent } from './render-events';

const root = mkdtempSync(join(tmpdir(), 'lbs-render-seam-'));
const client = createEngineClient();
afterAll(async () => {
  await client.dispose();
  rmSync(root, { recursive: true, force: true });
});

const document = parseProject({
  format: 'latent-blending-studio',
  version: 1,
  name: 'in memory',
  model: { id: 'demo' },
  provider: 'cpu',
  width: 256,
  height: 256,
  fps: 8,
  guidance: 7.5,
  keyframes: [
    { id: 'k1', prompt: 'a red sunset over the ocean', seed: 10 },
    { id: 'k2', prompt: 'a dark green forest at night', seed: 11 },
  ],
  transitions: [{ duration: 1, depthStrength: 0.5, mode: { kind: 'fixed', preset: 'lowest' } }],
});

describe('a render job given its project in memory (the studio: no snapshot file)', () => {
  it('renders the project it carries, though no file is at projectFile, and announces the engine\'s key', async () => {
    const projectFile = join(root, 'never-written.lbs.json');
    const events: FrameEvent[] = [];
    const result = await client.run(
      { kind: 'render', project: document, projectFile, cacheDir: join(root, 'cache'), scope: { kind: 'keyframe', index: 1 } },
      { onEvent: (event) => (event.kind === 'frame' ? events.push(event) : undefined) },
    );
    expect(result.scope).toEqual({ kind: 'keyframe', index: 1 });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'frame', keyframe: 1, position: 0 });
    expect(events[0].key).toMatch(/^[0-9a-f]{24}$/);
    expect(existsSync(projectFile)).toBe(false);
  });

  it('refuses a project that is not valid by the contract\'s schema when it arrives, before any work', async () => {
    const bad = { ...document, width: -5 };
    const error = await client.run({ kind: 'render', project: bad, projectFile: join(root, 'x.lbs.json'), scope: { kind: 'keyframe', index: 0 } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BAD_ARGUMENT', message: expect.stringMatching(/'render' job is malformed: project\.width/) });
  });
});

describe('an event that does not match its kind\'s schema (a worker of another version)', () => {
  it('stops the job with the reason instead of dropping the frame, and the worker goes on with the next job', async () => {
    // A host whose table refuses every render event: the worker's real frame events are then malformed to it.
    const strict = new EngineClient<ProjectJobs>({ entry: PROJECT_WORKER_ENTRY, jobs: { ...projectJobs, render: { ...projectJobs.render, event: z.never() } } });
    try {
      const seen: unknown[] = [];
      const error = await strict
        .run({ kind: 'render', project: document, projectFile: join(root, 'strict.lbs.json'), cacheDir: join(root, 'cache-strict'), scope: { kind: 'keyframe', index: 0 } }, { onEvent: (e) => seen.push(e) })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'WORKER_CRASHED', message: expect.stringMatching(/malformed 'render' event .*the job was stopped/) });
      expect(seen).toEqual([]);
      const next = await strict.run({ kind: 'keyframe', model: { kind: 'demo' }, session: { provider: 'cpu' }, prompt: 'a red sunset', negativePrompt: '', seed: 1, steps: 2, guidance: 7.5, width: 64, height: 64, scheduler: 'ddim' });
      expect(next.image.width).toBe(64);
    } finally {
      await strict.dispose();
    }
  });
});
