import { runEngineWorker } from './runtime';

/** Worker entry with the engine's own jobs (keyframes, model inspection). */
runEngineWorker();
