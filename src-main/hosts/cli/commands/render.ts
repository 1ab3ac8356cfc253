import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatFromPath } from '../../../media/video-format';
import { exportVideo } from '../../../media/video-export';
import { resolveProjectPaths } from '../../../project/create';
import { loadProject } from '../../../project/store';
import { movieImages, planMovie, renderedTransitions } from '../../../services/movie-frames';
import { projectPacing } from '../../../project/pacing';
import { intOption, parse, SESSION_FLAGS, SESSION_USAGE, sessionOptions, UsageError } from '../args';
import { runWithEngine } from '../engine-session';
import { ProgressBar } from '../progress-bar';
import { checkOutputPath } from '../output-path';

export const RENDER_USAGE = `latentblend render PROJECT [--frames-dir DIR] [-o out.mp4|.webm|.gif|DIR/] [--crf N] [--preset NAME] [--fps N] [--audio FILE]
    ${SESSION_USAGE}`;

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
  if (values.audio && !existsSync(values.audio)) throw new UsageError(`--audio ${values.audio} does not exist.`);

  const result = await runWithEngine({
    kind: 'render',
    projectFile,
    scope: { kind: 'movie' },
    framesDir: values['frames-dir'] ? resolve(values['frames-dir']) : undefined,
    session: sessionOptions(values),
  });
  const evals = `${result.stats.computedEvaluations} of ${result.stats.unetEvaluations} UNet evaluations computed, the rest from the cache`;
  if (result.framesDir) process.stderr.write(`${result.framesDir}: ${result.frames} frames (${evals})\n`);
  else process.stderr.write(`rendered ${result.transitions.length} transitions (${evals})\n`);

  if (output && format) {
    const loaded = resolveProjectPaths(await loadProject(projectFile), projectFile);
    // --fps re-times the movie without diffusion: the final images stay, the fill-up changes.
    const project = fps === undefined ? loaded : { ...loaded, fps };
    const plan = await planMovie(renderedTransitions(project, result.transitions), project.fps, projectPacing(project));
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.on('SIGINT', onSigint);
    const bar = new ProgressBar();
    try {
      const exported = await exportVideo(movieImages(plan, controller.signal), {
        output,
        format,
        width: project.width,
        height: project.height,
        fps: project.fps,
        totalFrames: plan.totalFrames,
        crf: crf ?? project.export.crf,
        preset: values.preset ?? project.export.preset,
        audio: values.audio ? resolve(values.audio) : project.export.audio,
        signal: controller.signal,
        onProgress: (p) => bar.update({ phase: 'encoding', done: p.done, total: p.total, etaMs: p.etaMs }),
      });
      bar.done();
      for (const w of exported.warnings) process.stderr.write(`note: ${w}\n`);
      process.stderr.write(`${exported.output} (${exported.format}, ${exported.frames} frames at ${project.fps} fps, ${(exported.bytes / 1e6).toFixed(2)} MB)\n`);
    } finally {
      bar.done();
      process.off('SIGINT', onSigint);
    }
  }
  return 0;
}
