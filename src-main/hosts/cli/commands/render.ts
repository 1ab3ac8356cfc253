import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { exportVideo } from '../../../media/video-export';
import { locateFfmpeg } from '../../../media/ffmpeg-locate';
import { resolveGifOptions, type GifOptions } from '../../../media/gif-options';
import { checkOutputTarget, isStudioFolder } from '../../../media/safe-output';
import { assertNotSystemFolder } from '../../../media/system-folders';
import { AUDIO_ENCODER, formatFromPath } from '../../../media/video-format';
import { commandInterrupt } from '../interrupt';
import { resolveProjectPaths } from '../../../project/create';
import { loadProject } from '../../../project/store';
import { movieImages, planMovie, renderedTransitions } from '../../../services/movie-frames';
import { projectPacing } from '../../../project/pacing';
import { intOption, parse, SESSION_FLAGS, SESSION_USAGE, sessionOptions, UsageError } from '../args';
import { runWithEngine } from '../engine-session';
import { pullProjectHubModels } from '../hub-model';
import { ProgressBar } from '../progress-bar';
import { checkOutputPath } from '../output-path';

export const RENDER_USAGE = `latentblend render PROJECT [--frames-dir DIR] [-o out.mp4|.webm|.gif|DIR/] [--force] [--crf N] [--preset NAME] [--fps N] [--audio FILE]
    [--gif-scale 0.1–1] [--gif-plays N (0 = forever)] [--gif-colors 4–256] [--gif-dither bayer|sierra2_4a|floyd_steinberg|none]
    (-o replaces a video of the same format; --force replaces a file of any other kind at that path)
    ${SESSION_USAGE}
    [--farm redis://[:PASSWORD@]HOST:PORT|rediss://… [--cache SHARED_DIR]]  render on farm workers (latentblend worker)`;

