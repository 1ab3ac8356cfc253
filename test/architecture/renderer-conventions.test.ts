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

/** Lower-case words joined by hyphens, then the extension parts (`timeline-panel.test.ts`, `vite.config.ts`). */
export const KEBAB_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9]+)+$/;

/** Imports a module of the renderer by its path inside src-renderer/src (`api/transport`), from anywhere in it. */
function importsModule(source: string, module: string): boolean {
  return new RegExp(`from\\s+['"](?:\\.{1,2}/)+${module}['"]`).test(source);
}

describe('renderer conventions (issue 14)', () => {
  it('names every file and folder in kebab-case', () => {
    const names = files(RENDERER).flatMap((f) => path.relative(RENDERER, f).split(path.sep).map((part, i, all) => ({ part, dir: i < all.length - 1, file: rel(f) })));
    const wrong = names.filter(({ part, dir }) => !(dir ? /^[a-z0-9]+(?:-[a-z0-9]+)*$/ : KEBAB_NAME).test(part)).map(({ file }) => file);
    expect([...new Set(wrong)]).toEqual([]);
  });

  it('has no index.ts barrels: modules are imported by their own path', () => {
    expect(files(RENDERER).filter((f) => /^index\.(ts|js|mts)$/.test(path.basename(f))).map(rel)).toEqual([]);
  });

  it('lets components and composables reach the host only through stores', () => {
    const ui = [...files(path.join(RENDERER, 'src/components')), ...files(path.join(RENDERER, 'src/composables'))].filter((f) => /\.(ts|vue)$/.test(f) && !f.endsWith('.test.ts'));
    expect(ui.length).toBeGreaterThan(30);
    expect(ui.filter((f) => importsModule(readFileSync(f, 'utf8'), 'api/transport')).map(rel)).toEqual([]);
  });

  it('catches the names and imports it forbids', () => {
    expect(['TimelinePanel.vue', 'timelineOps.ts', 'timeline_ops.ts'].filter((n) => KEBAB_NAME.test(n))).toEqual([]);
    expect(['timeline-panel.vue', 'timeline-ops.test.ts', 'vite.config.ts', 'env.d.ts'].every((n) => KEBAB_NAME.test(n))).toBe(true);
    expect(importsModule("import { transport } from '../../api/transport';", 'api/transport')).toBe(true);
    expect(importsModule("import { transport } from '../../api/transport-kind';", 'api/transport')).toBe(false);
  });
});
