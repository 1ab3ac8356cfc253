import { z } from 'zod';
import { loadStableDiffusion, type LoadProgress } from '../sd/pipeline';
import { GRAPH_OPTIMIZATION_LEVELS } from '../sd/providers';
import { PROVIDER_NAMES, type StableDiffusion } from '../sd/types';
import { resolveModelDir, type ModelRef } from './model-ref';

/**
 * How a job's model session is made. The schema checks the shape where a job crosses the worker
 * seam; the values' meaning (is that provider available here?) is providers.ts's.
 */
export const SessionOptionsSchema = z.object({
  provider: z.enum(PROVIDER_NAMES).optional(),
  graphOptimizationLevel: z.enum(GRAPH_OPTIMIZATION_LEVELS).optional(),
  intraOpNumThreads: z.number().int().min(0).optional(),
  interOpNumThreads: z.number().int().min(0).optional(),
  /** Images per UNet call (batching of branches; CFG doubles the rows). */
  maxBatch: z.number().int().min(1).optional(),
});
export type SessionOptions = z.infer<typeof SessionOptionsSchema>;

/**
 * Loaded pipelines, kept for the life of the worker: loading a real SD model takes seconds,
 * and a user renders many keyframes and transitions with the same one.
 */
export class ModelPool {
  private readonly pipelines = new Map<string, Promise<StableDiffusion>>();

  constructor(private readonly cacheDir?: string) {}

  /** `onLoadProgress` hears the load's progress when this call is the one that loads the model. */
  async get(ref: ModelRef, options: SessionOptions = {}, onLoadProgress?: (p: LoadProgress) => void): Promise<StableDiffusion> {
    const dir = await resolveModelDir(ref, this.cacheDir);
    const key = JSON.stringify([dir, options.provider ?? 'auto', options.graphOptimizationLevel, options.intraOpNumThreads, options.interOpNumThreads, options.maxBatch]);
    let pending = this.pipelines.get(key);
    if (!pending) {
      pending = loadStableDiffusion(dir, {
        provider: options.provider ?? 'auto',
        graphOptimizationLevel: options.graphOptimizationLevel,
        intraOpNumThreads: options.intraOpNumThreads,
        interOpNumThreads: options.interOpNumThreads,
        defaultMaxBatch: options.maxBatch,
        onLoadProgress,
      });
      this.pipelines.set(key, pending);
      // A failed load must not poison the pool: the user may fix the folder and retry.
      pending.catch(() => this.pipelines.delete(key));
    }
    return pending;
  }

  async dispose(): Promise<void> {
    const all = [...this.pipelines.values()];
    this.pipelines.clear();
    await Promise.all(all.map((p) => p.then((sd) => sd.dispose()).catch(() => undefined)));
  }
}
