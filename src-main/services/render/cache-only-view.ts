import { EngineError } from '../../engine/errors';
import type { StableDiffusion } from '../../engine/sd/types';

/**
 * The pipeline with diffusion and decoding refused: a cache-only render (how the studio shows
 * a reopened project's renders) fails fast on a miss. Everything else is the pipeline's own,
 * so the cache keys, the schedule and the counters are exactly a normal render's.
 */
export function cacheOnlyView(sd: StableDiffusion): StableDiffusion {
  const refuse = () => Promise.reject(new EngineError('NOT_CACHED', 'Not in the render cache.'));
  return {
    get info() {
      return sd.info;
    },
    get provider() {
      return sd.provider;
    },
    get stats() {
      return sd.stats;
    },
    encodePrompt: (prompt) => sd.encodePrompt(prompt),
    makeSchedule: (kind, steps) => sd.makeSchedule(kind, steps),
    initialNoise: (seed, width, height) => sd.initialNoise(seed, width, height),
    runTrajectories: refuse,
    forwardTrajectory: (clean, noise, schedule) => sd.forwardTrajectory(clean, noise, schedule),
    decode: refuse,
    encodeImage: (image) => sd.encodeImage(image),
    inpaintCondition: (image, mask) => sd.inpaintCondition(image, mask),
    dispose: () => sd.dispose(),
  };
}

/** Whether a cache-only render stopped at something the cache does not hold. */
export function isNotCached(error: unknown): boolean {
  return error instanceof EngineError && error.code === 'NOT_CACHED';
}
