import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cacheKey } from './blend/cache';
import { canonicalHash, canonicalJson } from './canonical-json';

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

describe('canonicalJson / canonicalHash', () => {
  it('sorts keys at every depth and drops undefined fields', () => {
    expect(canonicalJson({ b: 1, a: [true, { d: 'x', c: null, e: undefined }] })).toBe('{"a":[true,{"c":null,"d":"x"}],"b":1}');
  });

  it('is the SHA-256 of that canonical text', () => {
    expect(canonicalHash({ b: 1, a: 2 })).toBe(sha256('{"a":2,"b":1}'));
    expect(canonicalHash({ a: 2, b: 1 })).toBe(canonicalHash({ b: 1, a: 2 }));
  });

  it('spells equal numbers one way', () => {
    expect(canonicalJson([-0, 0, 1.0, 1e21, 0.1])).toBe('[0,0,1,1e+21,0.1]');
    expect(canonicalHash({ x: -0 })).toBe(canonicalHash({ x: 0 }));
  });

  it('refuses values without a canonical JSON form, naming where', () => {
    expect(() => canonicalJson({ a: [1, NaN] })).toThrow(/a\[1\]/);
    expect(() => canonicalJson({ a: Infinity })).toThrow(/not a finite number/);
    expect(() => canonicalJson({ t: new Float32Array(2) })).toThrow(/t is a Float32Array/);
    expect(() => canonicalJson({ d: new Date(0) })).toThrow(/Date/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/function/);
  });
});

describe('cacheKey', () => {
  it('is the kind followed by the first 40 hex digits of the canonical hash', () => {
    const description = { seed: 3, prompt: 'a fox', inpaint: null };
    expect(cacheKey('keyframe', description)).toBe(`keyframe-${sha256('{"inpaint":null,"prompt":"a fox","seed":3}').slice(0, 40)}`);
    expect(cacheKey('keyframe', description)).not.toBe(cacheKey('branch', description));
  });
});
