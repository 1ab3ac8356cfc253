import type { FlowJob } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { parseProject } from '../../project/parse';
import type { Project } from '../../project/schema';
import { ENGINE_NUMERICS_VERSION } from '../render/project-render';
import { farmFingerprint } from './fingerprint';
import { jobIds, keyframesFlow, movieFlow, planMovie, transitionRecordKey, type PieceContext } from './flow-plan';
import type { FarmPiece, TransitionPieceResult } from './messages';

const key = (n: number) => `keyframe-${String(n).padStart(40, '0')}`;

function project(overrides: { masks?: number[]; crossfeed?: number[]; prompts?: string[] } = {}): Project {
  const prompts = overrides.prompts ?? ['red', 'green', 'blue', 'white'];
  return parseProject({
    format: 'latent-blending-studio',
    version: 1,
    model: { id: 'demo' },
    width: 256,
    height: 256,
    keyframes: prompts.map((prompt, i) => ({ prompt, seed: i, ...(overrides.masks?.includes(i) ? { mask: `${'a'.repeat(63)}${i}.png` } : {}) })),
    transitions: prompts.slice(1).map((_, i) => ({ duration: 2, mode: { kind: 'fixed', preset: 'lowest' }, ...(overrides.crossfeed?.includes(i) ? { crossfeed: { keyframe: {} } } : {}) })),
  });
}

function context(p: Project): PieceContext {
  return { flowId: 'flow-0001', fingerprint: farmFingerprint(p), project: p, inputs: {}, session: {} };
}

function record(index: number): TransitionPieceResult {
  return { kind: 'transition', index, keys: { a: key(10 * index), b: key(10 * index + 1) }, positions: [0, 1], frames: [`${'0'.repeat(32)}.png`, `${'1'.repeat(32)}.png`], unetEvaluations: 10, computedEvaluations: 10 };
}

/** A flow as (job id, keyframe A, children): what the test cares about. */
function shape(job: FlowJob): unknown {
  const data = job.data as FarmPiece;
  return { id: job.opts?.jobId, ...(data.keyframeA ? { keyframeA: data.keyframeA } : {}), ...(job.children ? { children: job.children.map(shape) } : {}) };
}

