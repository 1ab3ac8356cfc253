import { createHash } from 'node:crypto';
import { formatPath } from './errors';
import { effectiveSteps, presetFinalImages, transitionFrameCount } from './quality';
import { endKeyframeIndex } from './pacing';
import type { Project } from './schema';

/**
 * Content addresses for the render cache: a key is the SHA-256 of a canonical JSON of
 * everything that determines a result, so equal inputs meet the same entry and any change that
 * matters lands elsewhere. Bump CACHE_KEY_VERSION when the meaning of a key changes (a new
 * input, a different algorithm) so old entries are ignored rather than misread.
 */
export const CACHE_KEY_VERSION = 1;

/**
 * JSON with object keys sorted and numbers in one spelling (-0 → 0), undefined object fields
 * dropped. Only plain data is accepted: NaN, Infinity, functions, class instances and typed
 * arrays have no canonical JSON and would make keys lie, so they throw with their path.
 */
export function canonicalJson(value: unknown): string {
  return encode(value, []);
}

function encode(value: unknown, path: PropertyKey[]): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`cacheKey: ${value} at ${formatPath(path) || '(root)'} is not a finite number`);
      return Object.is(value, -0) ? '0' : JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        return `[${value.map((v, i) => (v === undefined ? 'null' : encode(v, [...path, i]))).join(',')}]`;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw new TypeError(`cacheKey: ${formatPath(path) || '(root)'} is a ${proto?.constructor?.name ?? 'non-plain object'}; pass plain objects, arrays, strings, finite numbers, booleans or null`);
      }
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${encode(v, [...path, k])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`cacheKey: ${formatPath(path) || '(root)'} is a ${typeof value}, which has no JSON form`);
  }
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** SHA-256 (hex) of the canonical JSON of `parts`. */
export function cacheKey(parts: unknown): string {
  return sha256Hex(canonicalJson(parts));
}

/** What the key builders need beyond the project: identities of things outside the file. */
export interface CacheContext {
  /** fingerprintModelFolder() of the text-to-image model folder (the demo model's generated folder too). */
  readonly modelFingerprint: string;
  /** Same for the inpainting model; needed only when some keyframe has a mask. */
  readonly inpaintingModelFingerprint?: string;
  /**
   * The backend that actually runs (e.g. 'cpu', 'cuda'), never 'auto': providers differ in the
   * last bits of float math, and the cache must not mix their frames.
   */
  readonly backend: string;
  /** Version of the engine's numerics; a change that alters images should change it. */
  readonly engineVersion?: string;
  /** SHA-256 of each referenced image and mask file, keyed by the path as written in the project. */
  readonly fileHashes: Readonly<Record<string, string>>;
}

export interface ProjectCacheKeys {
  /** keyframes[i]: key of keyframe i's trajectory (its latents at every step and its image). */
  readonly keyframes: readonly string[];
  /** transitions[i]: key of the final images of the transition from keyframe i to i + 1. */
  readonly transitions: readonly string[];
}

function fileHash(context: CacheContext, relPath: string, field: string): string {
  const hash = context.fileHashes[relPath];
  if (hash === undefined) {
    throw new Error(`cache key: no content hash for ${field} "${relPath}"; build the context with buildCacheContext() so every referenced file is hashed`);
  }
  return hash;
}

function inpaintingFingerprint(context: CacheContext, field: string): string {
  if (context.inpaintingModelFingerprint === undefined) {
    throw new Error(`cache key: ${field} makes an inpainting transition, but the context has no inpaintingModelFingerprint`);
  }
  return context.inpaintingModelFingerprint;
}

/**
 * Keys of every keyframe trajectory and every transition of a project.
 *
 * A keyframe's key covers the model, backend, size, steps, scheduler, guidance, its prompt,
 * negative prompt, seed and imported image, and — when the transition into it makes it depend
 * on the previous keyframe — that dependency: keyframe crossfeed pulls K(i+1) toward K(i), and
 * an inpainting transition (mask on K(i)) generates K(i+1) inside K(i)'s image. Such a
 * keyframe's key includes the previous keyframe's key, so the dependency chains.
 *
 * A transition's key covers both keyframe keys and every setting that shapes its images: steps,
 * depth strength, the tree (fixed: the number of final images F; adaptive: its limit), guidance
 * damping, crossfeed and inpainting. It leaves out what only places or encodes frames —
 * duration and fps (except through F), equal perceptual spacing, export settings — so changing
 * those re-exports without diffusion.
 */
export function projectCacheKeys(project: Project, context: CacheContext): ProjectCacheKeys {
  const steps = effectiveSteps(project);
  const shared = {
    v: CACHE_KEY_VERSION,
    engine: context.engineVersion ?? null,
    model: context.modelFingerprint,
    backend: context.backend,
    width: project.width,
    height: project.height,
    steps,
    scheduler: project.scheduler,
    guidance: project.guidance,
  };

  const keyframes: string[] = [];
  project.keyframes.forEach((k, i) => {
    const into = i > 0 ? project.transitions[i - 1] : undefined;
    const previous = i > 0 ? project.keyframes[i - 1] : undefined;
    const crossfeed = into?.crossfeed.keyframe ?? null;
    const inpaint =
      previous?.mask === undefined
        ? null
        : {
            model: inpaintingFingerprint(context, `keyframes[${i - 1}].mask`),
            mask: fileHash(context, previous.mask, `keyframes[${i - 1}].mask`),
          };
    const upstream = crossfeed === null && inpaint === null ? null : { previous: keyframes[i - 1], crossfeed, inpaint };
    keyframes.push(
      cacheKey({
        kind: 'keyframe',
        ...shared,
        prompt: k.prompt,
        negativePrompt: k.negativePrompt,
        seed: k.seed,
        image: k.image === undefined ? null : fileHash(context, k.image, `keyframes[${i}].image`),
        upstream,
      }),
    );
  });

  const transitions = project.transitions.map((t, i) => {
    const from = project.keyframes[i];
    const tree =
      t.mode.kind === 'fixed'
        ? { kind: 'fixed', finalImages: presetFinalImages(t.mode.preset, transitionFrameCount(t.duration, project.fps)) }
        : { kind: 'adaptive', budgetSeconds: t.mode.budgetSeconds ?? null, maxImages: t.mode.maxImages ?? null };
    return cacheKey({
      kind: 'transition',
      ...shared,
      from: keyframes[i],
      to: keyframes[endKeyframeIndex(project, i)],
      depthStrength: t.depthStrength,
      tree,
      guidanceMidDamper: t.guidanceMidDamper,
      crossfeed: t.crossfeed,
      inpaint:
        from.mask === undefined
          ? null
          : {
              model: inpaintingFingerprint(context, `keyframes[${i}].mask`),
              mask: fileHash(context, from.mask, `keyframes[${i}].mask`),
              feather: t.inpaint.feather,
              featherRadius: t.inpaint.feather ? t.inpaint.featherRadius : null,
            },
    });
  });

  return { keyframes, transitions };
}
