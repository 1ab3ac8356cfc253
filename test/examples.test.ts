import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelPool } from '../src-main/engine/jobs/models';
import { makeContext } from '../src-main/engine/jobs/context';
import { loadProject } from '../src-main/project/store';
import { runRenderJob } from '../src-main/services/render/render-job';

// The shipped examples must render from a fresh clone on the demo model.
const dir = mkdtempSync(join(tmpdir(), 'lbs-examples-'));
cpSync(resolve(__dirname, '../examples'), dir, { recursive: true });
const models = new ModelPool();
afterAll(() => models.dispose());

describe.each(['movie', 'inpaint'])('examples/%s.lbs.json', (name) => {
  it('renders every frame of the movie', async () => {
    const file = join(dir, `${name}.lbs.json`);
    const project = await loadProject(file);
    const ctx = makeContext({ signal: new AbortController().signal, models, onProgress: () => {}, onEvent: () => {} });
    const framesDir = join(dir, `${name}-frames`);
    const result = await runRenderJob({ kind: 'render', projectFile: file, scope: { kind: 'movie' }, framesDir }, ctx);
    // round(Σ durations · fps) frames (docs/project-format.md, Timing).
    const expected = Math.round(project.transitions.reduce((n, t) => n + t.duration, 0) * project.fps);
    expect(result.frames).toBe(expected);
    const manifest = JSON.parse(readFileSync(join(framesDir, 'frames.json'), 'utf8'));
    expect(manifest.frames).toHaveLength(expected);
    expect(result.transitions).toHaveLength(project.transitions.length);
  });
});
