/**
 * Easing of a transition: how its position f advances over its time on screen. Easing only
 * re-times the transition's existing final images (the fill-up gives each gap between two
 * neighbouring images the time the curve spends crossing it), so it never re-renders and is no
 * part of any render cache key.
 *
 * A curve maps the fraction u of the transition's time (0 … 1) to its progress p (0 … 1);
 * every curve is continuous, strictly increasing, and has p(0) = 0, p(1) = 1, so both
 * keyframes stay where the movie's timing rule puts them. Progress is measured in f, except
 * for "even-perceived-speed", whose progress is the perceptual distance travelled (the images
 * change at an even perceived rate).
 *
 * Pure: the renderer bundles it through the contract.
 */
import { badArgument } from './errors';

export const EASING_CURVES = [
  'linear',
  'ease-in',
  'ease-out',
  'ease-in-out',
  'hug-middle',
  'hug-keyframes',
  'even-perceived-speed',
] as const;
export type EasingCurve = (typeof EASING_CURVES)[number];

/** Names the studio shows for each curve. */
export const EASING_LABELS: Readonly<Record<EasingCurve, string>> = {
  linear: 'Linear',
  'ease-in': 'Ease in (slow start)',
  'ease-out': 'Ease out (slow end)',
  'ease-in-out': 'Ease in-out',
  'hug-middle': 'Hug the middle',
  'hug-keyframes': 'Hug the keyframes',
  'even-perceived-speed': 'Even perceived speed',
};

/** Curves whose shape `strength` sets (0 = linear, 1 = strongest). */
export const EASING_WITH_STRENGTH: readonly EasingCurve[] = ['hug-middle', 'hug-keyframes'];
export const DEFAULT_EASING_STRENGTH = 0.5;
/** The hug curves' exponent at strength 1; strength s gives 1 + s · (MAX − 1). */
const MAX_HUG_EXPONENT = 3;

export interface Easing {
  readonly curve: EasingCurve;
  /** 0 … 1; only the hug curves use it. */
  readonly strength: number;
}

export const LINEAR_EASING: Easing = { curve: 'linear', strength: DEFAULT_EASING_STRENGTH };

/** Whether the curve's progress is perceptual distance (the fill-up needs neighbour distances). */
export function usesPerceptualProgress(easing: Easing | undefined): boolean {
  return easing?.curve === 'even-perceived-speed';
}

function check(easing: Easing, where: string): void {
  if (!EASING_CURVES.includes(easing.curve)) throw badArgument(where, `unknown easing curve "${String(easing.curve)}"; use one of ${EASING_CURVES.join(', ')}`);
  if (!(Number.isFinite(easing.strength) && easing.strength >= 0 && easing.strength <= 1)) {
    throw badArgument(where, `easing strength must be in [0, 1], got ${String(easing.strength)}`);
  }
}

function hugExponent(strength: number): number {
  return 1 + strength * (MAX_HUG_EXPONENT - 1);
}

/** x^a / (x^a + (1 − x)^a): a > 1 lingers at both ends, a < 1 in the middle; its inverse is the same with 1/a. */
function sigmoid(x: number, a: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const l = x ** a;
  return l / (l + (1 - x) ** a);
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** Progress p at time fraction u. */
export function easeProgress(easing: Easing, u: number): number {
  check(easing, 'easeProgress');
  const x = clamp01(u);
  switch (easing.curve) {
    case 'linear':
    case 'even-perceived-speed':
      return x;
    case 'ease-in':
      return x * x;
    case 'ease-out':
      return 1 - (1 - x) * (1 - x);
    case 'ease-in-out':
      return x * x * (3 - 2 * x);
    case 'hug-keyframes':
      return sigmoid(x, hugExponent(easing.strength));
    case 'hug-middle':
      return sigmoid(x, 1 / hugExponent(easing.strength));
  }
}

/** Time fraction u at which progress p is reached: the inverse of easeProgress. */
export function easeTime(easing: Easing, p: number): number {
  check(easing, 'easeTime');
  const y = clamp01(p);
  switch (easing.curve) {
    case 'linear':
    case 'even-perceived-speed':
      return y;
    case 'ease-in':
      return Math.sqrt(y);
    case 'ease-out':
      return 1 - Math.sqrt(1 - y);
    case 'ease-in-out':
      // The inverse of smoothstep 3x² − 2x³ on [0, 1].
      return clamp01(0.5 - Math.sin(Math.asin(1 - 2 * y) / 3));
    case 'hug-keyframes':
      return sigmoid(y, 1 / hugExponent(easing.strength));
    case 'hug-middle':
      return sigmoid(y, hugExponent(easing.strength));
  }
}

/**
 * The share of the transition's time each gap between neighbouring images gets: the time the
 * curve takes to cross it. `gaps` are the gaps in the progress measure (in f, or perceptual
 * distances); the result sums to 1 when the gaps do not all vanish.
 */
export function easedGapWeights(gaps: readonly number[], easing: Easing): number[] {
  check(easing, 'easedGapWeights');
  const total = gaps.reduce((a, b) => a + b, 0);
  if (!(total > 0)) return gaps.map(() => 1 / gaps.length);
  const out: number[] = [];
  let before = 0;
  let timeBefore = 0;
  for (let i = 0; i < gaps.length; i++) {
    before += gaps[i];
    const time = i === gaps.length - 1 ? 1 : easeTime(easing, before / total);
    out.push(time - timeBefore);
    timeBefore = time;
  }
  return out;
}
