/**
 * "Snap to beats": transition durations that put every keyframe on a beat of the music (or on
 * every n-th beat), holds kept as they are. Keyframe k is shown from t_k = Σ (holds + durations)
 * before it (movie-timing), so choosing the beat for each keyframe in order fixes the duration
 * before it; each keyframe takes the allowed beat nearest to where it is now, so the cut keeps
 * its shape. Keyframe 1 is the movie's first frame and stays at 0 s. In a looping movie the end
 * (keyframe 1 again) is snapped too, so the loop repeats on the beat.
 *
 * Pure: the renderer bundles it through the contract.
 */
import { badArgument } from './errors';

export interface SnapInput {
  /** Transition durations in seconds (one per transition, the loop-back one last when looping). */
  readonly durations: readonly number[];
  /** Holds in seconds, one per keyframe. */
  readonly holds: readonly number[];
  readonly loop?: boolean;
  /** Beat times in seconds, increasing. */
  readonly beats: readonly number[];
  /** Use every n-th beat (1 = every beat), counted from `firstBeat`. */
  readonly every?: number;
  /** Index of the first usable beat (a bar's downbeat, say); 0 by default. */
  readonly firstBeat?: number;
  /** The shortest each transition may get (e.g. what its quality preset needs); 0 by default. */
  readonly minDurations?: readonly number[];
}

export interface SnapResult {
  readonly durations: number[];
  /** The beat index each snapped keyframe (or loop end) landed on, in order; null where no beat was left. */
  readonly beatIndices: (number | null)[];
  /** How many transitions ended on a beat; the rest (past the end of the music) kept their durations. */
  readonly snapped: number;
}

/** Durations that land every keyframe after the first on a beat. */
export function snapToBeats(input: SnapInput): SnapResult {
  const where = 'snapToBeats';
  const every = input.every ?? 1;
  const firstBeat = input.firstBeat ?? 0;
  if (!Number.isInteger(every) || every < 1) throw badArgument(where, `every must be a whole number ≥ 1, got ${String(every)}`);
  if (!Number.isInteger(firstBeat) || firstBeat < 0) throw badArgument(where, `firstBeat must be a whole number ≥ 0, got ${String(firstBeat)}`);
  const n = input.durations.length;
  const keyframes = input.loop ? n : n + 1;
  if (input.holds.length !== keyframes) throw badArgument(where, `holds must have one entry per keyframe (${keyframes}), got ${input.holds.length}`);
  input.beats.forEach((b, i) => {
    if (!Number.isFinite(b) || (i > 0 && !(b > input.beats[i - 1]))) throw badArgument(where, `beats must be increasing finite times; beats[${i}] is ${b}`);
  });
  const allowed: { time: number; index: number }[] = [];
  for (let i = firstBeat; i < input.beats.length; i += every) allowed.push({ time: input.beats[i], index: i });

  // Past the music's last beat by more than half a step, a keyframe has no beat to go to.
  const step = allowed.length > 1 ? (allowed[allowed.length - 1].time - allowed[0].time) / (allowed.length - 1) : 0;
  const lastUsable = allowed.length > 0 ? allowed[allowed.length - 1].time + step / 2 : -Infinity;
  const durations = [...input.durations];
  const beatIndices: (number | null)[] = [];
  let snapped = 0;
  let t = 0; // time keyframe i lands on
  let cursor = 0; // first allowed beat not used yet
  for (let i = 0; i < n; i++) {
    const start = t + input.holds[i];
    const earliest = start + Math.max(input.minDurations?.[i] ?? 0, 1e-6);
    const wanted = start + input.durations[i];
    while (cursor < allowed.length && allowed[cursor].time < earliest) cursor++;
    if (cursor >= allowed.length || wanted > lastUsable) {
      beatIndices.push(null);
      t = start + durations[i];
      continue;
    }
    // The allowed beat nearest to where the keyframe is now (the earlier one on a tie).
    let pick = cursor;
    while (pick + 1 < allowed.length && Math.abs(allowed[pick + 1].time - wanted) < Math.abs(allowed[pick].time - wanted)) pick++;
    durations[i] = allowed[pick].time - start;
    beatIndices.push(allowed[pick].index);
    snapped++;
    cursor = pick + 1;
    t = allowed[pick].time;
  }
  return { durations, beatIndices, snapped };
}
