/**
 * What a transition render may keep between runs, so that after a cancel the next run resumes
 * instead of starting over, and a movie computes each keyframe trajectory once. The project
 * layer implements TransitionCache on disk (content-addressed: keys are hashes of everything
 * that determines the value); MemoryTransitionCache is the in-process version.
 */
import { createHash } from 'node:crypto';
import { canonicalHash } from '../canonical-json';
import type { RgbImage } from '../image';

/** Some of a trajectory's latents (those later branches or crossfeed still need). */
export interface StoredLatents {
  /** Latent dims, [1, C, h, w]. */
  readonly dims: readonly number[];
  /** Steps whose latent (after that step) is kept, ascending; the last step is always kept. */
  readonly steps: readonly number[];
  readonly data: readonly Float32Array[];
  /** Measured cost on the machine that computed it: ms per image-step and per decode. */
  readonly timing?: { readonly stepMs: number; readonly decodeMs?: number; readonly metricMs?: number };
}

export interface TransitionCache {
  getTrajectory(key: string): Promise<StoredLatents | undefined>;
  putTrajectory(key: string, value: StoredLatents): Promise<void>;
  getImage(key: string): Promise<RgbImage | undefined>;
  putImage(key: string, image: RgbImage): Promise<void>;
}

export class MemoryTransitionCache implements TransitionCache {
  readonly trajectories = new Map<string, StoredLatents>();
  readonly images = new Map<string, RgbImage>();

  async getTrajectory(key: string): Promise<StoredLatents | undefined> {
    return this.trajectories.get(key);
  }
  async putTrajectory(key: string, value: StoredLatents): Promise<void> {
    this.trajectories.set(key, value);
  }
  async getImage(key: string): Promise<RgbImage | undefined> {
    return this.images.get(key);
  }
  async putImage(key: string, image: RgbImage): Promise<void> {
    this.images.set(key, image);
  }
}

/** The cache key of a value: its kind and the canonical hash of the plain data that determines it. */
export function cacheKey(kind: string, description: unknown): string {
  return `${kind}-${canonicalHash(description).slice(0, 40)}`;
}

/** Content hash of binary inputs (an inpainting image and mask). */
export function contentHash(...parts: readonly ArrayBufferView[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(new Uint8Array(p.buffer, p.byteOffset, p.byteLength));
  return h.digest('hex').slice(0, 40);
}
