import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const RENDERER = path.join(repo, 'src-renderer');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === 'node_modules' || e.name.startsWith('.')) return [];
    const abs = path.join(dir, e.name);
    return e.isDirectory() ? files(abs) : [abs];
  });
}

const rel = (file: string) => path.relative(repo, file).split(path.sep).join('/');

/** Imports a module of the renderer by its path inside src-renderer/src (`api/transport`), from anywhere in it. */
function importsModule(source: string, module: string): boolean {
  return new RegExp(`from\\s+['"](?:\\.{1,2}/)+${module}['"]`).test(source);
}

// File names, barrels and test-helper folders are conventions.test.ts's, for the whole repository.
describe('renderer conventions (issue 14)', () => {
  it('lets components and composables reach the host only through stores', () => {
    const ui = [...files(path.join(RENDERER, 'src/components')), ...files(path.join(RENDERER, 'src/composables'))].filter((f) => /\.(ts|vue)$/.test(f) && !f.endsWith('.test.ts'));
    expect(ui.length).toBeGreaterThan(30);
    expect(ui.filter((f) => importsModule(readFileSync(f, 'utf8'), 'api/transport')).map(rel)).toEqual([]);
  });

  it('catches the imports it forbids', () => {
    expect(importsModule("import { transport } from '../../api/transport';", 'api/transport')).toBe(true);
    expect(importsModule("import { transport } from '../../api/transport-kind';", 'api/transport')).toBe(false);
  });
});
