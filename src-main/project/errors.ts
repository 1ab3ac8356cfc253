import type { z } from 'zod';
import { CodedError } from '../engine/errors';
import { formatPath } from '../engine/value-path';

/** One problem in a project file: where (`transitions[1].depthStrength`, '' = the whole file) and what. */
export interface ProjectIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * A project that cannot be opened or saved. The message names the file, every field path and
 * what to do; `issues` carries the same list for the UI to highlight fields.
 */
export class ProjectError extends CodedError {
  override name = 'ProjectError';
  readonly issues: readonly ProjectIssue[];

  constructor(issues: readonly ProjectIssue[], file?: string) {
    const path = issues[0]?.path ? parseIssuePath(issues[0].path) : [];
    super('INVALID_PROJECT', formatProjectError(issues, file), { file, ...(path.length ? { path } : {}) });
    this.issues = issues;
  }
}

/** `transitions[1].depthStrength` → ['transitions', 1, 'depthStrength'] (ProjectIssue paths are strings). */
export function parseIssuePath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return out;
}

const MAX_LISTED_ISSUES = 20;

function formatProjectError(issues: readonly ProjectIssue[], file: string | undefined): string {
  const where = file ? `project "${file}"` : 'project';
  const line = (i: ProjectIssue) => (i.path ? `${i.path}: ${i.message}` : i.message);
  if (issues.length === 1) return `Invalid ${where}: ${line(issues[0])}`;
  const listed = issues.slice(0, MAX_LISTED_ISSUES).map((i) => `  - ${line(i)}`);
  if (issues.length > MAX_LISTED_ISSUES) listed.push(`  - … and ${issues.length - MAX_LISTED_ISSUES} more`);
  return `Invalid ${where}: ${issues.length} problems:\n${listed.join('\n')}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg as string];
  }
  return v;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
}

const TYPE_NAMES: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'a text string',
  boolean: 'true or false',
  array: 'a list [...]',
  object: 'an object {...}',
};

/** Damerau-free edit distance, small inputs only (field names). */
function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/** The closest known name, when it is close enough to be a likely typo. */
export function suggestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(name, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/** What the accepted range of a numeric field means, appended when a value falls outside it. */
const FIELD_HINTS: Record<string, string> = {
  depthStrength: 'use a value between 0 and 1 (exclusive), e.g. 0.5; lower = more new structure, higher = closer to a crossfade',
  guidanceMidDamper: 'use a value in (0, 1]; 1 keeps the guidance constant, 0.5 halves it in the middle of the transition',
  width: 'use 256–2048 in steps of 8, e.g. 512 or 768',
  height: 'use 256–2048 in steps of 8, e.g. 512 or 768',
  seed: `use a whole number from 0 to ${2 ** 32 - 1}`,
  steps: 'use 1–250 (10 or more for fixed and adaptive transitions, 1–8 for few-step models in fast mode), or delete "steps" to let the quality presets choose',
  duration: 'use a length in seconds greater than 0, e.g. 3',
  fps: 'use a frame rate greater than 0 and at most 240, e.g. 24',
  crf: 'use 0–51 for mp4, 0–63 for webm; lower = better quality',
  power: 'use a value from 0 to 1',
  range: 'use a value from 0 to 1',
  decay: 'use a value from 0 to 1',
  guidance: 'use 0–50; 7.5 is typical for Stable Diffusion 2.x',
};

/**
 * Turn zod issues into messages a person editing the JSON can act on: the offending value,
 * the accepted range or values, and a fix. `input` is the document that was validated (used
 * to quote the offending value and to list the known fields for typo suggestions).
 */
export function issuesFromZod(
  zodIssues: readonly z.core.$ZodIssue[],
  input: unknown,
  knownKeysAt: (path: readonly PropertyKey[]) => readonly string[],
): ProjectIssue[] {
  const out: ProjectIssue[] = [];
  for (const issue of zodIssues) {
    const got = valueAt(input, issue.path);
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          const hint = suggestName(key, knownKeysAt(issue.path));
          out.push({
            path: formatPath([...issue.path, key]),
            message: hint
              ? `unknown field; did you mean "${hint}"? Rename it.`
              : `unknown field; remove it (known fields here: ${knownKeysAt(issue.path).join(', ') || 'none'})`,
          });
        }
        continue;
      case 'invalid_type':
        out.push({
          path: formatPath(issue.path),
          message:
            got === undefined
              ? `is required (${TYPE_NAMES[issue.expected] ?? issue.expected}); add it`
              : `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}, got ${describe(got)}`,
        });
        continue;
      case 'too_small':
      case 'too_big': {
        out.push({ path: formatPath(issue.path), message: sizeMessage(issue, got) });
        continue;
      }
      case 'not_multiple_of': {
        const n = typeof got === 'number' ? got : NaN;
        const lower = Math.floor(n / issue.divisor) * issue.divisor;
        out.push({
          path: formatPath(issue.path),
          message: Number.isFinite(n)
            ? `must be a multiple of ${issue.divisor}, got ${n}; use ${lower === n ? n : `${lower} or ${lower + issue.divisor}`}`
            : `must be a multiple of ${issue.divisor}`,
        });
        continue;
      }
      case 'invalid_value': {
        const allowed = issue.values.map((v) => JSON.stringify(v));
        const hint =
          typeof got === 'string' ? suggestName(got, issue.values.filter((v): v is string => typeof v === 'string')) : undefined;
        out.push({
          path: formatPath(issue.path),
          message:
            got === undefined
              ? `is required; set it to ${allowed.join(' or ')}`
              : `must be ${allowed.length === 1 ? allowed[0] : `one of ${allowed.join(', ')}`}, got ${describe(got)}${hint ? ` (did you mean "${hint}"?)` : ''}`,
        });
        continue;
      }
      default:
        // custom refinements, unions and formats carry messages written for people already.
        out.push({ path: formatPath(issue.path), message: got === undefined && issue.code === 'invalid_union' ? `is required; ${issue.message}` : issue.message });
    }
  }
  return out;
}

function sizeMessage(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, got: unknown): string {
  const small = issue.code === 'too_small';
  const bound = small ? (issue as z.core.$ZodIssueTooSmall).minimum : (issue as z.core.$ZodIssueTooBig).maximum;
  switch (issue.origin) {
    case 'array':
      return small
        ? `needs at least ${bound} ${bound === 1 ? 'entry' : 'entries'}, got ${Array.isArray(got) ? got.length : 0}`
        : `allows at most ${bound} entries, got ${Array.isArray(got) ? got.length : '?'}`;
    case 'string':
      return small
        ? bound === 1
          ? 'must not be empty'
          : `needs at least ${bound} characters`
        : `allows at most ${bound} characters, got ${typeof got === 'string' ? got.length : '?'}`;
    default: {
      const op = small ? (issue.inclusive ? 'at least' : 'greater than') : issue.inclusive ? 'at most' : 'less than';
      const field = issue.path[issue.path.length - 1];
      const hint = typeof field === 'string' ? FIELD_HINTS[field] : undefined;
      return `must be ${op} ${bound}, got ${describe(got)}${hint ? `; ${hint}` : ''}`;
    }
  }
}
