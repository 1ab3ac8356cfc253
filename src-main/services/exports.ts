import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { ParsedRequest } from '../ipc/contract';
import { exportVideo, formatFromPath } from '../media';
import { decodePng } from '../media/png';
import { AppError, toErrorData } from './errors';
import type { JobBoard } from './jobs';
import type { MediaRoots } from './media/media-roots';
import { movieImages, planMovie, type RenderedTransition } from './movie-frames';
import type { MoviePacing } from '../engine/blend/movie-timing';
import { projectPacing } from '../project/pacing';
import type { ProjectsService } from './projects';
import type { RendersService } from './renders';

export type ExportRequest = ParsedRequest<'exports.start'>;

/**
 * Exports the open project's rendered movie through `media.exportVideo` (ffmpeg): one export at
 * a time, progress with ETA, cancel. Needs every transition rendered for the current settings;
 * re-timing (fps, durations) needs no new diffusion.
 */
export class ExportsService {
  private running: { jobId: string; controller: AbortController } | null = null;

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

  start(request: ExportRequest): { jobId: string } {
    if (this.running) {
      throw new AppError('BUSY', 'An export is already running.', { hint: 'Wait for it to finish or cancel it first.' });
    }
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
    // The distances the player spreads frames by: preview and export place every frame alike.
    const rendered: RenderedTransition[] = project.transitions.map((t, i) => ({
      duration: t.duration,
      frames: transitions.get(i)!.frames,
      easing: t.easing,
      distances: transitions.get(i)!.distances,
    }));
    const output = path.resolve(request.path);
    const audio =
      request.audio === null ? undefined : request.audio ?? (project.export.audio ? this.deps.projects.resolveAsset(project.export.audio) : undefined);
    const options = {
      output,
      format: request.format ?? formatOf(output) ?? project.export.format,
      fps: request.fps ?? project.fps,
      crf: request.crf ?? project.export.crf,
      preset: request.preset ?? project.export.preset,
      audio,
      pacing: projectPacing(project),
    };
    const job = this.deps.board.add('export', `Export ${path.basename(output)}`);
    const controller = new AbortController();
    this.running = { jobId: job.jobId, controller };
    void this.run(job.jobId, rendered, options, controller.signal).finally(() => {
      this.running = null;
    });
    return { jobId: job.jobId };
  }

  cancel(jobId: string): boolean {
    if (this.running?.jobId !== jobId) return false;
    this.running.controller.abort();
    return true;
  }

  private async run(
    jobId: string,
    rendered: RenderedTransition[],
    options: { output: string; format: 'mp4' | 'webm' | 'gif' | 'png'; fps: number; crf: number; preset: string; audio?: string; pacing: MoviePacing },
    signal: AbortSignal,
  ): Promise<void> {
    const { board } = this.deps;
    board.running(jobId);
    try {
      const plan = await planMovie(rendered, options.fps, options.pacing);
      const first = decodePng(await readFile(rendered[0].frames[0].file));
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
        audio: options.audio,
        ffmpegPath: this.deps.ffmpegPath,
        signal,
        onProgress: (p) => board.progress(jobId, { phase: 'encoding', done: p.done, total: p.total, etaMs: p.etaMs }),
      });
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
    if (format !== 'png') {
      this.deps.media.allow(path.dirname(output));
      return this.deps.media.urlFor(output);
    }
    this.deps.media.allow(output);
    const first = (await readdir(output)).filter((f) => f.endsWith('.png')).sort()[0];
    return first ? this.deps.media.urlFor(path.join(output, first)) : '';
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
