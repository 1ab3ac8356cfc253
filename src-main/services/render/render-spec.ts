import { z } from 'zod';
import { ProjectDocumentSchema } from '../../contract/contract';
import { SessionOptionsSchema } from '../../engine/jobs/models';
import type { ProviderStatus } from '../../engine/sd/types';

/** Cache writes that may run behind the render at once (each holds its latents or image until written). */
export const WRITE_BEHIND_LIMIT = 8;

const Index = z.number();

/** Index range checks are the job's (render-scope.ts), with messages that name the project's counts. */
export const RenderScopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('movie') }),
  z.object({ kind: z.literal('transition'), index: Index }),
  z.object({ kind: z.literal('keyframe'), index: Index }),
]);
export type RenderScopeSpec = z.infer<typeof RenderScopeSchema>;

/**
 * A render job as it crosses the worker seam, checked on arrival: the project given in memory
 * is validated there, once, by the contract's project schema.
 */
export const RenderJobSchema = z.object({
  kind: z.literal('render'),
  /**
   * The project file: what the CLI renders, and where a project given in memory resolves its
   * relative paths (images, masks, a model folder) from — its own file, or where an untitled
   * project is kept until it is saved.
   */
  projectFile: z.string().min(1),
  /**
   * The project to render instead of reading `projectFile`: the studio's open project, unsaved
   * edits included, as its document names things.
   */
  project: ProjectDocumentSchema.optional(),
  scope: RenderScopeSchema,
  /** Write the movie's frames (00000.png …) and frames.json here (movie scope). */
  framesDir: z.string().optional(),
  /**
   * The render cache folder; default `<project>.lbs.cache` next to `projectFile`. The studio
   * passes the open project's cache, so saved and unsaved renders share one cache.
   */
  cacheDir: z.string().optional(),
  /**
   * Announce only what the cache already holds and run no diffusion: how the studio shows a
   * reopened project's renders. Transitions (and stills) that are not complete are skipped.
   */
  cacheOnly: z.boolean().optional(),
  session: SessionOptionsSchema.optional(),
  /** Cache writes that may run behind the render (default WRITE_BEHIND_LIMIT); 0 waits for each, as renders did before (the bench's baseline). */
  writeBehind: z.number().int().min(0).optional(),
  /**
   * Keyframe scope only ("Try seeds"): render the keyframe's still once per seed, each exactly as
   * a keyframe render with that seed would (same cache entry), announced as `{kind: 'variant'}`.
   */
  seeds: z.array(z.number()).optional(),
});
export type RenderJob = z.infer<typeof RenderJobSchema>;

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
