import { stat } from 'node:fs/promises';
import { decodeAudio } from '../media/audio-decode';
import { detectBeats, waveformPeaks } from '../media/beats';
import { AppError } from './errors';
import type { ProjectsService } from './projects';

/** Waveform buckets a second: enough for the timeline's widest zoom (160 px/s) to look smooth. */
export const WAVEFORM_PER_SECOND = 50;

export interface AudioAnalysis {
  /** The project's audio path, as written in the project. */
  readonly path: string;
  readonly durationSeconds: number;
  readonly bpm: number;
  readonly confidence: number;
  readonly beats: number[];
  readonly waveform: { readonly perSecond: number; readonly peaks: number[] };
}

/**
 * The project's music track (`export.audio`, the one the export muxes): its waveform, tempo
 * and beats, for the timeline and "snap to beats". Decoding and analysis run once per file
 * version (path, size and modification time).
 */
export class AudioService {
  private cached: { key: string; analysis: Promise<AudioAnalysis> } | null = null;

  constructor(private readonly deps: { projects: ProjectsService; ffmpegPath?: string }) {}

  async analyze(): Promise<AudioAnalysis> {
    const { project } = this.deps.projects.require();
    const relative = project.export.audio;
    if (!relative) {
      throw new AppError('NOT_FOUND', 'The project has no music track.', { hint: 'Choose an audio file for the export (Project tab or Export), then analyse it.' });
    }
    const file = this.deps.projects.resolveAsset(relative);
    const info = await stat(file).catch(() => {
      throw new AppError('NOT_FOUND', `The music track ${relative} does not exist next to the project.`, { hint: 'Copy the audio file into the project folder or choose another one.' });
    });
    const key = JSON.stringify([file, info.size, info.mtimeMs]);
    if (this.cached?.key !== key) {
      const analysis = this.run(relative, file);
      this.cached = { key, analysis };
      // A failed analysis may succeed once the file is fixed.
      analysis.catch(() => {
        if (this.cached?.analysis === analysis) this.cached = null;
      });
    }
    return this.cached.analysis;
  }

  private async run(relative: string, file: string): Promise<AudioAnalysis> {
    const audio = await decodeAudio(file, { ffmpegPath: this.deps.ffmpegPath });
    let beats = { bpm: 0, beats: [] as number[], confidence: 0 };
    try {
      beats = detectBeats(audio.samples, audio.sampleRate);
    } catch (error) {
      throw new AppError('BAD_REQUEST', `No tempo found in ${relative}: ${(error as Error).message}.`, { hint: 'Use a longer piece of music.' });
    }
    const round = (x: number) => Math.round(x * 10000) / 10000;
    return {
      path: relative,
      durationSeconds: audio.durationSeconds,
      bpm: Math.round(beats.bpm * 100) / 100,
      confidence: Math.round(beats.confidence * 1000) / 1000,
      beats: beats.beats.map(round),
      waveform: { perSecond: WAVEFORM_PER_SECOND, peaks: waveformPeaks(audio.samples, audio.sampleRate, WAVEFORM_PER_SECOND) },
    };
  }
}
