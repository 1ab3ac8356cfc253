/**
 * Structural edits of the timeline. A project has n keyframes and exactly n − 1 transitions
 * (one between each consecutive pair); every operation here keeps that invariant and returns
 * new arrays, which the store records as one undoable change.
 *
 * Transitions belong to *slots* (the gap after keyframe i), not to keyframes: dragging a
 * keyframe to another place keeps the rhythm of the cut (durations stay where they were) and
 * only changes which images meet in each slot.
 */

export interface TimelineItems<K extends { id?: string }, T> {
  readonly keyframes: readonly K[];
  readonly transitions: readonly T[];
}

function check<K extends { id?: string }, T>(items: TimelineItems<K, T>, where: string): void {
  if (items.transitions.length !== Math.max(0, items.keyframes.length - 1)) {
    throw new Error(
      `${where}: ${items.keyframes.length} keyframes need ${Math.max(0, items.keyframes.length - 1)} transitions, got ${items.transitions.length}`,
    );
  }
}

function checkIndex(index: number, length: number, where: string): void {
  if (!Number.isInteger(index) || index < 0 || index >= length) {
    throw new Error(`${where}: keyframe index ${index} is outside 0…${length - 1}`);
  }
}

/** The first `k<n>` not used by any keyframe, so ids stay short and readable in the file. */
export function freshKeyframeId(keyframes: readonly { id?: string }[]): string {
  const taken = new Set(keyframes.map((k) => k.id));
  let n = keyframes.length + 1;
  while (taken.has(`k${n}`)) n++;
  return `k${n}`;
}

/**
 * Insert `keyframe` after position `after` (−1 = at the start). The new gap gets
 * `transition`; the existing transition of the split slot stays on the left side.
 */
export function insertKeyframe<K extends { id?: string }, T>(
  items: TimelineItems<K, T>,
  after: number,
  keyframe: K,
  transition: T,
): { keyframes: K[]; transitions: T[] } {
  check(items, 'insertKeyframe');
  if (!Number.isInteger(after) || after < -1 || after >= items.keyframes.length) {
    throw new Error(`insertKeyframe: position ${after} is outside -1…${items.keyframes.length - 1}`);
  }
  const keyframes = [...items.keyframes];
  keyframes.splice(after + 1, 0, keyframe);
  const transitions = [...items.transitions];
  if (keyframes.length > 1) transitions.splice(after < 0 ? 0 : Math.min(after + 1, transitions.length), 0, transition);
  return { keyframes, transitions };
}

/** A copy of keyframe `index` right after it, with a fresh id and the outgoing transition's settings. */
export function duplicateKeyframe<K extends { id?: string }, T>(
  items: TimelineItems<K, T>,
  index: number,
  defaultTransition: T,
): { keyframes: K[]; transitions: T[] } {
  checkIndex(index, items.keyframes.length, 'duplicateKeyframe');
  const copy = { ...items.keyframes[index], id: freshKeyframeId(items.keyframes) };
  const between = items.transitions[index] ?? items.transitions[index - 1] ?? defaultTransition;
  return insertKeyframe(items, index, copy, structuredCloneSafe(between));
}

/**
 * Remove keyframe `index` and one transition with it: the slot after it, or for the last
 * keyframe the slot before it. The last remaining keyframe cannot be deleted.
 */
export function deleteKeyframe<K extends { id?: string }, T>(
  items: TimelineItems<K, T>,
  index: number,
): { keyframes: K[]; transitions: T[] } {
  check(items, 'deleteKeyframe');
  checkIndex(index, items.keyframes.length, 'deleteKeyframe');
  if (items.keyframes.length === 1) throw new Error('deleteKeyframe: a project needs at least one keyframe');
  const keyframes = items.keyframes.filter((_, i) => i !== index);
  const drop = index < items.transitions.length ? index : index - 1;
  const transitions = items.transitions.filter((_, i) => i !== drop);
  return { keyframes, transitions };
}

/** Move keyframe `from` so that it ends at position `to`; transitions keep their slots. */
export function moveKeyframe<K extends { id?: string }, T>(
  items: TimelineItems<K, T>,
  from: number,
  to: number,
): { keyframes: K[]; transitions: T[] } {
  check(items, 'moveKeyframe');
  checkIndex(from, items.keyframes.length, 'moveKeyframe');
  checkIndex(to, items.keyframes.length, 'moveKeyframe');
  const keyframes = [...items.keyframes];
  const [moved] = keyframes.splice(from, 1);
  keyframes.splice(to, 0, moved);
  return { keyframes, transitions: [...items.transitions] };
}

/**
 * Where a dragged card lands: the drop position in the list with the card removed, from the
 * pointer's x and the card centres (left to right). Dropping on itself is a no-op.
 */
export function dropIndex(from: number, pointerX: number, cardCentres: readonly number[]): number {
  let before = 0;
  for (let i = 0; i < cardCentres.length; i++) {
    if (i !== from && pointerX > cardCentres[i]) before++;
  }
  return before;
}

function structuredCloneSafe<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * A structural edit of a looping project: `edit` works on the keyframes and their n − 1
 * transitions between neighbours, and the loop-back transition (the last one) stays last, so it
 * always goes from the last keyframe back to the first. Fewer than two keyframes cannot loop:
 * the loop-back transition is then dropped and `loop` comes back false.
 */
export function editLooping<K extends { id?: string }, T>(
  items: TimelineItems<K, T>,
  loop: boolean,
  edit: (linear: TimelineItems<K, T>) => { keyframes: K[]; transitions: T[] },
): { keyframes: K[]; transitions: T[]; loop: boolean } {
  if (!loop) return { ...edit(items), loop: false };
  if (items.transitions.length !== items.keyframes.length) {
    throw new Error(`editLooping: a looping project with ${items.keyframes.length} keyframes needs ${items.keyframes.length} transitions, got ${items.transitions.length}`);
  }
  const back = items.transitions[items.transitions.length - 1];
  const result = edit({ keyframes: items.keyframes, transitions: items.transitions.slice(0, -1) });
  if (result.keyframes.length < 2) return { ...result, loop: false };
  return { keyframes: result.keyframes, transitions: [...result.transitions, back], loop: true };
}

/** Turn the loop on (append `transition`, last keyframe → first) or off (drop the loop-back transition). */
export function setLoopBack<K extends { id?: string }, T>(
  items: TimelineItems<K, T>,
  on: boolean,
  transition: T,
): { keyframes: K[]; transitions: T[]; loop: boolean } {
  const looping = items.transitions.length === items.keyframes.length;
  if (on === looping) return { keyframes: [...items.keyframes], transitions: [...items.transitions], loop: on };
  if (on) {
    if (items.keyframes.length < 2) throw new Error('setLoopBack: a movie needs at least 2 keyframes to loop');
    return { keyframes: [...items.keyframes], transitions: [...items.transitions, structuredCloneSafe(transition)], loop: true };
  }
  return { keyframes: [...items.keyframes], transitions: items.transitions.slice(0, -1), loop: false };
}
