import { describe, expect, it } from 'vitest';
import type { RgbImage } from '../image';
import { planFixedTree } from './fixed-tree';
import { imageCacheKey, stillCacheKey, stillKey, transitionCacheKeys, transitionIdentity, transitionKey, type KeyedRun, type StillJob, type TransitionIdentityInput } from './render-identity';
import type { TransitionSpec } from './transition-spec';

const crossfeed = { power: 0.3, range: 0.6, decay: 0.9 };
const base: TransitionSpec = {
  a: { prompt: 'a red sunset', negativePrompt: '', seed: 1 },
  b: { prompt: 'a green forest', negativePrompt: 'blurry', seed: 2 },
  guidance: 7.5,
  guidanceMidDamper: 0.8,
  scheduler: 'ddim',
  width: 256,
  height: 192,
  mode: { kind: 'fixed', preset: 'lowest', frames: 24, depthStrength: 0.5 },
  parentalCrossfeed: crossfeed,
  keyframeCrossfeed: crossfeed,
  maxBatch: 2,
  featherRadiusPx: 8,
};

type Field = keyof Required<TransitionSpec>;
/**
 * Every field of the spec, changed, and whether that changes a pixel. Typed over all of
 * TransitionSpec's fields: a new render setting does not compile until it is listed here, and
 * then these tests tell whether the identity and the cache keys cover it.
 */
const CHANGES: { readonly [K in Field]: { readonly to: Required<TransitionSpec>[K]; readonly pixels: boolean } } = {
  a: { to: { ...base.a, seed: 11 }, pixels: true },
  b: { to: { ...base.b, prompt: 'a blue lake' }, pixels: true },
  guidance: { to: 5, pixels: true },
  guidanceMidDamper: { to: 0.6, pixels: true },
  scheduler: { to: 'euler', pixels: true },
  width: { to: 320, pixels: true },
  height: { to: 256, pixels: true },
  mode: { to: { kind: 'fixed', preset: 'lowest', frames: 24, depthStrength: 0.7 }, pixels: true },
  parentalCrossfeed: { to: { ...crossfeed, power: 0.5 }, pixels: true },
  keyframeCrossfeed: { to: { ...crossfeed, power: 0.5 }, pixels: true },
  // Images per UNet call: the same latents in fewer or more batches.
  maxBatch: { to: 4, pixels: false },
  featherRadiusPx: { to: 3, pixels: true },
};
const FIELDS = Object.keys(CHANGES) as Field[];

function changed(field: Field): TransitionSpec {
  return { ...base, [field]: CHANGES[field].to };
}

/** An inpainting transition: the only kind whose images the seam feather changes. */
function identityOf(spec: TransitionSpec, inpainting = true): string {
  const input: TransitionIdentityInput = { model: { kind: 'demo-inpainting' }, spec, inpaint: inpainting ? { mask: 'masks/k1.png', image: null } : null, chained: null };
  return transitionKey(transitionIdentity(input));
}

function runOf(spec: TransitionSpec): KeyedRun {
  const steps = spec.mode.kind === 'fixed' ? planFixedTree(spec.mode).steps : spec.mode.steps;
  return { model: { name: 'demo', dir: '/models/demo', provider: 'cpu' }, scheduler: spec.scheduler ?? 'ddim', steps, inpaintHash: 'f'.repeat(40) };
}

/** Every cache key a transition's values are stored under, but its branches' (which hang off `settings` and the plan). */
function cacheKeysOf(spec: TransitionSpec): string[] {
  const keys = transitionCacheKeys(spec, runOf(spec));
  const plan = spec.mode.kind === 'fixed' ? JSON.stringify(planFixedTree(spec.mode)) : '';
  return [keys.a, keys.b, keys.settings, imageCacheKey(keys.a, spec.featherRadiusPx ?? null), plan];
}

describe('render identity: one derivation of what determines a render', () => {
  it.each(FIELDS.filter((f) => CHANGES[f].pixels))('changes the frames key when %s changes', (field) => {
    expect(identityOf(changed(field))).not.toBe(identityOf(base));
  });

  it.each(FIELDS.filter((f) => !CHANGES[f].pixels))('keeps the frames key when %s changes', (field) => {
    expect(identityOf(changed(field))).toBe(identityOf(base));
  });

  it.each(FIELDS.filter((f) => CHANGES[f].pixels))('stores a render under other cache keys when %s changes', (field) => {
    expect(cacheKeysOf(changed(field))).not.toEqual(cacheKeysOf(base));
  });

  it('ignores the feather where there is no seam to feather, and a fixed mode\'s frames where they plan the same tree', () => {
    expect(identityOf(changed('featherRadiusPx'), false)).toBe(identityOf(base, false));
    const sameTree: TransitionSpec = { ...base, mode: { kind: 'fixed', preset: 'lowest', frames: 25, depthStrength: 0.5 } };
    expect(JSON.stringify(planFixedTree(sameTree.mode as Extract<TransitionSpec['mode'], { kind: 'fixed' }>))).toBe(JSON.stringify(planFixedTree(base.mode as Extract<TransitionSpec['mode'], { kind: 'fixed' }>)));
    expect(identityOf(sameTree)).toBe(identityOf(base));
  });

  it('keys an image keyframe by its pixels in the cache, so an edited picture file is not reused', () => {
    const picture = (value: number): RgbImage => ({ width: 2, height: 1, data: new Uint8Array(6).fill(value) });
    const run = { ...runOf(base), inpaintHash: undefined };
    const withPicture = (value: number) => transitionCacheKeys({ ...base, b: { ...base.b, picture: picture(value) } }, run).b;
    expect(withPicture(10)).not.toBe(withPicture(11));
    expect(withPicture(10)).toBe(withPicture(10));
  });

  const still: StillJob = { kind: 'keyframe', model: { kind: 'demo' }, prompt: 'a red sunset', negativePrompt: '', seed: 3, steps: 12, guidance: 7.5, width: 256, height: 192, scheduler: 'ddim' };
  /** KeyframeJob's fields but the session, changed, and whether the still's cache entry must change (the model is in the cache's namespace). */
  const STILL_CHANGES: { readonly [K in keyof Required<StillJob>]: { readonly to: Required<StillJob>[K]; readonly cache: boolean } } = {
    kind: { to: 'keyframe', cache: false },
    model: { to: { kind: 'demo-fast' }, cache: false },
    prompt: { to: 'a green forest', cache: true },
    negativePrompt: { to: 'blurry', cache: true },
    seed: { to: 4, cache: true },
    steps: { to: 25, cache: true },
    guidance: { to: 5, cache: true },
    width: { to: 320, cache: true },
    height: { to: 256, cache: true },
    scheduler: { to: 'euler', cache: true },
  };

  it.each((Object.keys(STILL_CHANGES) as (keyof StillJob)[]).filter((f) => f !== 'kind'))('keys a keyframe still by %s', (field) => {
    const other = { ...still, [field]: STILL_CHANGES[field].to };
    expect(stillKey(other, null)).not.toBe(stillKey(still, null));
    expect(stillCacheKey(other) !== stillCacheKey(still)).toBe(STILL_CHANGES[field].cache);
  });

  it('keys an imported still by its file and fit', () => {
    expect(stillKey(still, { image: 'images/a.png', fit: 'fit' })).not.toBe(stillKey(still, null));
    expect(stillKey(still, { image: 'images/a.png', fit: 'fit' })).not.toBe(stillKey(still, { image: 'images/a.png', fit: 'crop' }));
  });
});
