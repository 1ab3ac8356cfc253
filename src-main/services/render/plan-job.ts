import type { ModelInfo, ProviderStatus } from '../../engine/sd/types';
import { z } from 'zod';
import { SessionOptionsSchema } from '../../engine/jobs/models';
import type { JobContext } from '../../engine/jobs/context';
import { KeyframePictures } from '../keyframe-pictures';
import { estimateRender, modelRefOf, projectTiming, type TransitionPlanSummary } from '../transition-specs';
import { measureSpeed } from './measure-speed';
import { openProject, sessionFor } from './open-project';

export const PlanJobSchema = z.object({
  kind: z.literal('plan'),
  projectFile: z.string().min(1),
  session: SessionOptionsSchema.optional(),
});
export type PlanJob = z.infer<typeof PlanJobSchema>;

export interface PlanJobResult {
  kind: 'plan';
  project: string;
  model: string;
  provider: ProviderStatus;
  /** The scheduler that runs: the project's, else the folder's own (with why, when DDIM stands in). */
  scheduler: { kind: string; source: 'project' | 'model'; fallbackReason?: string };
  /** The model's few-step settings when it is a few-step model (SD-Turbo …). */
  fewStep?: ModelInfo['fewStep'];
  measured: { stepSeconds: number; decodeSeconds: number };
  transitions: TransitionPlanSummary[];
  /** The movie's frames at the project's fps and the frame that shows each keyframe (movieTiming). */
  fps: number;
  totalFrames: number;
  keyframeFrames: number[];
  unetEvaluations: number;
  etaSeconds: number;
}

/** What rendering the project would cost on this machine: the plan `latentblend plan` prints. */
export async function runPlanJob(job: PlanJob, ctx: JobContext): Promise<PlanJobResult> {
  const { project } = await openProject(job.projectFile);
  await new KeyframePictures(project).check(project.keyframes.map((_, i) => i));
  ctx.progress(1).report('measuring speed');
  const sd = await ctx.models.get(modelRefOf(project, false), sessionFor(project, job.session));
  const measured = await measureSpeed(sd, project);
  const { transitions, unetEvaluations, etaSeconds } = estimateRender(project, project.transitions.map((_, i) => i), measured);
  const movie = projectTiming(project);
  return {
    kind: 'plan',
    project: job.projectFile,
    model: sd.info.name,
    provider: sd.provider,
    scheduler: project.scheduler
      ? { kind: project.scheduler, source: 'project' }
      : { kind: sd.info.scheduler.kind, source: 'model', ...(sd.info.scheduler.fallbackReason ? { fallbackReason: sd.info.scheduler.fallbackReason } : {}) },
    ...(sd.info.fewStep ? { fewStep: sd.info.fewStep } : {}),
    measured,
    transitions,
    fps: project.fps,
    totalFrames: movie.totalFrames,
    keyframeFrames: [...movie.keyframeFrames],
    unetEvaluations,
    etaSeconds: etaSeconds!,
  };
}
