import { describe, expect, it } from 'vitest';
import { detectBeats, waveformPeaks } from './beats';

const RATE = 22050;

/** A click track: a 5 ms decaying 2 kHz burst on every beat, starting `offset` seconds in. */
function clickTrack(bpm: number, seconds: number, offset = 0.1): { samples: Float32Array; clicks: number[] } {
  const samples = new Float32Array(Math.round(seconds * RATE));
  const clicks: number[] = [];
  for (let t = offset; t < seconds - 0.01; t += 60 / bpm) {
    clicks.push(t);
    const start = Math.round(t * RATE);
    for (let i = 0; i < 0.005 * RATE && start + i < samples.length; i++) {
      samples[start + i] += 0.8 * Math.sin((2 * Math.PI * 2000 * i) / RATE) * Math.exp(-i / (0.0015 * RATE));
    }
  }
  return { samples, clicks };
}

describe('detectBeats on click tracks', () => {
  for (const bpm of [60, 72, 90, 100, 120, 128, 140, 150, 174, 180]) {
    it(`finds ${bpm} bpm within 1 % and every click within 12 ms`, () => {
      const { samples, clicks } = clickTrack(bpm, 20);
      const found = detectBeats(samples, RATE);
      expect(Math.abs(found.bpm - bpm) / bpm).toBeLessThan(0.01);
      // Every click has a beat next to it and no beat is far from a click.
      for (const c of clicks.slice(1, -1)) expect(Math.min(...found.beats.map((b) => Math.abs(b - c)))).toBeLessThan(0.012);
      expect(found.beats.length).toBeGreaterThanOrEqual(clicks.length - 1);
      expect(found.confidence).toBeGreaterThan(0.3);
    });
  }

  it('takes the beat, not the bar, when every fourth click is louder', () => {
    const { samples } = clickTrack(120, 20);
    for (let bar = 0; bar < 10; bar++) {
      const start = Math.round((0.1 + bar * 2) * RATE);
      for (let i = 0; i < 0.005 * RATE; i++) samples[start + i] *= 2;
    }
    expect(Math.abs(detectBeats(samples, RATE).bpm - 120)).toBeLessThan(1.2);
  });

  it('says when the audio is too short to find a tempo', () => {
    expect(() => detectBeats(new Float32Array(RATE), RATE)).toThrow(/1\.0 s of audio is too short to find a tempo down to 50 bpm/);
  });

  it('reports no beat in silence', () => {
    expect(detectBeats(new Float32Array(10 * RATE), RATE)).toEqual({ bpm: 0, beats: [], confidence: 0 });
  });
});

describe('waveformPeaks', () => {
  it('gives the loudest sample of each bucket', () => {
    const samples = new Float32Array(RATE);
    samples[100] = -0.5;
    samples[RATE / 2 + 3] = 0.25;
    const peaks = waveformPeaks(samples, RATE, 2);
    expect(peaks).toEqual([0.5, 0.25]);
    expect(waveformPeaks(new Float32Array(RATE * 3), RATE, 50)).toHaveLength(150);
  });
});
