import { linspace } from './numpy';
import { requireFinite, requireInteger } from './errors';

/** Below this mid-compression the published method spaced branches linearly. */
export const MID_COMPRESSION_LINEAR_BELOW = 1.7;

/**
 * Positions of n branches on [0, 1] (spec §3a). For s ≥ 1.7 the positions crowd toward 0.5,
 * where the two prompts fight most and frames change fastest.
 */
export function spacing(n: number, s: number): number[] {
  requireInteger('spacing', 'n', n, 2);
  requireFinite('spacing', 'midCompression', s);
  if (s < MID_COMPRESSION_LINEAR_BELOW) return linspace(0, 1, n);
  const per = Math.floor(n / 2) + 1;
  let left = linspace(1, 0, per).map((x) => Math.abs(x ** s / 2 - 0.5));
  let right: number[];
  if (n % 2 === 1) {
    right = [...left].reverse().slice(1).map((x) => 1 - x);
  } else {
    left = left.slice(0, -1);
    right = [...left].reverse().map((x) => 1 - x);
  }
  return [...left, ...right];
}
