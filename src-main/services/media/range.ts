/** A byte range request resolved against a file size (RFC 9110 §14). */
export type RangeResult =
  | { kind: 'full' }
  | { kind: 'partial'; start: number; end: number /* inclusive */ }
  | { kind: 'unsatisfiable' };

/**
 * Single ranges only (`bytes=a-b`, `bytes=a-`, `bytes=-n`), which is what `<video>` seeking
 * sends. Syntax we do not handle (several ranges, other units, garbage) is ignored and the
 * whole file is sent, as the RFC allows.
 */
export function parseRange(header: string | undefined | null, size: number): RangeResult {
  if (!header) return { kind: 'full' };
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m || (m[1] === '' && m[2] === '')) return { kind: 'full' };
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return { kind: 'full' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end };
}
