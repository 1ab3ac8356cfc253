import { classifierFreeGuidanceOn } from '../sd/guidance-rule';
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

/**
 * The guidance of the image at f of a transition whose keyframes use g, in the pipeline's terms
 * (sd/guidance-rule.ts). Keyframes follow diffusers exactly: g ≤ 1 means no unconditional pass.
 * The keyframes' g switches classifier-free guidance on or off for the whole transition, so:
 * g > 1 → every image gets u + g_eff·(c − u) with the damped g_eff, even where g_eff ≤ 1
 * (switching off there would jump); g ≤ 1 → every image runs unguided (one UNet row), there is
 * nothing to damp.
 */
export function transitionGuidance(g: number, f: number, midDamper: number): { guidance: number; keyframeGuidance: number } {
  const guidance = classifierFreeGuidanceOn(g) ? dampedGuidance(g, f, midDamper) : g;
  return { guidance, keyframeGuidance: g };
}
