import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeAudio } from './audio-decode';
import { detectBeats } from './beats';

const dir = mkdtempSync(join(tmpdir(), 'lbs-audio-'));

/**
 * A music-like track made with ffmpeg's own sources: a melody whose note changes on every beat
 * (sines with a decaying envelope), a low sine kick on every beat, a noise snare on beats 2 and 4,
 * and pink noise under it all,
 * encoded as mp3.
 */
function musicFile(bpm: number, seconds: number): string {
  const file = join(dir, `music-${bpm}.mp3`);
  const beat = 60 / bpm;
  const note = `(220+55*mod(floor(t/${beat})*3,5))`;
  const melody = `0.45*sin(2*PI*${note}*t)*exp(-5*mod(t,${beat}))+0.2*sin(4*PI*${note}*t)*exp(-8*mod(t,${beat}))`;
  const snare = `0.35*(random(0)*2-1)*exp(-25*mod(t-${beat},${2 * beat}))*gte(t,${beat})`;
  const kick = `0.6*sin(2*PI*55*t)*exp(-18*mod(t,${beat}))`;
  execFileSync('ffmpeg', [
    '-v', 'error', '-y',
    // Quoted: the expression's commas would otherwise split the filter graph.
    '-f', 'lavfi', '-i', `aevalsrc='${melody}+${kick}+${snare}':s=44100:d=${seconds}`,
    '-f', 'lavfi', '-i', `anoisesrc=color=pink:amplitude=0.04:d=${seconds}:seed=7`,
    '-filter_complex', 'amix=inputs=2:normalize=0', '-c:a', 'libmp3lame', '-b:a', '128k', file,
  ]);
  return file;
}

describe('decodeAudio (ffmpeg → mono float PCM)', () => {
  it('reads an mp3 made of sines and noise and finds its tempo within 1 %', async () => {
    for (const bpm of [96, 132]) {
      const audio = await decodeAudio(musicFile(bpm, 24));
      expect(audio.sampleRate).toBe(22050);
      expect(audio.durationSeconds).toBeGreaterThan(23.9);
      const { bpm: found, beats } = detectBeats(audio.samples, audio.sampleRate);
      expect(Math.abs(found - bpm) / bpm).toBeLessThan(0.01);
      // Beats sit on the note starts (every 60/bpm s from 0), allowing the mp3 encoder's delay.
      const beat = 60 / bpm;
      for (const b of beats.slice(2, -2)) {
        const off = b / beat - Math.round(b / beat);
        expect(Math.abs(off * beat)).toBeLessThan(0.04);
      }
    }
  });

  it('names a file ffmpeg cannot decode and one that does not exist', async () => {
    const bad = join(dir, 'not-audio.mp3');
    writeFileSync(bad, 'hello');
    await expect(decodeAudio(bad)).rejects.toThrow(/ffmpeg could not decode the audio file .*not-audio\.mp3/);
    await expect(decodeAudio(join(dir, 'missing.wav'))).rejects.toMatchObject({ code: 'AUDIO_NOT_FOUND' });
  });
});
