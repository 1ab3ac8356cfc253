import { describe, expect, it } from 'vitest';
import { exceedsJsonDepth } from './json-depth';

describe('exceedsJsonDepth', () => {
  it('counts objects and arrays, not brackets inside strings', () => {
    expect(exceedsJsonDepth('{"a":[{"b":1}]}', 3)).toBe(false);
    expect(exceedsJsonDepth('{"a":[{"b":[1]}]}', 3)).toBe(true);
    expect(exceedsJsonDepth(JSON.stringify({ s: '[[[[[[[[[[{{{{{{' }), 1)).toBe(false);
    expect(exceedsJsonDepth(JSON.stringify({ s: 'quote \\" then [[[[' }), 1)).toBe(false);
  });

  it('agrees with the real nesting of generated documents', () => {
    for (let depth = 1; depth < 40; depth++) {
      let value: unknown = 'leaf';
      for (let d = 0; d < depth; d++) value = d % 2 ? { k: value } : [value];
      const text = JSON.stringify(value);
      expect(exceedsJsonDepth(text, depth)).toBe(false);
      expect(exceedsJsonDepth(text, depth - 1)).toBe(true);
    }
  });
});
