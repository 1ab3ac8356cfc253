import { requireFinite, requireRange } from './errors';

/**
 * Guidance damping (spec §2): mid = 1 − |f − 0.5|/0.5, g_eff = g − g·(1 − d)·mid.
 * Keyframes (f ∈ {0, 1}) always get the full g — the original left a damped value behind for
 * a later segment's keyframe B (spec §6); computing it from f alone makes that impossible.
 */
export function dampedGuidance(g: number, f: number, midDamper: number): number {
  requireFinite('dampedGuidance', 'guidance', g);
  requireRange('dampedGuidance', 'f', f, 0, 1);
  requireRange('dampedGuidance', 'guidanceMidDamper', midDamper, 0, 1, '(]');
  if (f === 0 || f === 1) return g;
  const mid = 1 - Math.abs(f - 0.5) / 0.5;
  return g - g * (1 - midDamper) * mid;
}
