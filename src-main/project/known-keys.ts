import type { z } from 'zod';

/**
 * The field names a schema accepts at a path, for "did you mean …?" hints on unknown keys.
 * Walks zod's public definitions through wrappers (default, optional, pipe, …), arrays and
 * unions; returns [] where the path leads nowhere known.
 */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let nodes: unknown[] = [schema];
  for (const seg of path) {
    nodes = nodes.flatMap((n) => unwrap(n)).flatMap((n) => step(n, seg));
  }
  const keys = new Set<string>();
  for (const n of nodes.flatMap((x) => unwrap(x))) {
    const shape = defOf(n)?.shape as Record<string, unknown> | undefined;
    if (shape) for (const k of Object.keys(shape)) keys.add(k);
  }
  return [...keys];
}

interface Def {
  type?: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  in?: unknown;
  out?: unknown;
  element?: unknown;
  options?: unknown[];
}

function defOf(node: unknown): Def | undefined {
  return (node as { _zod?: { def?: Def } } | undefined)?._zod?.def;
}

/** Look through wrappers to the schemas that actually describe the value. */
function unwrap(node: unknown): unknown[] {
  const def = defOf(node);
  if (!def) return [];
  if (def.innerType) return unwrap(def.innerType);
  if (def.type === 'pipe') return [...unwrap(def.in), ...unwrap(def.out)];
  if (def.options) return def.options.flatMap((o) => unwrap(o));
  return [node];
}

function step(node: unknown, seg: PropertyKey): unknown[] {
  const def = defOf(node);
  if (!def) return [];
  if (typeof seg === 'number' && def.element) return [def.element];
  if (typeof seg === 'string' && def.shape && seg in def.shape) return [def.shape[seg]];
  return [];
}
