import { z } from 'zod';
import { engineJobs, noEvents, resultObject, type EngineJobs, type JobTable } from '../engine/jobs/kinds';
import { KeyframesResultSchema, TransitionPieceResultSchema, type KeyframesResult, type TransitionPieceResult } from './farm/messages';
import { FarmPieceJobSchema, type FarmPieceJob } from './farm/piece-job';
import { RenderEventSchema, type RenderEvent } from './render/render-events';
import { PlanJobSchema, type PlanJob, type PlanJobResult } from './render/plan-job';
import { RenderJobSchema, type RenderJob, type RenderJobResult } from './render/render-spec';

/**
 * The job kinds of the services' worker entry (services/engine-worker.ts): the engine's own
 * plus rendering and planning project files and the render farm's pieces. What hosts start.
 */
export type ProjectJobs = EngineJobs & {
  render: { spec: RenderJob; result: RenderJobResult; event: RenderEvent };
  plan: { spec: PlanJob; result: PlanJobResult; event: never };
  'farm-piece': { spec: FarmPieceJob; result: KeyframesResult | TransitionPieceResult; event: never };
};

export const projectJobs: JobTable<ProjectJobs> = {
  ...engineJobs,
  render: { spec: RenderJobSchema, result: resultObject<RenderJobResult>(), event: RenderEventSchema },
  plan: { spec: PlanJobSchema, result: resultObject<PlanJobResult>(), event: noEvents },
  'farm-piece': { spec: FarmPieceJobSchema, result: z.union([KeyframesResultSchema, TransitionPieceResultSchema]), event: noEvents },
};
