import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse, SESSION_FLAGS, SESSION_USAGE, sessionOptions, UsageError } from '../args';
import { runWithEngine } from '../engine-session';

export const PLAN_USAGE = `latentblend plan PROJECT ${SESSION_USAGE}   # JSON on stdout`;

/** What a render of the project will cost, per transition, with an ETA from this machine's measured speed. */
export async function planCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { ...SESSION_FLAGS }, true);
  if (positionals.length !== 1) throw new UsageError(`plan needs one project file. Run 'latentblend --help' for the options.`);
  const projectFile = resolve(positionals[0]);
  if (!existsSync(projectFile)) throw new UsageError(`Project file ${projectFile} does not exist.`);
  const plan = await runWithEngine({ kind: 'plan', projectFile, session: sessionOptions(values) });
  const out = {
    project: plan.project,
    model: plan.model,
    provider: plan.provider.active,
    scheduler: plan.scheduler,
    ...(plan.fewStep ? { fewStep: plan.fewStep } : {}),
    measured: plan.measured,
    transitions: plan.transitions.map((t) => ({
      index: t.index,
      mode: t.mode,
      inpainting: t.inpainting,
      steps: t.steps,
      injectionSteps: t.injectionSteps,
      ...(t.mode === 'fixed' ? { branches: t.branches } : { stems: t.stems }),
      images: t.images,
      frames: t.frames,
      startFrame: t.startFrame,
      unetEvaluations: t.unetEvaluations,
      ...(t.explanation ? { explanation: t.explanation } : {}),
    })),
    fps: plan.fps,
    frames: plan.totalFrames,
    keyframeFrames: plan.keyframeFrames,
    unetEvaluations: plan.unetEvaluations,
    etaSeconds: plan.etaSeconds,
  };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  return 0;
}
