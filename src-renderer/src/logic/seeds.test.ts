import { describe, expect, it } from 'vitest';
import { parseSeed, randomSeed } from './seeds';

describe('seeds', () => {
  it('spans the whole 32-bit range the project format allows', () => {
    expect(randomSeed(() => 0)).toBe(0);
    expect(randomSeed(() => 1 - 2 ** -40)).toBe(2 ** 32 - 1);
  });

  it('accepts whole numbers up to 2³²−1 and nothing else', () => {
    expect(parseSeed(' 42 ')).toBe(42);
    expect(parseSeed('4294967295')).toBe(4294967295);
    expect(parseSeed('4294967296')).toBeNull();
    expect(parseSeed('-1')).toBeNull();
    expect(parseSeed('1.5')).toBeNull();
    expect(parseSeed('')).toBeNull();
  });
});
