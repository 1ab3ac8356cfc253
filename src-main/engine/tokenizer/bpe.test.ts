import { describe, expect, it } from 'vitest';
import { BytePairEncoder } from './bpe';

// Expected symbols are worked out by hand from the BPE rule: merge the adjacent pair with the
// lowest rank, everywhere left to right, until no adjacent pair has a rank.
describe('BytePairEncoder', () => {
  it('marks the last symbol with </w>, also for one-character words', () => {
    expect(new BytePairEncoder([]).encodeWord('abc')).toEqual(['a', 'b', 'c</w>']);
    expect(new BytePairEncoder([]).encodeWord('a')).toEqual(['a</w>']);
  });

  it('merges the lowest-ranked pair first, not the leftmost', () => {
    const rightFirst = new BytePairEncoder([['b', 'c</w>'], ['a', 'b'], ['a', 'bc</w>']]);
    expect(rightFirst.encodeWord('abc')).toEqual(['abc</w>']);
    const leftFirst = new BytePairEncoder([['a', 'b'], ['b', 'c</w>'], ['a', 'bc</w>']]);
    expect(leftFirst.encodeWord('abc')).toEqual(['ab', 'c</w>']);
  });

  it('merges repeated pairs left to right without overlap', () => {
    const bpe = new BytePairEncoder([['a', 'a']]);
    expect(bpe.encodeWord('aaaa')).toEqual(['aa', 'a', 'a</w>']);
    expect(bpe.encodeWord('aaaaa')).toEqual(['aa', 'aa', 'a</w>']);
  });

  it('gives a repeated merge its later rank, like a dict built from the merges list', () => {
    // "x y" listed first and again after "y z": its effective rank is the later one.
    const bpe = new BytePairEncoder([['x', 'y'], ['y', 'z</w>'], ['x', 'y']]);
    expect(bpe.encodeWord('xyz')).toEqual(['x', 'yz</w>']);
  });

  it('returns the same result from its cache', () => {
    const bpe = new BytePairEncoder([['a', 'b']]);
    expect(bpe.encodeWord('abab')).toEqual(['ab', 'a', 'b</w>']);
    expect(bpe.encodeWord('abab')).toEqual(['ab', 'a', 'b</w>']);
  });
});
