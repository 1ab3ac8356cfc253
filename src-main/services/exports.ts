import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { ParsedRequest } from '../contract/contract';
import { exportVideo } from '../media/video-export';
import { formatFromPath } from '../media/video-format';
import type { GifOptions } from '../media/gif-options';
import { readPngFile } from '../media/png';
import { AppError, toErrorData } from './errors';
import type { JobBoard } from './jobs';
import type { MediaRoots } from './media/media-roots';
import { movieImages, planMovie, type RenderedTransition } from './movie-frames';
import type { MoviePacing } from '../engine/blend/movie-timing';
import { projectPacing } from '../project/pacing';
import type { ProjectsService } from './projects';
import type { RendersService } from './renders';
import { assertNotSystemFolder } from '../media/system-folders';

export type ExportRequest = ParsedRequest<'exports.start'>;

/**
 * Exports the open project's rendered movie through `media.exportVideo` (ffmpeg): one export at
 * a time, progress with ETA, cancel. Needs every transition rendered for the current settings;
 * re-timing (fps, durations) needs no new diffusion.
 */
export class ExportsService {
  private running: { jobId: string; controller: AbortController; identity: string } | null = null;
  /** Files and folders exports of this session wrote: the only paths "Show in folder" opens. */
  private readonly written = new Set<string>();

  constructor(
    private readonly deps: {
      projects: ProjectsService;
      renders: RendersService;
      board: JobBoard;
      media: MediaRoots;
      /** The user's ffmpeg setting, if any (else media's own search order). */
      ffmpegPath?: string;
    },
  ) {}

  /** Start an export; the same export (same file, settings and frames) while it runs joins it. */
  start(request: ExportRequest): { jobId: string; joined?: boolean } {
    const { project } = this.deps.projects.require();
    const { transitions } = this.deps.renders.currentFiles();
    const missing = project.transitions.map((_, i) => i).filter((i) => !transitions.get(i)?.complete);
    if (project.transitions.length === 0 || missing.length > 0) {
      throw new AppError(
        'NOT_RENDERED',
        project.transitions.length === 0
          ? 'There is nothing to export: the project has a single keyframe.'
          : `Transition${missing.length > 1 ? 's' : ''} ${missing.map((i) => i + 1).join(', ')} ${missing.length > 1 ? 'are' : 'is'} not rendered for the current settings.`,
        { hint: 'Render the movie first (Render movie), then export.' },
      );
    }
    // The distances the player spread frames by, when measured: preview and export place every frame alike.
    const rendered: RenderedTransition[] = project.transitions.map((t, i) => ({
      duration: t.duration,
      frames: transitions.get(i)!.frames,
      easing: t.easing,
      distances: transitions.get(i)!.distances,
    }));
    const output = path.resolve(request.path);
    // Refused at once, before a job appears on the board (stageOutput checks again when it writes).
    assertNotSystemFolder(output, (request.format ?? formatOf(output) ?? project.export.format) === 'png' ? 'dir' : 'file');
    const audio =
      request.audio === null ? undefined : request.audio ?? (project.export.audio ? this.deps.projects.resolveAsset(project.export.audio) : undefined);
    const options = {
      output,
      format: request.format ?? formatOf(output) ?? project.export.format,
      fps: request.fps ?? project.fps,
      crf: request.crf ?? project.export.crf,
      preset: request.preset ?? project.export.preset,
      // zod leaves out what the request left out, so the request's fields override the project's one by one.
      gif: { ...project.export.gif, ...request.gif },
      audio,
      overwrite: request.overwrite,
      pacing: projectPacing(project),
    };
    const identity = JSON.stringify({ options, rendered });
    if (this.running) {
      if (this.running.identity === identity && !this.running.controller.signal.aborted) return { jobId: this.running.jobId, joined: true };
      throw new AppError('BUSY', 'An export is already running.', { hint: 'Wait for it to finish or cancel it first.' });
    }
    const job = this.deps.board.add('export', `Export ${path.basename(output)}`, undefined, project.name);
    const controller = new AbortController();
    this.running = { jobId: job.jobId, controller, identity };
    void this.run(job.jobId, rendered, options, controller.signal).finally(() => {
      this.running = null;
    });
    return { jobId: job.jobId };
  }

  /** Whether an export of this session wrote exactly this path. */
  wrote(file: string): boolean {
    return this.written.has(path.resolve(file));
  }

  cancel(jobId: string): boolean {
    if (this.running?.jobId !== jobId) return false;
    this.running.controller.abort();
    return true;
  }

  private async run(
    jobId: string,
    rendered: RenderedTransition[],
    options: { output: string; format: 'mp4' | 'webm' | 'gif' | 'png'; fps: number; crf: number; preset: string; gif: Partial<GifOptions>; audio?: string; overwrite?: string; pacing: MoviePacing },
    signal: AbortSignal,
  ): Promise<void> {
    const { board } = this.deps;
    board.running(jobId);
    try {
      const plan = await planMovie(rendered, options.fps, options.pacing);
      const first = await readPngFile(rendered[0].frames[0].file);
      board.progress(jobId, { phase: 'encoding', done: 0, total: plan.totalFrames, etaMs: null });
      const result = await exportVideo(movieImages(plan), {
        output: options.output,
        format: options.format,
        width: first.width,
        height: first.height,
        fps: options.fps,
        totalFrames: plan.totalFrames,
        // ffmpeg's CRF scales differ per encoder; media ignores it for GIF and PNG.
        crf: options.format === 'mp4' ? Math.min(options.crf, 51) : options.crf,
        preset: options.preset,
        gif: options.gif,
        audio: options.audio,
        overwrite: options.overwrite,
        ffmpegPath: this.deps.ffmpegPath,
        signal,
        // Half the bar for handing frames over, half for ffmpeg writing them: a GIF's palette
        // takes every frame before the first comes out, so either count alone would lie.
        onProgress: (p) => board.progress(jobId, { phase: 'encoding', done: Math.floor((p.done + p.encoded) / 2), total: p.total, etaMs: p.etaMs }),
      });
      this.written.add(path.resolve(result.output));
      board.done(jobId, {
        kind: 'export',
        path: result.output,
        url: await this.urlOf(result.output, result.format),
        format: result.format,
        frames: result.frames,
        bytes: result.bytes,
        warnings: result.warnings,
      });
    } catch (error) {
      board.fail(jobId, toErrorData(error));
    }
  }

  /** A playable URL for the result (for a PNG sequence, its first image). */
  private async urlOf(output: string, format: string): Promise<string> {
    // Only the file just written is served, never the folder it was exported into.
    if (format !== 'png') {
      this.deps.media.allowFile(output);
      return this.deps.media.urlFor(output);
    }
    const first = (await readdir(output)).filter((f) => f.endsWith('.png')).sort()[0];
    if (!first) return '';
    this.deps.media.allowFile(path.join(output, first));
    return this.deps.media.urlFor(path.join(output, first));
  }
}

/** The format a file name implies, or undefined (a PNG sequence folder has no extension). */
function formatOf(output: string) {
  try {
    return formatFromPath(output);
  } catch {
    return undefined;
  }
}
