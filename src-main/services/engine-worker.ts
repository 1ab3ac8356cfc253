import { runEngineWorker, type ExtraJobHandler } from '../engine/worker/runtime';
import { runFarmPieceJob } from './farm/piece-job';
import { runPlanJob, runRenderJob } from './render-job';

/**
 * The engine worker entry used by every host: the engine's own jobs plus rendering and planning
 * project files through their render cache.
 */
runEngineWorker({
  render: runRenderJob as ExtraJobHandler,
  plan: runPlanJob as ExtraJobHandler,
  'farm-piece': runFarmPieceJob as ExtraJobHandler,
});
