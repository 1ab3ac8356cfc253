import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createStudio, type Studio } from '../services/studio';
import { RenderJobDouble } from '../services/testing/render-engine-double';
import { uniformGenerator } from '../engine/demo/random';
import { ErrorSchema, METHOD_NAMES, methods, type InvokeResult } from '../contract/contract';
import { ProjectSchema } from '../project/schema';
import { handlersFor } from './handlers';
import { createRouter, type Router } from './router';

let dir: string;
let studio: Studio;
let router: Router;
const internal: unknown[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lbs-router-'));
  // No real engine: the fuzz must not start ONNX work; engine jobs fail with a typed error.
  studio = createStudio({ engine: new RenderJobDouble(null), host: 'web', mediaBase: '/media', version: '0.0.0-test', configDir: dir });
  router = createRouter(handlersFor(studio), { onInternalError: (m, e) => internal.push([m, e]) });
});

afterAll(async () => {
  await studio.dispose();
  await rm(dir, { recursive: true, force: true });
});

function expectTypedError(result: InvokeResult, code?: string) {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(ErrorSchema.safeParse(result.error).success).toBe(true);
  expect(result.error.message.length).toBeGreaterThan(0);
  if (code) expect(result.error.code).toBe(code);
}

describe('router', () => {
  it('answers an unknown method with UNKNOWN_METHOD, listing the real ones', async () => {
    const r = await router.handle('project.delete', {});
    expectTypedError(r, 'UNKNOWN_METHOD');
    if (!r.ok) expect(r.error.hint).toContain('project.open');
    expectTypedError(await router.handle(42, {}), 'UNKNOWN_METHOD');
    expectTypedError(await router.handle({ toString: 'x' }, {}), 'UNKNOWN_METHOD');
    expectTypedError(await router.handle('__proto__', {}), 'UNKNOWN_METHOD');
  });

  it('names the bad field of a bad request', async () => {
    const r = await router.handle('renders.start', { scope: { kind: 'transition', index: -1 } });
    expectTypedError(r, 'BAD_REQUEST');
    if (!r.ok) expect(r.error.path).toEqual(['scope', 'index']);
    const extra = await router.handle('project.open', { path: '/x.lbs.json', mode: 'rw' });
    expectTypedError(extra, 'BAD_REQUEST');
  });

  it('rejects an invalid project document as INVALID_PROJECT with the field path, keeping the open project', async () => {
    const created = await router.handle('project.new', {});
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    const state = created.value as { revision: number; project: { transitions: { duration: number }[] } };
    const r = await router.handle('project.update', { base: state.revision, changes: [{ path: ['transitions', 0, 'duration'], value: -3 }] });
    expectTypedError(r, 'INVALID_PROJECT');
    if (!r.ok) expect(r.error.path).toEqual(['project', 'transitions', 0, 'duration']);
    expect(studio.projects.state()?.project.transitions[0].duration).toBe(state.project.transitions[0].duration);
  });

  it('validates the project document once per edit and answers with the change, not the document', async () => {
    const created = await router.handle('project.new', {});
    if (!created.ok) throw new Error('project.new failed');
    const { revision } = created.value as { revision: number };
    // Every validation of a document runs the project schema's own check, nested or not.
    const zod = (ProjectSchema as unknown as { _zod: { run: (...args: unknown[]) => unknown } })._zod;
    const run = zod.run;
    let runs = 0;
    zod.run = (...args) => (runs++, run.apply(zod, args));
    try {
      const r = await router.handle('project.update', { base: revision, changes: [{ path: ['keyframes', 0, 'prompt'], value: 'a lighthouse' }] });
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      const edit = r.value as { revision: number; changes: unknown[] };
      expect(edit.changes).toEqual([{ path: ['keyframes', 0, 'prompt'], value: 'a lighthouse' }]);
      expect(edit.revision).toBe(studio.projects.state()!.revision);
      expect(runs).toBe(1);
    } finally {
      zod.run = run;
    }
    expect(studio.projects.state()!.project.keyframes[0].prompt).toBe('a lighthouse');
  });

  it('maps service failures to typed errors (NO_PATH, UNSUPPORTED, NOT_FOUND)', async () => {
    await router.handle('project.new', {});
    expectTypedError(await router.handle('project.save', {}), 'NO_PATH');
    expectTypedError(await router.handle('dialog.pick', { mode: 'open', purpose: 'project' }), 'UNSUPPORTED');
    const missing = await router.handle('project.open', { path: path.join(dir, 'nope.lbs.json') });
    expectTypedError(missing, 'INVALID_PROJECT');
    if (!missing.ok) expect(missing.error.message).toContain('file not found');
  });

  it('survives thousands of random and malformed payloads: every answer is typed, nothing escapes', async () => {
    const random = uniformGenerator(20240917);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    const atoms = [null, true, false, 0, -1, 1e308, -0, 3.5, 2 ** 53, '', 'x', '../../etc/passwd', '\u0000', 'a'.repeat(5000), path.join(dir, 'fuzz.lbs.json'), 'relative.lbs.json', [], {}];
    const keys = ['path', 'scope', 'kind', 'index', 'jobId', 'project', 'provider', 'ref', 'id', 'prompts', 'format', 'fps', '__proto__', 'constructor', 'prototype', 'toString'];
    const value = (depth: number): unknown => {
      const r = random();
      if (depth > 4 || r < 0.45) return pick(atoms);
      if (r < 0.7) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(random() * 4); i > 0; i--) o[pick(keys)] = value(depth + 1);
      return o;
    };
    const examples: Record<string, unknown> = {
      'renders.start': { scope: { kind: 'transition', index: 0 } },
      'project.open': { path: '/definitely/not/here.lbs.json' },
      'exports.start': { path: '/tmp/out.mp4', fps: 24 },
      'models.inspect': { ref: { id: 'demo' } },
      'project.new': { prompts: ['a', 'b'] },
      'assets.write': { kind: 'mask', keyframeId: 'k1', pngBase64: 'AAAA' },
      'project.update': { base: 1, changes: [{ path: ['keyframes', 0, 'prompt'], value: 'x' }] },
    };
    const mutate = (base: unknown): unknown => {
      if (base === null || typeof base !== 'object') return value(0);
      const copy = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
      const k = Object.keys(copy);
      const r = random();
      if (r < 0.3 && k.length) delete copy[pick(k)];
      else if (r < 0.6 && k.length) copy[pick(k)] = value(1);
      else if (r < 0.8) copy[pick(keys)] = value(1);
      else return [copy];
      return copy;
    };
    const methodsToTry = [...METHOD_NAMES, 'nope', '', 'project', 'renders.start.x'];
    const counts = { ok: 0, errors: 0 };
    for (let i = 0; i < 3000; i++) {
      const method = random() < 0.9 ? pick(methodsToTry) : value(1);
      const payload = typeof method === 'string' && examples[method] && random() < 0.5 ? mutate(examples[method]) : value(0);
      const result = await router.handle(method, payload);
      if (result.ok) {
        counts.ok++;
        // Only a payload the method's own schema accepts may succeed.
        expect(typeof method === 'string' && method in methods).toBe(true);
        const schema = methods[method as keyof typeof methods];
        expect(schema.request.safeParse(payload ?? {}).success).toBe(true);
        expect(schema.response.safeParse(result.value).success).toBe(true);
      } else {
        counts.errors++;
        expect(ErrorSchema.safeParse(result.error).success).toBe(true);
        // Bugs show up as INTERNAL; random input must only ever produce user-facing codes.
        expect(result.error.code).not.toBe('INTERNAL');
      }
    }
    expect(counts.errors).toBeGreaterThan(2500);
    expect(internal).toEqual([]);
    // Prototype-pollution keys in payloads must not reach Object.prototype.
    expect(({} as Record<string, unknown>).path).toBeUndefined();
  });
});
