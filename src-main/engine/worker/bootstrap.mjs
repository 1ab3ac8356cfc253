// Worker entry used when the engine runs from TypeScript sources (CLI, web host, tests):
// registers tsx inside the worker thread, then loads the real entry.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.__entry);
