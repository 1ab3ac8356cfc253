import { engineJobs } from '../jobs/kinds';
import { engineJobHandlers } from '../jobs/registry';
import { runEngineWorker } from './runtime';

/** Worker entry with the engine's own jobs (keyframes, model inspection). */
runEngineWorker(engineJobs, engineJobHandlers);
