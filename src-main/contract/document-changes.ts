import { CodedError } from '../engine/errors';
import { formatPath } from '../engine/value-path';

/**
 * An edit crosses the contract as changes, not as a document: each change names a path inside
 * the project and its new value (no value: the key is removed). The renderer sends what it
 * changed since the host's document; the host applies it, validates the result once and
 * answers with what its document now differs in, which the renderer applies to its copy of the
 * host's document. Pure code on plain JSON values: both processes run the same functions.
 */
export type DocumentPath = readonly (string | number)[];

export interface DocumentChange {
  path: (string | number)[];
  /** The new value; absent (or undefined) removes the key. */
  readonly value?: unknown;
}

/** Keys that would reach an object's prototype instead of its data. */
export const FORBIDDEN_PATH_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

type Record_ = Record<string, unknown>;

function isRecord(value: unknown): value is Record_ {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The keys JSON would write: a key holding undefined is absent on the wire. */
function definedKeys(value: Record_): string[] {
  return Object.keys(value).filter((k) => value[k] !== undefined);
}

export interface DiffOptions {
  /**
   * Also report objects whose keys are the same but in another order (as whole objects), so that
   * applying the changes gives a byte-identical JSON text. The host answers this way; the
   * renderer's own edits need not (the host puts keys in schema order anyway).
   */
  keyOrder?: boolean;
}

/**
 * The changes that turn `before` into `after`: one per changed leaf, a whole array when its
 * length changed (a keyframe added, removed), a whole object when (with `keyOrder`) its keys
 * differ in order or in which are present.
 */
export function diffDocuments(before: unknown, after: unknown, options: DiffOptions = {}): DocumentChange[] {
  const out: DocumentChange[] = [];
  diffAt(before, after, [], options.keyOrder === true, out);
  return out;
}

function diffAt(a: unknown, b: unknown, path: (string | number)[], keyOrder: boolean, out: DocumentChange[]): void {
  if (a === b) return;
  if (isRecord(a) && isRecord(b)) {
    const aKeys = definedKeys(a);
    const bKeys = definedKeys(b);
    if (keyOrder && (aKeys.length !== bKeys.length || aKeys.some((k, i) => bKeys[i] !== k))) {
      out.push({ path, value: b });
      return;
    }
    for (const key of bKeys) {
      if (a[key] === undefined) out.push({ path: [...path, key], value: b[key] });
      else diffAt(a[key], b[key], [...path, key], keyOrder, out);
    }
    for (const key of aKeys) if (b[key] === undefined) out.push({ path: [...path, key] });
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    for (let i = 0; i < a.length; i++) diffAt(a[i], b[i], [...path, i], keyOrder, out);
    return;
  }
  out.push({ path, value: b });
}

/**
 * `doc` with every change applied in order; untouched branches are shared, nothing is mutated.
 * A change whose path does not exist in the document (a missing parent, a string key into a
 * list, an index past its end, a prototype key) is refused as BAD_REQUEST naming the change.
 */
export function applyChanges<T>(doc: T, changes: readonly DocumentChange[]): T {
  let next: unknown = doc;
  changes.forEach((change, i) => {
    next = applyAt(next, change.path, 0, change.value, i);
  });
  return next as T;
}

function refuse(index: number, path: DocumentPath, why: string): CodedError {
  return new CodedError('BAD_REQUEST', `Change ${index + 1} cannot be applied at ${formatPath(path) || 'the document'}: ${why}.`, {
    path: ['changes', index, 'path'],
    hint: 'The edit was made on another version of the project; reload the project and edit again.',
  });
}

function applyAt(node: unknown, path: DocumentPath, depth: number, value: unknown, index: number): unknown {
  if (depth === path.length) {
    if (value === undefined) throw refuse(index, path, 'only a key of an object can be removed');
    return value;
  }
  const key = path[depth];
  const last = depth === path.length - 1;
  if (typeof key === 'number') {
    if (!Array.isArray(node)) throw refuse(index, path, `${formatPath(path.slice(0, depth)) || 'the document'} is not a list`);
    if (!Number.isInteger(key) || key < 0 || key >= node.length) throw refuse(index, path, `the list has ${node.length} items`);
    const copy = [...node];
    copy[key] = applyAt(node[key], path, depth + 1, value, index);
    return copy;
  }
  if (FORBIDDEN_PATH_KEYS.has(key)) throw refuse(index, path, `"${key}" is not a field name`);
  if (!isRecord(node)) throw refuse(index, path, `${formatPath(path.slice(0, depth)) || 'the document'} is not an object`);
  const copy: Record_ = { ...node };
  if (last && value === undefined) {
    delete copy[key];
    return copy;
  }
  if (!last && !Object.hasOwn(node, key)) throw refuse(index, path, `there is no "${key}"`);
  copy[key] = applyAt(node[key], path, depth + 1, value, index);
  return copy;
}
