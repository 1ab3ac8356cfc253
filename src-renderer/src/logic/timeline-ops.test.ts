import { describe, expect, it } from 'vitest';
import { deleteKeyframe, dropIndex, duplicateKeyframe, freshKeyframeId, insertKeyframe, moveKeyframe } from './timeline-ops';

const items = {
  keyframes: [{ id: 'k1' }, { id: 'k2' }, { id: 'k3' }],
  transitions: [{ duration: 2 }, { duration: 5 }],
};
const ids = (r: { keyframes: { id?: string }[] }) => r.keyframes.map((k) => k.id);

describe('timeline operations keep n keyframes ↔ n−1 transitions', () => {
  it('inserts after a keyframe, adding a transition', () => {
    const r = insertKeyframe(items, 0, { id: 'new' }, { duration: 3 });
    expect(ids(r)).toEqual(['k1', 'new', 'k2', 'k3']);
    expect(r.transitions).toEqual([{ duration: 2 }, { duration: 3 }, { duration: 5 }]);
  });

  it('appends at the end and inserts at the start', () => {
    expect(ids(insertKeyframe(items, 2, { id: 'z' }, { duration: 1 }))).toEqual(['k1', 'k2', 'k3', 'z']);
    const first = insertKeyframe(items, -1, { id: 'a' }, { duration: 1 });
    expect(ids(first)).toEqual(['a', 'k1', 'k2', 'k3']);
    expect(first.transitions).toHaveLength(3);
  });

  it('adds the first transition when a second keyframe arrives', () => {
    const r = insertKeyframe({ keyframes: [{ id: 'k1' }], transitions: [] }, 0, { id: 'k2' }, { duration: 3 });
    expect(r.transitions).toEqual([{ duration: 3 }]);
  });

  it('duplicates with a fresh id right after the original', () => {
    const r = duplicateKeyframe({ ...items, keyframes: items.keyframes.map((k) => ({ ...k, prompt: k.id })) }, 1, { duration: 3 });
    expect(ids(r)).toEqual(['k1', 'k2', 'k4', 'k3']);
    expect(r.keyframes[2]).toEqual({ id: 'k4', prompt: 'k2' });
    expect(r.transitions).toHaveLength(3);
  });

  it('deletes a keyframe with the transition after it, or before it for the last one', () => {
    const middle = deleteKeyframe(items, 1);
    expect(ids(middle)).toEqual(['k1', 'k3']);
    expect(middle.transitions).toEqual([{ duration: 2 }]);
    const last = deleteKeyframe(items, 2);
    expect(last.transitions).toEqual([{ duration: 2 }]);
  });

  it('refuses to delete the only keyframe', () => {
    expect(() => deleteKeyframe({ keyframes: [{ id: 'k1' }], transitions: [] }, 0)).toThrow(/at least one keyframe/);
  });

  it('reorders keyframes and leaves transitions in their slots', () => {
    const r = moveKeyframe(items, 0, 2);
    expect(ids(r)).toEqual(['k2', 'k3', 'k1']);
    expect(r.transitions).toEqual(items.transitions);
    expect(ids(moveKeyframe(items, 2, 0))).toEqual(['k3', 'k1', 'k2']);
  });

  it('rejects inconsistent input and bad indices with the numbers involved', () => {
    expect(() => moveKeyframe({ keyframes: [{ id: 'a' }], transitions: [{}] }, 0, 0)).toThrow(/1 keyframes need 0 transitions, got 1/);
    expect(() => moveKeyframe(items, 0, 3)).toThrow(/index 3 is outside 0…2/);
  });
});

describe('dropIndex', () => {
  const centres = [50, 150, 250, 350];
  it('lands a dragged card between the cards around the pointer', () => {
    expect(dropIndex(0, 200, centres)).toBe(1); // past card 1 only (card 0 is the one dragged)
    expect(dropIndex(0, 400, centres)).toBe(3);
    expect(dropIndex(3, 10, centres)).toBe(0);
    expect(dropIndex(2, 240, centres)).toBe(2); // over itself: stays
  });
});

describe('freshKeyframeId', () => {
  it('picks the first unused k<n> from the count up', () => {
    expect(freshKeyframeId([{ id: 'k1' }, { id: 'k3' }])).toBe('k4');
    expect(freshKeyframeId([{ id: 'k1' }, { id: 'x' }])).toBe('k3');
  });
});
