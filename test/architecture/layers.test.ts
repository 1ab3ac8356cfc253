import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACYCLIC, findCycles, findViolations, readImportGraph, type ImportGraph } from './import-graph';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const SOURCES = ['src-main', 'src-renderer'];

describe('the layers of ARCHITECTURE.md, in the real sources', () => {
  const graph = readImportGraph(repo, SOURCES);

  it('reads every source file and its imports, Vue files included', () => {
    const targets = (file: string) => (graph.get(file) ?? []).map((r) => r.file ?? r.pkg);
    expect(targets('src-main/ipc/router.ts')).toContain('src-main/contract/contract.ts');
    expect(targets('src-main/hosts/electron/main.ts')).toContain('electron');
    const vue = [...graph.keys()].filter((f) => f.endsWith('.vue'));
    expect(vue.length).toBeGreaterThan(5);
    expect(vue.some((f) => targets(f).includes('src-main/contract/contract.ts'))).toBe(true);
  });

  it('has no upward import, no electron outside hosts/electron, and a renderer that imports only the contract', () => {
    expect(findViolations(graph).map((v) => `${v.file} imports "${v.specifier}": ${v.rule}`)).toEqual([]);
  });

  it.each(ACYCLIC)('has no import cycle under %s', (folder) => {
    expect(findCycles(graph, folder)).toEqual([]);
  });

  it('keeps the engine jobs below the worker seam: jobs/ never imports worker/ (the registry ↔ protocol cycle)', () => {
    const upward = [...graph]
      .filter(([file]) => file.startsWith('src-main/engine/jobs/'))
      .flatMap(([file, refs]) => refs.filter((r) => r.file?.startsWith('src-main/engine/worker/')).map((r) => `${file} → ${r.file}`));
    expect(upward).toEqual([]);
  });
});

describe('the check itself, on a synthetic tree', () => {
  let root: string;
  let graph: ImportGraph;
  const files: Record<string, string> = {
    'src-main/engine/math.ts': "import { run } from '../services/renders';\nexport const x = 1;\n",
    'src-main/engine/loop-a.ts': "export { b } from './loop-b';\nexport const a = 1;\n",
    'src-main/engine/loop-b.ts': "import type { a } from './loop-a';\nexport const b = 2;\n",
    'src-main/media/png.ts': "// import { x } from '../hosts/cli/main' is only a comment\nexport * from '../engine/math';\nconst s = \"import '../ipc/router'\";\n",
    'src-main/project/store.ts': "export async function load() { return import('../contract/contract'); }\n",
    'src-main/contract/contract.ts': "import type { Project } from '../project/store';\nexport type { Project };\n",
    'src-main/services/renders.ts': "import { app } from 'electron';\nimport '../contract/contract';\nexport const run = app;\n",
    'src-main/ipc/router.ts': "import '../services/renders';\n",
    'src-main/hosts/electron/main.ts': "import { BrowserWindow } from 'electron';\nimport '../../ipc/router';\n",
    'src-main/hosts/web/server.ts': "import '../../../src-renderer/src/app.vue';\n",
    'src-renderer/src/app.vue':
      "<template><p /></template>\n<script setup lang=\"ts\">\nimport type { Project } from '../../src-main/contract/contract';\nimport { run } from '../../src-main/services/renders';\n</script>\n",
    'src-renderer/src/main.ts': "import { ipcRenderer } from 'electron/renderer';\nimport App from './app.vue';\n",
  };

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'lbs-layers-'));
    for (const [rel, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
      await writeFile(path.join(root, rel), text);
    }
    graph = readImportGraph(root, SOURCES);
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('reports each upward import, electron import and renderer reach-around, and nothing allowed', () => {
    const found = findViolations(graph).map((v) => `${v.file} → ${v.specifier}`);
    expect(found.sort()).toEqual(
      [
        'src-main/engine/math.ts → ../services/renders',
        'src-main/project/store.ts → ../contract/contract',
        'src-main/services/renders.ts → electron',
        'src-main/hosts/web/server.ts → ../../../src-renderer/src/app.vue',
        'src-renderer/src/app.vue → ../../src-main/services/renders',
        'src-renderer/src/main.ts → electron/renderer',
      ].sort(),
    );
  });

  it('says which rule an import breaks', () => {
    const rules = new Map(findViolations(graph).map((v) => [v.file, v.rule]));
    expect(rules.get('src-main/engine/math.ts')).toMatch(/engine is below services/);
    expect(rules.get('src-main/services/renders.ts')).toMatch(/only src-main\/hosts\/electron\/ imports electron/);
    expect(rules.get('src-renderer/src/app.vue')).toMatch(/renderer imports only src-main\/contract\//);
  });

  it('finds an import cycle, type-only and re-export edges included', () => {
    expect(findCycles(graph, 'src-main/engine/')).toEqual([['src-main/engine/loop-a.ts', 'src-main/engine/loop-b.ts']]);
    expect(findCycles(graph, 'src-main/media/')).toEqual([]);
  });
});
