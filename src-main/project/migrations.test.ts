import { describe, expect, it } from 'vitest';
import { MIGRATIONS, assertMigrationChain, migrateToCurrent, type Migration } from './migrations';
import { parseProject } from './parse';
import { CURRENT_PROJECT_VERSION } from './schema';

describe('migration chain', () => {
  it('is gap-free from version 0 to the current version', () => {
    expect(() => assertMigrationChain(MIGRATIONS, CURRENT_PROJECT_VERSION)).not.toThrow();
  });

  it('runs every step in order from the file version to the current one', () => {
    // A synthetic three-version history: each step leaves a trace so order is visible.
    const steps: Migration[] = [
      { from: 0, description: 'a', migrate: (d) => ({ ...d, version: 1, trail: [...(d.trail as string[]), 'a'] }) },
      { from: 1, description: 'b', migrate: (d) => ({ ...d, version: 2, trail: [...(d.trail as string[]), 'b'] }) },
      { from: 2, description: 'c', migrate: (d) => ({ ...d, version: 3, trail: [...(d.trail as string[]), 'c'] }) },
    ];
    expect(migrateToCurrent({ version: 0, trail: [] }, undefined, steps, 3)).toEqual({
      document: { version: 3, trail: ['a', 'b', 'c'] },
      fromVersion: 0,
      applied: ['a', 'b', 'c'],
    });
    expect(migrateToCurrent({ version: 2, trail: [] }, undefined, steps, 3).document).toEqual({ version: 3, trail: ['c'] });
    expect(migrateToCurrent({ version: 3, trail: [] }, undefined, steps, 3).applied).toEqual([]);
  });

  it('refuses a chain with a gap or that stops short', () => {
    const m = (from: number): Migration => ({ from, description: '', migrate: (d) => d });
    expect(() => assertMigrationChain([m(0), m(2)], 3)).toThrow(/entry 1 migrates from version 2/);
    expect(() => assertMigrationChain([m(0)], 2)).toThrow(/current version is 2/);
  });

  it('rejects versions that are not whole numbers', () => {
    expect(() => migrateToCurrent({ version: '1' })).toThrow(/version: must be a whole number/);
    expect(() => migrateToCurrent({ version: -1 })).toThrow(/version: must be a whole number/);
  });
});

describe('version 0 (flat prototype layout) → version 1', () => {
  const legacy = {
    version: 0,
    name: 'Old trip',
    prompts: ['a red fox in snow', 'a lighthouse in a storm', 'a field of sunflowers'],
    negativePrompt: 'blurry',
    seeds: [11, 22, 33],
    width: 768,
    height: 512,
    guidance: 5,
    fps: 30,
    quality: 'low',
    duration: 2.5,
    depthStrength: 0.4,
    model: '/models/sd21-onnx',
  };

  it('turns the prompt list into keyframes and the flat settings into per-transition settings', () => {
    const p = parseProject(legacy, 'old.lbs.json');
    expect(p.version).toBe(CURRENT_PROJECT_VERSION);
    expect(p.format).toBe('latent-blending-studio');
    expect(p.name).toBe('Old trip');
    expect(p.model).toEqual({ path: '/models/sd21-onnx' });
    expect([p.width, p.height, p.guidance, p.fps]).toEqual([768, 512, 5, 30]);
    expect(p.keyframes.map((k) => [k.prompt, k.negativePrompt, k.seed])).toEqual([
      ['a red fox in snow', 'blurry', 11],
      ['a lighthouse in a storm', 'blurry', 22],
      ['a field of sunflowers', 'blurry', 33],
    ]);
    expect(p.transitions).toHaveLength(2);
    for (const t of p.transitions) {
      expect(t.duration).toBe(2.5);
      expect(t.depthStrength).toBe(0.4);
      expect(t.mode).toEqual({ kind: 'fixed', preset: 'low' });
    }
  });

  it('gives missing v0 settings the v1 defaults', () => {
    const p = parseProject({ version: 0, prompts: ['x', 'y'] });
    expect(p.model).toEqual({ id: 'demo' });
    expect(p.keyframes.map((k) => k.seed)).toEqual([0, 0]);
    expect(p.transitions[0].mode).toEqual({ kind: 'fixed', preset: 'medium' });
  });

  it('reports v0 problems with v0 field names', () => {
    expect(() => parseProject({ version: 0, prompts: 'x' }, 'old.json')).toThrow(/old\.json.*prompts: must be a list.*version 0/);
    expect(() => parseProject({ version: 0, prompts: ['a', 'b'], seeds: [1] })).toThrow(/seeds: has 1 seeds for 2 prompts/);
    expect(() => parseProject({ version: 0, prompts: ['a'], promps: [] })).toThrow(/promps: unknown field; did you mean "prompts"/);
  });

  it('does not modify the input document', () => {
    const copy = structuredClone(legacy);
    parseProject(copy);
    expect(copy).toEqual(legacy);
  });
});

describe('version 1 → version 2 (easing and holds)', () => {
  const v1 = (transition: Record<string, unknown>) => ({
    format: 'latent-blending-studio',
    version: 1,
    keyframes: [{ prompt: 'a' }, { prompt: 'b' }],
    transitions: [transition],
  });

  it('turns equalPerceptualSpacing into the easing curve it meant', () => {
    expect(parseProject(v1({ equalPerceptualSpacing: true })).transitions[0].easing).toEqual({ curve: 'even-perceived-speed', strength: 0.5 });
    expect(parseProject(v1({ equalPerceptualSpacing: false, duration: 2 })).transitions[0]).toMatchObject({ duration: 2, easing: { curve: 'linear' } });
  });

  it('gives every keyframe no hold, and names a malformed old field instead of dropping it', () => {
    expect(parseProject(v1({})).keyframes.map((k) => k.hold)).toEqual([0, 0]);
    expect(() => parseProject(v1({ equalPerceptualSpacing: 'yes' }))).toThrow(/transitions\[0\]\.equalPerceptualSpacing/);
  });
});
