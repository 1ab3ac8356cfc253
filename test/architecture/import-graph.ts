/**
 * The import graph of the sources and the layer rule of ARCHITECTURE.md, checked by
 * `layers.test.ts` in `npm test`. Imports are read with the TypeScript compiler's own import
 * scanner (`ts.preProcessFile`: static, dynamic, `export … from`, `require`), so a comment or a
 * string that merely looks like an import is never counted, and a Vue file's `<script>` blocks
 * are scanned the same way.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** src-main's layers, lowest first: a file may import its own layer and those before it. */
export const LAYERS = ['engine', 'media', 'project', 'contract', 'services', 'ipc', 'hosts'] as const;
export type Layer = (typeof LAYERS)[number];

/** The only place that may import the `electron` package (and `electron/…`). */
export const ELECTRON_HOST = 'src-main/hosts/electron/';

/** The renderer's only way into src-main. */
export const RENDERER_MAY_IMPORT = 'src-main/contract/';

/** Folders whose files must not import each other in a cycle. */
export const ACYCLIC = ['src-main/engine/'];

const SOURCE = /\.(ts|mts|mjs|js|vue)$/;
const RESOLVE_SUFFIXES = ['', '.ts', '.mts', '.vue', '.mjs', '.js', '.json', '/index.ts'];

export interface ImportRef {
  /** As written in the source. */
  readonly specifier: string;
  /** Repo-relative path of the file it resolves to (`/` separators), for relative imports. */
  readonly file?: string;
  /** The package name for a bare import (`electron`, `@vue/test-utils`, `node:fs`). */
  readonly pkg?: string;
}

/** Repo-relative source file → what it imports. */
export type ImportGraph = ReadonlyMap<string, readonly ImportRef[]>;

export interface Violation {
  readonly file: string;
  readonly specifier: string;
  readonly rule: string;
}

/** Reads every source file (tests included) under `dirs` (repo-relative) of `root`. */
export function readImportGraph(root: string, dirs: readonly string[]): ImportGraph {
  const graph = new Map<string, ImportRef[]>();
  for (const dir of dirs) {
    for (const abs of listSources(path.join(root, dir))) {
      const file = toRepoPath(root, abs);
      graph.set(file, scanImports(readFileSync(abs, 'utf8'), abs.endsWith('.vue')).map((s) => resolveImport(root, abs, s)));
    }
  }
  return graph;
}

function listSources(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listSources(abs));
    else if (e.isFile() && SOURCE.test(e.name) && !e.name.endsWith('.d.ts')) out.push(abs);
  }
  return out.sort();
}

/** Module specifiers a source imports. */
export function scanImports(text: string, isVue = false): string[] {
  const code = isVue ? [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n') : text;
  return ts.preProcessFile(code, true, true).importedFiles.map((f) => f.fileName);
}

function resolveImport(root: string, fromAbs: string, specifier: string): ImportRef {
  if (!specifier.startsWith('.')) {
    const parts = specifier.split('/');
    return { specifier, pkg: specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0] };
  }
  const base = path.resolve(path.dirname(fromAbs), specifier.replace(/\?.*$/, ''));
  for (const suffix of RESOLVE_SUFFIXES) {
    const candidate = base + suffix;
    if (existsSync(candidate) && statSync(candidate).isFile()) return { specifier, file: toRepoPath(root, candidate) };
  }
  // Unresolvable: keep the path it names, so the layer rule still sees where it points.
  return { specifier, file: toRepoPath(root, base) };
}

function toRepoPath(root: string, abs: string): string {
  return path.relative(root, abs).split(path.sep).join('/');
}

/** The src-main layer of a repo-relative path, or undefined outside src-main's layers. */
export function layerOf(file: string): Layer | undefined {
  const m = /^src-main\/([^/]+)\//.exec(file);
  return m ? LAYERS.find((l) => l === m[1]) : undefined;
}

/** Every import that breaks ARCHITECTURE.md's rules. */
export function findViolations(graph: ImportGraph): Violation[] {
  const out: Violation[] = [];
  for (const [file, refs] of graph) {
    // The page's own code; src-renderer/*.ts beside it is build tooling (vite config, the CSP
    // meta plugin) that runs in Node at build time and may read host settings such as the CSP.
    const inRenderer = file.startsWith('src-renderer/src/');
    const layer = layerOf(file);
    for (const ref of refs) {
      const add = (rule: string) => out.push({ file, specifier: ref.specifier, rule });
      if (ref.pkg === 'electron' && !file.startsWith(ELECTRON_HOST)) add(`only ${ELECTRON_HOST} imports electron`);
      if (!ref.file) continue;
      if (inRenderer) {
        if (!ref.file.startsWith('src-renderer/') && !ref.file.startsWith(RENDERER_MAY_IMPORT)) {
          add(`the renderer imports only ${RENDERER_MAY_IMPORT} from outside src-renderer`);
        }
        continue;
      }
      const target = layerOf(ref.file);
      if (layer && target && LAYERS.indexOf(target) > LAYERS.indexOf(layer)) {
        add(`${layer} is below ${target} (${LAYERS.join(' < ')}); a lower layer never imports a higher one`);
      }
      if (layer && ref.file.startsWith('src-renderer/')) add('src-main never imports the renderer');
    }
  }
  return out;
}

/**
 * Import cycles among the files under `folder` (strongly connected components of more than one
 * file, or a file importing itself), each as its files sorted.
 */
export function findCycles(graph: ImportGraph, folder: string): string[][] {
  const nodes = [...graph.keys()].filter((f) => f.startsWith(folder));
  const inside = new Set(nodes);
  const edges = new Map(nodes.map((f) => [f, (graph.get(f) ?? []).flatMap((r) => (r.file && inside.has(r.file) ? [r.file] : []))]));
  // Tarjan's algorithm.
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)!) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || edges.get(v)!.includes(v)) cycles.push(component.sort());
    }
  };
  for (const v of nodes) if (!index.has(v)) visit(v);
  return cycles;
}
