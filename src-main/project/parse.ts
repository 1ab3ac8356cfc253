import { ProjectError, issuesFromZod } from './errors';
import { knownKeysAt } from './known-keys';
import { migrateToCurrent } from './migrations';
import { PROJECT_FORMAT, ProjectSchema, type Project } from './schema';

/**
 * Validate a project document (already JSON-parsed), migrating older versions first.
 * Returns the project with every default filled in, or throws ProjectError naming the file,
 * each field path and the fix.
 */
export function parseProject(json: unknown, sourcePath?: string): Project {
  const { document } = migrateToCurrent(json, sourcePath);
  const result = ProjectSchema.safeParse(document);
  if (!result.success) {
    throw new ProjectError(
      issuesFromZod(result.error.issues, document, (p) => knownKeysAt(ProjectSchema, p)),
      sourcePath,
    );
  }
  return result.data;
}

/**
 * True for a parsed document that claims to be a project (any version): our `format` marker, or
 * the version-0 layout. Anything else is some other file, and is neither opened nor replaced.
 */
export function looksLikeProjectDocument(json: unknown): boolean {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return false;
  const doc = json as Record<string, unknown>;
  return doc.format === PROJECT_FORMAT || (doc.version === 0 && Array.isArray(doc.prompts));
}

/** Parse the text of a project file; JSON syntax errors name the line and column. */
export function parseProjectText(text: string, sourcePath?: string): Project {
  return parseProject(parseJsonText(text, sourcePath), sourcePath);
}

/** JSON.parse with an error that says where (line:column) and, for the usual slips, what to do. */
export function parseJsonText(text: string, sourcePath?: string): unknown {
  // Editors on Windows like to start UTF-8 files with a byte-order mark; JSON.parse rejects it.
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (err) {
    const raw = err instanceof Error ? err.message : String(err);
    const match = /at position (\d+)/.exec(raw);
    const position = match ? Number(match[1]) : body.length;
    const { line, column } = lineColumn(body, position);
    // V8 quotes the file's own text ("Unexpected token 'r', \"root:*:...\" is not valid JSON"):
    // an error about a file the user pointed at by mistake must never echo what is inside it.
    const reason = /^Unexpected token/.test(raw)
      ? 'unexpected character'
      : raw.replace(/\s*(?:in JSON )?at position \d+.*$/, '').replace(/^JSON\.parse: /, '').replace(/[,:]?\s*".*$/s, '');
    throw new ProjectError(
      [{ path: '', message: `not valid JSON at line ${line}, column ${column}: ${reason}${syntaxHint(body, position)}` }],
      sourcePath,
    );
  }
}

function lineColumn(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < Math.min(position, text.length); i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: position - lineStart + 1 };
}

function syntaxHint(text: string, position: number): string {
  if (position >= text.trimEnd().length) return ' (the file ends too early: a closing } or ] or a quote is missing)';
  const next = text[position];
  let back = position - 1;
  while (back >= 0 && /\s/.test(text[back])) back--;
  if ((next === '}' || next === ']') && text[back] === ',') return ' (remove the trailing comma before it)';
  if (next === "'") return ' (JSON strings need double quotes)';
  if (text[back] !== ',' && text[back] !== '{' && text[back] !== '[' && next === '"') return ' (a comma is missing before it)';
  return '';
}
