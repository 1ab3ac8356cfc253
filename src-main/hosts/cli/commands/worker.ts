import { resolve } from 'node:path';
import { PROVIDER_NAMES } from '../../../engine/sd/types';
import { choiceOption, intOption, parse, UsageError } from '../args';

export const WORKER_USAGE = `latentblend worker --redis redis://HOST:PORT --cache DIR [--provider cuda] [--concurrency 1] [--threads N] [--name NAME] [--lock-ms 30000]
    a render-farm worker (one per GPU): takes keyframe and transition jobs, writes into the shared cache DIR`;

/** Runs until SIGINT/SIGTERM; a running piece is cancelled between UNet calls and handed back. */
export async function workerCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    redis: { type: 'string' },
    cache: { type: 'string' },
    provider: { type: 'string' },
    concurrency: { type: 'string' },
    threads: { type: 'string' },
    name: { type: 'string' },
    'lock-ms': { type: 'string' },
  });
  if (!values.redis) throw new UsageError(`worker needs --redis redis://HOST:PORT. Run 'latentblend --help' for the options.`);
  if (!values.cache) throw new UsageError(`worker needs --cache DIR: the render cache folder every machine of the farm mounts at the same path.`);
  const lockMs = intOption('lock-ms', values['lock-ms'], 30_000, 1000, 3_600_000);
  // Loaded here, not at start-up: other commands do not pay for BullMQ and ioredis.
  const [{ checkFarmConnection }, { startFarmWorker }] = await Promise.all([import('../../../services/farm/connection'), import('../../../services/farm/farm-worker')]);
  const info = await checkFarmConnection(values.redis);
  const worker = await startFarmWorker({
    redisUrl: values.redis,
    cacheDir: resolve(values.cache),
    provider: values.provider === undefined ? undefined : choiceOption('provider', values.provider, 'auto', PROVIDER_NAMES),
    concurrency: intOption('concurrency', values.concurrency, 1, 1, 64),
    intraOpNumThreads: values.threads === undefined ? undefined : intOption('threads', values.threads, 0, 0, 256),
    name: values.name,
    lockDurationMs: lockMs,
    // The stalled check runs at the lock's pace: a killed worker's job moves on within ~1.5 locks.
    stalledIntervalMs: Math.max(500, Math.round(lockMs / 2)),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stderr.write(`worker ${worker.name} ready (Redis ${info.redisVersion})\n`);
  await new Promise<void>((resolveStop) => {
    const stop = () => resolveStop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  process.stderr.write(`worker ${worker.name} stopping…\n`);
  await worker.close();
  return 0;
}
