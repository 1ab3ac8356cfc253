import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AudioAnalysis } from '../contract/contract';
import { handlersFor } from './handlers';
import { createRouter, type Router } from './router';
import { createStudio, type Studio } from '../services/studio';
import { RenderJobDouble } from '../services/testing/render-engine-double';

let dir: string;
let studio: Studio;
let router: Router;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lbs-audio-service-'));
  studio = createStudio({ engine: new RenderJobDouble(null), host: 'web', mediaBase: '/media', version: '0.0.0-test', configDir: dir });
  router = createRouter(handlersFor(studio));
});

afterAll(async () => {
  await studio.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('audio.analyze (the music track under the timeline)', () => {
  it('says what to do when the project has no music track', async () => {
    await router.handle('project.new', {});
    const r = await router.handle('audio.analyze', {});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'NOT_FOUND', message: 'The project has no music track.' });
  });

  it('gives the waveform, tempo and beats of the project\'s export audio', async () => {
    // A 110 bpm click track from ffmpeg's sine source, one 30 ms tone burst per beat.
    const wav = path.join(dir, 'clicks.wav');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', "aevalsrc='sin(2*PI*1500*t)*lt(mod(t,60/110),0.03)':s=44100:d=16", wav]);
    const file = path.join(dir, 'song.lbs.json');
    await writeFile(
      file,
      JSON.stringify({ format: 'latent-blending-studio', version: 2, keyframes: [{ prompt: 'a' }, { prompt: 'b' }], export: { audio: 'clicks.wav' } }),
    );
    const opened = await router.handle('project.open', { path: file });
    expect(opened.ok).toBe(true);
    const r = await router.handle('audio.analyze', {});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const value = r.value as AudioAnalysis;
    expect(Math.abs(value.bpm - 110) / 110).toBeLessThan(0.01);
    expect(value.durationSeconds).toBeCloseTo(16, 1);
    expect(value.waveform.peaks).toHaveLength(16 * 50);
    expect(Math.max(...value.waveform.peaks)).toBeGreaterThan(0.9);
    const beat = 60 / 110;
    for (const b of value.beats.slice(1, -1)) expect(Math.abs(b / beat - Math.round(b / beat)) * beat).toBeLessThan(0.015);
  });
});
