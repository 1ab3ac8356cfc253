/**
 * The repository's naming conventions (issue 14, item 9), checked by `conventions.test.ts`:
 * - one file-name case: kebab-case for every source file, Vue components included (Vue's style
 *   guide allows "always kebab-case"; component *names* in templates stay PascalCase);
 * - no barrels: a module is imported from the file that defines it, never through an `index.ts`
 *   that re-exports a folder (one path per symbol, so "find usages" and the import graph agree);
 * - test helpers live in a folder named `testing` beside the code they serve;
 * - no re-exports (`export … from`) either, except in the contract, whose job is to hand the
 *   renderer the schema's tables.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** The folders whose files follow the conventions. */
export const CONVENTION_ROOTS = ['src-main', 'src-renderer', 'test', 'bench', 'e2e', 'bin', 'resources'];

const CHECKED = /\.(ts|mts|mjs|js|vue)$/;
const KEBAB_FILE = /^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)*$/;
const BARREL = /^index\.(ts|mts|js|mjs)$/;
/** Names other codebases give test-helper folders; here they are all called `testing`. */
const HELPER_FOLDER_ALIASES = new Set(['test-support', 'test-utils', 'testutils', 'test-helpers', 'helpers', '__tests__', 'support', '__mocks__', 'fixtures']);
const SKIPPED_FOLDERS = new Set(['node_modules', 'out', 'dist', 'test-artifacts', 'testdata']);

export interface ConventionViolation {
  readonly file: string;
  readonly rule: string;
}

/** Repository-relative paths (forward slashes) of every file under the convention roots. */
export function listFiles(repo: string, roots = CONVENTION_ROOTS): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(repo, rel))) {
      if (name.startsWith('.')) continue;
      const child = `${rel}/${name}`;
      if (statSync(path.join(repo, child)).isDirectory()) {
        if (!SKIPPED_FOLDERS.has(name)) walk(child);
      } else out.push(child);
    }
  };
  for (const root of roots) walk(root);
  return out.sort();
}

export function findConventionViolations(files: readonly string[]): ConventionViolation[] {
  const violations: ConventionViolation[] = [];
  const seenFolders = new Set<string>();
  for (const file of files) {
    const parts = file.split('/');
    const name = parts[parts.length - 1]!;
    for (let i = 0; i < parts.length - 1; i++) {
      const folder = parts.slice(0, i + 1).join('/');
      if (seenFolders.has(folder)) continue;
      seenFolders.add(folder);
      if (HELPER_FOLDER_ALIASES.has(parts[i]!)) {
        violations.push({ file: folder, rule: 'test helpers live in a folder named "testing"' });
      } else if (i > 0 && !KEBAB_FILE.test(parts[i]!)) {
        violations.push({ file: folder, rule: 'folder names are kebab-case' });
      }
    }
    if (!CHECKED.test(name)) continue;
    if (BARREL.test(name) && (file.startsWith('src-main/') || file.startsWith('src-renderer/'))) {
      violations.push({ file, rule: 'no barrels: import from the module that defines the symbol' });
    } else if (!KEBAB_FILE.test(name)) {
      violations.push({ file, rule: 'file names are kebab-case' });
    }
  }
  return violations;
}

/** The one folder whose modules re-export: the contract brings the schema's tables to the renderer. */
const MAY_REEXPORT = 'src-main/contract/';
const REEXPORT = /^\s*export\s+(type\s+)?(\{[^}]*\}|\*(\s+as\s+\w+)?)\s*from\s*['"]/m;

/** Files (with their text) that re-export another module's symbols. */
export function findReexports(sources: ReadonlyMap<string, string>): ConventionViolation[] {
  const out: ConventionViolation[] = [];
  for (const [file, text] of sources) {
    if (!/\.(ts|mts|vue)$/.test(file) || file.startsWith(MAY_REEXPORT) || !/^src-(main|renderer)\//.test(file)) continue;
    if (REEXPORT.test(text)) out.push({ file, rule: 'no re-exports: import a symbol from the module that defines it' });
  }
  return out;
}

export function readSources(repo: string, files: readonly string[]): Map<string, string> {
  return new Map(files.filter((f) => CHECKED.test(f)).map((f) => [f, readFileSync(path.join(repo, f), 'utf8')]));
}
