import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readImportGraph, type ImportGraph } from './import-graph';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const TRANSPORT = 'src-renderer/src/api/transport.ts';
const UI = /^src-renderer\/src\/(components|composables)\/.*(?<!\.test\.ts)$/;

/** Components and composables that import the transport themselves instead of going through a store. */
function uiImportingTransport(graph: ImportGraph): string[] {
  return [...graph].filter(([file, refs]) => UI.test(file) && refs.some((r) => r.file === TRANSPORT)).map(([file]) => file);
}

// File names, barrels and test-helper folders are conventions.test.ts's, for the whole repository.
describe('renderer conventions (issue 14)', () => {
  it('lets components and composables reach the host only through stores', () => {
    const graph = readImportGraph(repo, ['src-renderer']);
    expect([...graph.keys()].filter((f) => UI.test(f)).length).toBeGreaterThan(30);
    expect(uiImportingTransport(graph)).toEqual([]);
  });

  it('catches the imports it forbids', () => {
    const graph: ImportGraph = new Map([
      ['src-renderer/src/components/export/export-dialog.vue', [{ specifier: '../../api/transport', file: TRANSPORT }]],
      ['src-renderer/src/stores/exports.ts', [{ specifier: '../api/transport', file: TRANSPORT }]],
      ['src-renderer/src/components/export/export-dialog.test.ts', [{ specifier: '../../api/transport', file: TRANSPORT }]],
    ]);
    expect(uiImportingTransport(graph)).toEqual(['src-renderer/src/components/export/export-dialog.vue']);
  });
});
