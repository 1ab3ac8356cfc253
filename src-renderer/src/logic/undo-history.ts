/**
 * Project undo/redo as inverse changes (the way Excalidraw records history): every edit is a
 * list of path operations with the value before and after, so undo applies the "before"
 * values in reverse order and redo the "after" values in order. Nothing is snapshotted; a long
 * evening of edits costs memory proportional to what changed, not to the project size.
 *
 * Typing in a field would otherwise make one undo step per key press: edits that carry the
 * same `coalesceKey` merge into the open step until `seal()` (the store seals on blur, on a
 * different field, and after undo/redo), so one undo restores the field as it was on entry.
 */

export type Path = readonly (string | number)[];

export interface Operation {
  readonly path: Path;
  readonly before: unknown;
  readonly after: unknown;
}

export interface Change {
  readonly label: string;
  readonly ops: readonly Operation[];
  /** Revision reached after this change; revision ids tell "unsaved" from "saved". */
  readonly revision: number;
  readonly coalesceKey?: string;
}

export function getAt(root: unknown, path: Path): unknown {
  let node = root as Record<string | number, unknown> | undefined;
  for (const key of path) {
    if (node === null || typeof node !== 'object') {
      throw new Error(`undo history: path ${formatPath(path)} does not exist (stopped at "${String(key)}")`);
    }
    node = node[key] as Record<string | number, unknown> | undefined;
  }
  return node;
}

/** A copy of `root` with the value at `path` replaced; untouched branches are shared. */
export function setAt<T>(root: T, path: Path, value: unknown): T {
  if (path.length === 0) return clone(value) as T;
  const [key, ...rest] = path;
  if (root === null || typeof root !== 'object') {
    throw new Error(`undo history: cannot set ${formatPath(path)} inside a ${root === null ? 'null' : typeof root}`);
  }
  const copy = (Array.isArray(root) ? [...root] : { ...root }) as Record<string | number, unknown>;
  const next = setAt(copy[key], rest, value);
  if (next === undefined && !Array.isArray(copy)) delete copy[key];
  else copy[key] = next;
  return copy as T;
}

export function formatPath(path: Path): string {
  return path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('').replace(/^\./, '');
}

function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export class UndoHistory<Doc> {
  private past: Change[] = [];
  private future: Change[] = [];
  private sealed = true;
  private nextRevision = 1;
  /** Revision of the document as it is now; 0 is the state the history started from. */
  revision = 0;

  constructor(private readonly limit = 500) {}

  get canUndo(): boolean {
    return this.past.length > 0;
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }

  get undoLabel(): string | undefined {
    return this.past[this.past.length - 1]?.label;
  }

  get redoLabel(): string | undefined {
    return this.future[this.future.length - 1]?.label;
  }

  /**
   * Apply `ops` (given as path → new value) to `doc`, record their inverse, and return the new
   * document. Operations that change nothing are dropped; an empty change records nothing.
   */
  apply(doc: Doc, label: string, edits: ReadonlyArray<{ path: Path; value: unknown }>, coalesceKey?: string): Doc {
    let next = doc;
    const ops: Operation[] = [];
    for (const { path, value } of edits) {
      const before = clone(getAt(next, path));
      if (sameValue(before, value)) continue;
      ops.push({ path: [...path], before, after: clone(value) });
      next = setAt(next, path, value);
    }
    if (ops.length === 0) return doc;

    const open = this.past[this.past.length - 1];
    if (!this.sealed && coalesceKey !== undefined && open?.coalesceKey === coalesceKey) {
      // Merge: keep the oldest "before" of each path, take the newest "after".
      const merged = [...open.ops];
      for (const op of ops) {
        const i = merged.findIndex((m) => sameValue(m.path, op.path));
        if (i >= 0) merged[i] = { path: op.path, before: merged[i].before, after: op.after };
        else merged.push(op);
      }
      const revision = this.nextRevision++;
      this.past[this.past.length - 1] = { ...open, ops: merged, revision };
      this.revision = revision;
    } else {
      const revision = this.nextRevision++;
      this.past.push({ label, ops, revision, coalesceKey });
      if (this.past.length > this.limit) this.past.shift();
      this.revision = revision;
    }
    this.future = [];
    this.sealed = coalesceKey === undefined;
    return next;
  }

  /** Close the open step: the next edit starts a new undo step even with the same key. */
  seal(): void {
    this.sealed = true;
  }

  undo(doc: Doc): { doc: Doc; change: Change } | null {
    const change = this.past.pop();
    if (!change) return null;
    let next = doc;
    for (let i = change.ops.length - 1; i >= 0; i--) next = setAt(next, change.ops[i].path, change.ops[i].before);
    this.future.push(change);
    this.revision = this.past[this.past.length - 1]?.revision ?? 0;
    this.sealed = true;
    return { doc: next, change };
  }

  redo(doc: Doc): { doc: Doc; change: Change } | null {
    const change = this.future.pop();
    if (!change) return null;
    let next = doc;
    for (const op of change.ops) next = setAt(next, op.path, op.after);
    this.past.push(change);
    this.revision = change.revision;
    this.sealed = true;
    return { doc: next, change };
  }

  clear(): void {
    this.past = [];
    this.future = [];
    this.sealed = true;
    this.revision = 0;
    this.nextRevision = 1;
  }
}