describe('a movie as BullMQ flows', () => {
  it('chains the keyframes pieces where transitions share a keyframe, then renders every transition independently', () => {
    const p = project();
    const plan = planMovie(p, new Map());
    expect(plan.render).toEqual([0, 1, 2]);
    const keyframes = keyframesFlow(plan, context(p))!;
    // Piece 2 needs keyframe 2, which piece 1 makes after keyframe 1, which piece 0 makes.
    expect(shape(keyframes)).toEqual({ id: 'flow-0001-keyframes', children: [{ id: 'flow-0001-k2', children: [{ id: 'flow-0001-k1', children: [{ id: 'flow-0001-k0' }] }] }] });
    const movie = movieFlow(plan, { 0: { a: key(1), b: key(2) }, 1: { a: key(2), b: key(3) }, 2: { a: key(3), b: key(4) } }, context(p))!;
    expect(shape(movie)).toEqual({
      id: 'flow-0001-movie',
      children: [{ id: 'flow-0001-t0' }, { id: 'flow-0001-t1', keyframeA: key(2) }, { id: 'flow-0001-t2', keyframeA: key(3) }],
    });
    for (const child of [...movie.children!, keyframes.children![0]]) {
      expect(child.opts).toMatchObject({ failParentOnFailure: true, attempts: 2 });
      expect((child.data as FarmPiece).fingerprint).toEqual({ protocol: 1, engine: ENGINE_NUMERICS_VERSION, model: { id: 'demo' }, inpaintingModel: { id: 'demo-inpainting' } });
    }
  });

  it('skips transitions found in the cache and takes keyframe A of the next one from their record', () => {
    const p = project();
    const plan = planMovie(p, new Map([[1, record(1)]]));
    expect(plan.render).toEqual([0, 2]);
    expect(shape(keyframesFlow(plan, context(p))!)).toEqual({ id: 'flow-0001-keyframes', children: [{ id: 'flow-0001-k0' }, { id: 'flow-0001-k2', keyframeA: key(11) }] });
    const movie = movieFlow(plan, { 0: { a: key(1), b: key(2) }, 2: { a: key(11), b: key(4) } }, context(p))!;
    expect(shape(movie)).toEqual({ id: 'flow-0001-movie', children: [{ id: 'flow-0001-t0' }, { id: 'flow-0001-t2', keyframeA: key(11) }] });
  });

  it('adds no flow at all when every transition is cached', () => {
    const p = project();
    const plan = planMovie(p, new Map([0, 1, 2].map((i) => [i, record(i)])));
    expect(plan.render).toEqual([]);
    expect(keyframesFlow(plan, context(p))).toBeUndefined();
    expect(movieFlow(plan, {}, context(p))).toBeUndefined();
  });

  it('breaks the chain at an inpainting transition, which has keyframes of its own', () => {
    const p = project({ masks: [1] });
    const plan = planMovie(p, new Map());
    expect(shape(keyframesFlow(plan, context(p))!)).toEqual({ id: 'flow-0001-keyframes', children: [{ id: 'flow-0001-k0' }, { id: 'flow-0001-k1' }, { id: 'flow-0001-k2' }] });
    const movie = movieFlow(plan, { 0: { a: key(1), b: key(2) }, 1: { a: key(5), b: key(6) }, 2: { a: key(7), b: key(8) } }, context(p))!;
    expect(movie.children!.map((c) => (c.data as FarmPiece).keyframeA)).toEqual([undefined, undefined, undefined]);
  });

  it('refuses to build the transitions flow without the keyframe keys it needs', () => {
    const p = project();
    expect(() => movieFlow(planMovie(p, new Map()), { 0: { a: key(1), b: key(2) } }, context(p))).toThrow(/no keyframe keys for transition 1/);
  });

  it('names job ids without colons (BullMQ refuses them in custom ids)', () => {
    expect([jobIds.keyframes('f', 3), jobIds.transition('f', 3), jobIds.movieStage('f'), jobIds.keyframesStage('f')].some((id) => id.includes(':'))).toBe(false);
  });
});

describe('farm records of rendered transitions', () => {
  const fp = (p: Project) => farmFingerprint(p);

  it('change with the transition itself and with what its keyframe A depends on, not with later transitions', () => {
    const base = project();
    const later = project({ prompts: ['red', 'green', 'blue', 'black'] });
    const first = project({ prompts: ['pink', 'green', 'blue', 'white'] });
    expect(transitionRecordKey(later, 1, fp(later), 'cpu')).toBe(transitionRecordKey(base, 1, fp(base), 'cpu'));
    expect(transitionRecordKey(later, 2, fp(later), 'cpu')).not.toBe(transitionRecordKey(base, 2, fp(base), 'cpu'));
    // Without keyframe crossfeed, keyframe 1 does not depend on keyframe 0: transition 1 keeps its record.
    expect(transitionRecordKey(first, 1, fp(first), 'cpu')).toBe(transitionRecordKey(base, 1, fp(base), 'cpu'));
    const crossfed = project({ crossfeed: [0] });
    const crossfedFirst = project({ crossfeed: [0], prompts: ['pink', 'green', 'blue', 'white'] });
    expect(transitionRecordKey(crossfedFirst, 1, fp(crossfedFirst), 'cpu')).not.toBe(transitionRecordKey(crossfed, 1, fp(crossfed), 'cpu'));
  });

  it('change with the engine numerics version, the model and the provider', () => {
    const p = project();
    const key0 = transitionRecordKey(p, 0, fp(p), 'cpu');
    expect(transitionRecordKey(p, 0, { ...fp(p), engine: fp(p).engine + 1 }, 'cpu')).not.toBe(key0);
    expect(transitionRecordKey(p, 0, { ...fp(p), model: { path: '/models/sd21' } }, 'cpu')).not.toBe(key0);
    expect(transitionRecordKey(p, 0, fp(p), 'cuda')).not.toBe(key0);
  });
});
