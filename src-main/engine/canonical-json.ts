import { createHash } from 'node:crypto';
import { formatPath } from './value-path';

/**
 * The one content hash of the studio's caches: SHA-256 of a canonical JSON of everything that
 * determines a result, so equal inputs meet the same entry and any change that matters lands
 * elsewhere. The engine's keys (blend/cache.ts cacheKey) and the disk cache's file names
 * (project/disk-transition-cache.ts) are both made with it.
 */

/**
 * JSON with object keys sorted and numbers in one spelling (-0 → 0), undefined object fields
 * dropped. Only plain data is accepted: NaN, Infinity, functions, class instances and typed
 * arrays have no canonical JSON and would make keys lie, so they throw with their path.
 */
export function canonicalJson(value: unknown): string {
  return encode(value, []);
}

/** SHA-256 (hex, 64 digits) of the canonical JSON of `value`. */
export function canonicalHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function encode(value: unknown, path: PropertyKey[]): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`cacheKey: ${value} at ${formatPath(path) || '(root)'} is not a finite number`);
      return Object.is(value, -0) ? '0' : JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        return `[${value.map((v, i) => (v === undefined ? 'null' : encode(v, [...path, i]))).join(',')}]`;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw new TypeError(`cacheKey: ${formatPath(path) || '(root)'} is a ${proto?.constructor?.name ?? 'non-plain object'}; pass plain objects, arrays, strings, finite numbers, booleans or null`);
      }
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${encode(v, [...path, k])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`cacheKey: ${formatPath(path) || '(root)'} is a ${typeof value}, which has no JSON form`);
  }
}
