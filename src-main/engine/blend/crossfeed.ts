import { linspace, roundHalfEven } from './numpy';
import { requireInteger, requireRange } from './errors';

export interface CrossfeedSettings {
  /** P: slerp fraction toward the target at the first crossfed step, in [0, 1]. */
  readonly power: number;
  /** R: fraction of all steps (from step 0) that are crossfed, in [0, 1]. */
  readonly range: number;
  /** D: the last crossfed step uses P·D, in [0, 1]. */
  readonly decay: number;
}

function checkSettings(where: string, s: CrossfeedSettings): void {
  requireRange(where, 'power', s.power, 0, 1);
  requireRange(where, 'range', s.range, 0, 1);
  requireRange(where, 'decay', s.decay, 0, 1);
}

/**
 * Parental crossfeed coefficients c[0…N−1] for a branch injected at step k (spec §2):
 * [P]·k ++ linspace(P, P·D, round(N·R) − k) ++ zeros. Entries before k are never used (the
 * branch does not run those steps); when round(N·R) ≤ k the branch gets no crossfeed.
 */
export function parentalCrossfeedSchedule(p: CrossfeedSettings & { steps: number; injectionStep: number }): number[] {
  const where = 'parentalCrossfeedSchedule';
  checkSettings(where, p);
  requireInteger(where, 'steps', p.steps, 1);
  requireInteger(where, 'injectionStep', p.injectionStep, 0, p.steps - 1);
  const stop = roundHalfEven(p.steps * p.range);
  const c = new Array<number>(p.injectionStep).fill(p.power);
  if (stop > p.injectionStep) c.push(...linspace(p.power, p.power * p.decay, stop - p.injectionStep));
  while (c.length < p.steps) c.push(0);
  return c;
}

/**
 * Keyframe crossfeed coefficients (keyframe B pulled toward A, spec §2):
 * linspace(P, P·D, round(N·R)) ++ zeros. c[0] is never used: crossfeed starts at step 1.
 */
export function keyframeCrossfeedSchedule(p: CrossfeedSettings & { steps: number }): number[] {
  const where = 'keyframeCrossfeedSchedule';
  checkSettings(where, p);
  requireInteger(where, 'steps', p.steps, 1);
  const stop = roundHalfEven(p.steps * p.range);
  const c = linspace(p.power, p.power * p.decay, stop);
  while (c.length < p.steps) c.push(0);
  return c;
}
