import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheDirFor } from './diskTransitionCache';

describe('cacheDirFor', () => {
  it('lives next to the project as <name>.lbs.cache', () => {
    expect(cacheDirFor('/films/movie.lbs.json')).toBe(path.join('/films', 'movie.lbs.cache'));
  });
});
