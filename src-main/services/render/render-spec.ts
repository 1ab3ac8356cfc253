import type { ProviderStatus } from '../../engine/sd/types';
import type { SessionOptions } from '../../engine/jobs/models';

/** Cache writes that may run behind the render at once (each holds its latents or image until written). */
export const WRITE_BEHIND_LIMIT = 8;

export type RenderScopeSpec = { kind: 'movie' } | { kind: 'transition'; index: number } | { kind: 'keyframe'; index: number };

export interface RenderJob {
  kind: 'render';
  projectFile: string;
  scope: RenderScopeSpec;
  /** Write the movie's frames (00000.png …) and frames.json here (movie scope). */
  framesDir?: string;
  /**
   * The render cache folder; default `<project>.lbs.cache` next to `projectFile`. The studio
   * renders unsaved edits from a snapshot file and passes the real project's cache here, so
   * saved and unsaved renders share one cache.
   */
  cacheDir?: string;
  /**
   * Announce only what the cache already holds and run no diffusion: how the studio shows a
   * reopened project's renders. Transitions (and stills) that are not complete are skipped.
   */
  cacheOnly?: boolean;
  session?: SessionOptions;
  /** Cache writes that may run behind the render (default WRITE_BEHIND_LIMIT); 0 waits for each, as renders did before (the bench's baseline). */
  writeBehind?: number;
  /**
   * Keyframe scope only ("Try seeds"): render the keyframe's still once per seed, each exactly as
   * a keyframe render with that seed would (same cache entry), announced as `{kind: 'variant'}`.
   */
  seeds?: number[];
}

export interface RenderJobResult {
  kind: 'render';
  scope: RenderScopeSpec;
  fromCache: boolean;
  provider: ProviderStatus;
  modelName: string;
  transitions: { index: number; images: number; unetEvaluations: number; computedEvaluations: number; positions: number[]; files: string[] }[];
  stats: { unetCalls: number; unetEvaluations: number; computedEvaluations: number; totalMs: number };
  frames?: number;
  framesDir?: string;
}
