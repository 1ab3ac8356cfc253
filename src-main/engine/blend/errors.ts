import { EngineError } from '../errors';

/** A bad blending parameter: says which one, what it was, and what is allowed. */
export function badArgument(where: string, message: string, hint?: string): EngineError {
  return new EngineError('BAD_ARGUMENT', `${where}: ${message}`, hint === undefined ? {} : { hint });
}

export function requireFinite(where: string, name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw badArgument(where, `${name} must be a finite number, got ${String(value)}`);
  }
}

export function requireInteger(where: string, name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in ${min}…${max}`;
    throw badArgument(where, `${name} must be an integer ${range}, got ${String(value)}`);
  }
}

export function requireRange(where: string, name: string, value: number, lo: number, hi: number, bounds: '[]' | '(]' | '()' | '[)' = '[]'): void {
  requireFinite(where, name, value);
  const okLo = bounds[0] === '[' ? value >= lo : value > lo;
  const okHi = bounds[1] === ']' ? value <= hi : value < hi;
  if (!okLo || !okHi) {
    throw badArgument(where, `${name} must be in ${bounds[0]}${lo}, ${hi}${bounds[1]}, got ${value}`);
  }
}