export async function renderCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      'frames-dir': { type: 'string' },
      output: { type: 'string', short: 'o' },
      crf: { type: 'string' },
      preset: { type: 'string' },
      fps: { type: 'string' },
      audio: { type: 'string' },
      force: { type: 'boolean' },
      'gif-scale': { type: 'string' },
      'gif-plays': { type: 'string' },
      'gif-colors': { type: 'string' },
      'gif-dither': { type: 'string' },
      farm: { type: 'string' },
      cache: { type: 'string' },
      ...SESSION_FLAGS,
    },
    true,
  );
  if (positionals.length !== 1) throw new UsageError(`render needs one project file. Run 'latentblend --help' for the options.`);
  if (!values['frames-dir'] && !values.output) throw new UsageError(`render needs --frames-dir DIR and/or -o out.mp4. Run 'latentblend --help' for the options.`);
  const projectFile = resolve(positionals[0]);
  if (!existsSync(projectFile)) throw new UsageError(`Project file ${projectFile} does not exist.`);
  const output = values.output ? checkOutputPath(values.output) : undefined;
  const format = output ? formatFromPath(output) : undefined;
  const fps = values.fps === undefined ? undefined : intOption('fps', values.fps, 24, 1, 240);
  const crf = values.crf === undefined ? undefined : intOption('crf', values.crf, 18, 0, 63);
  const gifFlags = gifOverrides(values);
  if (format === 'gif') {
    try {
      resolveGifOptions(gifFlags);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  if (values.audio && !existsSync(values.audio)) throw new UsageError(`--audio ${values.audio} does not exist.`);
  const overwrite = values.force && output ? output : undefined;
  if (output && format) {
    // Before any rendering: a missing ffmpeg or a target that would be refused fails now, not after the work.
    await locateFfmpeg({ require: format, requireEncoders: values.audio ? [AUDIO_ENCODER[format]].filter((e): e is string => e !== null) : [] });
    await checkOutputTarget(output, { kind: format === 'png' ? 'dir' : 'file', format, overwrite });
  }
  const framesDir = values['frames-dir'] ? resolve(values['frames-dir']) : undefined;
  // Frames are written into the folder in place: only a new, empty or studio-written one is used.
  if (framesDir) await checkFramesFolder(framesDir);
  const interrupt = commandInterrupt();

  if (values.cache && !values.farm) throw new UsageError(`--cache names the farm's shared cache folder; use it with --farm.`);
  await pullProjectHubModels(projectFile);
  const result = values.farm
    ? // Loaded only for a farm render: a local render does not pay for BullMQ and ioredis.
      await (await import('../farm-render-session')).runOnFarm({ projectFile, redisUrl: values.farm, cacheDir: values.cache ? resolve(values.cache) : undefined, framesDir, session: sessionOptions(values) })
    : await runWithEngine({ kind: 'render', projectFile, scope: { kind: 'movie' }, framesDir, session: sessionOptions(values) });
  const evals = `${result.stats.computedEvaluations} of ${result.stats.unetEvaluations} UNet evaluations computed, the rest from the cache`;
  if (result.framesDir) process.stderr.write(`${result.framesDir}: ${result.frames} frames (${evals})\n`);
  else process.stderr.write(`rendered ${result.transitions.length} transitions (${evals})\n`);

  if (output && format) {
    const loaded = resolveProjectPaths(await loadProject(projectFile), projectFile);
    // --fps re-times the movie without diffusion: the final images stay, the fill-up changes.
    const project = fps === undefined ? loaded : { ...loaded, fps };
    const plan = await planMovie(renderedTransitions(project, result.transitions), project.fps, projectPacing(project));
    interrupt.throwIfCancelled();
    const bar = new ProgressBar();
    let announced = false;
    try {
      const exported = await exportVideo(movieImages(plan, interrupt.signal), {
        output,
        format,
        width: project.width,
        height: project.height,
        fps: project.fps,
        totalFrames: plan.totalFrames,
        crf: crf ?? project.export.crf,
        preset: values.preset ?? project.export.preset,
        gif: { ...project.export.gif, ...gifFlags },
        audio: values.audio ? resolve(values.audio) : project.export.audio,
        signal: interrupt.signal,
        overwrite,
        // From here the old target is being replaced: an interrupt can no longer keep it.
        onCommit: () => interrupt.commit(),
        onProgress: (p) => {
          if (!announced) process.stderr.write(`encoding ${plan.totalFrames} frames to ${output}\n`);
          announced = true;
          bar.update({ phase: 'encoding', done: p.done, total: p.total, etaMs: p.etaMs });
        },
      });
      bar.done();
      for (const w of exported.warnings) process.stderr.write(`note: ${w}\n`);
      process.stderr.write(`${exported.output} (${exported.format}, ${exported.frames} frames at ${project.fps} fps, ${(exported.bytes / 1e6).toFixed(2)} MB)\n`);
    } finally {
      bar.done();
    }
  }
  return 0;
}

async function checkFramesFolder(dir: string): Promise<void> {
  assertNotSystemFolder(dir, 'dir');
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    return; // created by the render
  }
  if (!isDir) throw new UsageError(`--frames-dir ${dir} is a file, not a folder.`);
  if (!(await isStudioFolder(dir))) {
    throw new UsageError(`--frames-dir ${dir} is a folder the studio did not write (it has no frames.json); its files could be replaced. Choose a new or empty folder.`);
  }
}

/** The --gif-* flags given (numbers as typed; resolveGifOptions judges them), without the ones left out. */
function gifOverrides(values: Record<string, unknown>): Partial<GifOptions> {
  const out: Partial<GifOptions> = {};
  const number = (flag: string) => (typeof values[flag] === 'string' ? Number(values[flag]) : undefined);
  if (values['gif-scale'] !== undefined) out.scale = number('gif-scale');
  if (values['gif-plays'] !== undefined) out.plays = number('gif-plays');
  if (values['gif-colors'] !== undefined) out.colors = number('gif-colors');
  if (typeof values['gif-dither'] === 'string') out.dither = values['gif-dither'] as GifOptions['dither'];
  return out;
}
