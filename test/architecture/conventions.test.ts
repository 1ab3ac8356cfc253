import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findConventionViolations, findReexports, listFiles, readSources } from './conventions';

const repo = fileURLToPath(new URL('../..', import.meta.url));

describe('the naming conventions, in the real tree', () => {
  const files = listFiles(repo);

  it('walks the sources, Vue components and tests included', () => {
    expect(files).toContain('src-main/contract/contract.ts');
    expect(files.some((f) => f.endsWith('.vue'))).toBe(true);
    expect(files).toContain('test/architecture/conventions.test.ts');
  });

  it('has one file-name case, no barrels and one name for test-helper folders', () => {
    expect(findConventionViolations(files).map((v) => `${v.file}: ${v.rule}`)).toEqual([]);
  });

  it('has one import path per symbol: nothing outside the contract re-exports', () => {
    expect(findReexports(readSources(repo, files)).map((v) => `${v.file}: ${v.rule}`)).toEqual([]);
  });
});

describe('the check itself, on synthetic paths', () => {
  it('names every kind of violation and accepts the conventions', () => {
    const violations = findConventionViolations([
      'src-main/engine/blend/index.ts',
      'src-main/project/diskTransitionCache.ts',
      'src-renderer/src/components/TimelinePanel.vue',
      'src-main/services/test-support/temp.ts',
      'src-main/services/Farm/redis.ts',
      'src-main/engine/blend/movie-timing.test.ts',
      'src-renderer/src/components/timeline/timeline-panel.vue',
      'src-main/services/farm/testing/redis-server.ts',
      'src-main/engine/scheduler/testdata/euler-reference.json',
      'README.md',
    ]);
    expect(violations).toEqual([
      { file: 'src-main/engine/blend/index.ts', rule: 'no barrels: import from the module that defines the symbol' },
      { file: 'src-main/project/diskTransitionCache.ts', rule: 'file names are kebab-case' },
      { file: 'src-renderer/src/components/TimelinePanel.vue', rule: 'file names are kebab-case' },
      { file: 'src-main/services/test-support', rule: 'test helpers live in a folder named "testing"' },
      { file: 'src-main/services/Farm', rule: 'folder names are kebab-case' },
    ]);
  });

  it('finds re-exports, and lets the contract and ordinary exports be', () => {
    const sources = new Map([
      ['src-main/engine/blend/transition.ts', "import { a } from './a';\nexport type { TransitionSpec } from './transition-spec';\n"],
      ['src-main/media/index-like.ts', "export * from './png';\n"],
      ['src-main/contract/contract.ts', "export { MAX_SEED } from '../project/schema';\n"],
      ['src-main/engine/blend/slerp.ts', "export function slerp() {}\nexport { slerp as mix };\n// export { x } from './y' in a comment\n"],
    ]);
    expect(findReexports(sources).map((v) => v.file)).toEqual(['src-main/engine/blend/transition.ts', 'src-main/media/index-like.ts']);
  });
});
