import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelPool } from '../../engine/jobs/models';
import { makeContext } from '../../engine/jobs/context';
import { encodePng } from '../../media/png';
import { parseProject } from '../../project/parse';
import { farmFingerprint } from './fingerprint';
import type { FarmPiece } from './messages';
import { runFarmPieceJob } from './piece-job';

const cacheDir = mkdtempSync(join(tmpdir(), 'lbs-farm-piece-'));
const models = new ModelPool();
afterAll(async () => {
  await models.dispose();
  rmSync(cacheDir, { recursive: true, force: true });
});

const png = encodePng({ width: 8, height: 8, data: new Uint8Array(8 * 8 * 3).fill(200) });
const name = `${createHash('sha256').update(png).digest('hex')}.png`;

function piece(image: string, inputs: Record<string, string>): FarmPiece {
  const project = parseProject({
    format: 'latent-blending-studio', version: 1, width: 256, height: 256,
    keyframes: [{ prompt: 'a', seed: 1, image }, { prompt: 'b', seed: 2 }],
    transitions: [{ duration: 2, mode: { kind: 'fixed', preset: 'lowest' } }],
  });
  return { kind: 'transition', index: 0, flowId: 'flow-0001', fingerprint: farmFingerprint(project), project: project as unknown as Record<string, unknown>, inputs, session: {} };
}

function run(p: unknown) {
  const ctx = makeContext({ signal: new AbortController().signal, models, onProgress: () => {}, onEvent: () => {} });
  return runFarmPieceJob({ kind: 'farm-piece', piece: p, cacheDir, session: { provider: 'cpu' } }, ctx);
}

describe('a farm worker reads only what the job carries', () => {
  it('refuses a keyframe image the job names but does not carry, before loading any model', async () => {
    await expect(run(piece('images/a.png', {}))).rejects.toMatchObject({ code: 'INVALID_PROJECT', message: 'Keyframe 1 names images/a.png, which the farm job does not carry.' });
  });

  it('refuses an input whose bytes do not match its SHA-256 name', async () => {
    const other = Buffer.from('not the picture').toString('base64');
    await expect(run(piece(name, { [name]: other }))).rejects.toMatchObject({ code: 'INVALID_PROJECT', message: `The farm job's input ${name} does not match its content.` });
  });

  it('refuses malformed job data with the field at fault', async () => {
    await expect(run({ ...piece(name, {}), keyframeA: '../../etc/passwd' })).rejects.toMatchObject({ code: 'BAD_ARGUMENT', message: expect.stringMatching(/keyframeA must be a keyframe trajectory key/) });
  });
});
