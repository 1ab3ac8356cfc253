import { engineJobHandlers } from '../engine/jobs/registry';
import { runEngineWorker } from '../engine/worker/runtime';
import { runFarmPieceJob } from './farm/piece-job';
import { projectJobs } from './project-jobs';
import { runPlanJob } from './render/plan-job';
import { runRenderJob } from './render/render-job';

/**
 * The engine worker entry used by every host: the engine's own jobs plus rendering and planning
 * project files through their render cache, and the render farm's pieces.
 */
runEngineWorker(projectJobs, {
  ...engineJobHandlers,
  render: runRenderJob,
  plan: runPlanJob,
  'farm-piece': runFarmPieceJob,
});
