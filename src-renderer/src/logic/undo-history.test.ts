import { describe, expect, it } from 'vitest';
import { UndoHistory, getAt, setAt } from './undo-history';

interface Doc {
  name: string;
  items: Array<{ prompt: string; seed: number }>;
}

const start: Doc = { name: 'film', items: [{ prompt: 'a', seed: 1 }, { prompt: 'b', seed: 2 }] };

describe('setAt / getAt', () => {
  it('replaces one value and shares the untouched branches', () => {
    const next = setAt(start, ['items', 1, 'seed'], 9);
    expect(next.items[1].seed).toBe(9);
    expect(start.items[1].seed).toBe(2);
    expect(next.items[0]).toBe(start.items[0]);
    expect(getAt(next, ['items', 1, 'seed'])).toBe(9);
  });

  it('deletes an object key when set to undefined, so optional fields stay absent', () => {
    const withImage = setAt(start, ['items', 0], { prompt: 'a', seed: 1, image: 'x.png' });
    const without = setAt(withImage, ['items', 0, 'image'], undefined);
    expect(Object.keys(without.items[0])).toEqual(['prompt', 'seed']);
  });

  it('names the missing part of a bad path', () => {
    expect(() => getAt(start, ['items', 5, 'seed'])).toThrow(/items\[5\]\.seed does not exist/);
  });
});

describe('UndoHistory', () => {
  it('undoes and redoes a change by applying its inverse', () => {
    const h = new UndoHistory<Doc>();
    const edited = h.apply(start, 'Edit seed', [{ path: ['items', 0, 'seed'], value: 42 }]);
    const undone = h.undo(edited)!;
    expect(undone.doc).toEqual(start);
    expect(undone.change.label).toBe('Edit seed');
    expect(h.redo(undone.doc)!.doc).toEqual(edited);
  });

  it('undoes a multi-path change in reverse order', () => {
    const h = new UndoHistory<Doc>();
    // Replace the list, then edit inside the new list: undo must restore the list last.
    const edited = h.apply(start, 'Reorder and rename', [
      { path: ['items'], value: [start.items[1], start.items[0]] },
      { path: ['items', 0, 'prompt'], value: 'B!' },
    ]);
    expect(edited.items.map((i) => i.prompt)).toEqual(['B!', 'a']);
    expect(h.undo(edited)!.doc).toEqual(start);
  });

  it('merges a burst of typing into one step until sealed', () => {
    const h = new UndoHistory<Doc>();
    let doc = start;
    for (const text of ['h', 'he', 'hel']) doc = h.apply(doc, 'Edit name', [{ path: ['name'], value: text }], 'name');
    h.seal();
    doc = h.apply(doc, 'Edit name', [{ path: ['name'], value: 'hello' }], 'name');
    doc = h.undo(doc)!.doc;
    expect(doc.name).toBe('hel');
    doc = h.undo(doc)!.doc;
    expect(doc.name).toBe('film');
    expect(h.canUndo).toBe(false);
  });

  it('does not merge different fields', () => {
    const h = new UndoHistory<Doc>();
    let doc = h.apply(start, 'Edit name', [{ path: ['name'], value: 'x' }], 'name');
    doc = h.apply(doc, 'Edit prompt', [{ path: ['items', 0, 'prompt'], value: 'y' }], 'prompt-0');
    doc = h.undo(doc)!.doc;
    expect(doc).toEqual({ ...start, name: 'x' });
  });

  it('records nothing for an edit that changes nothing', () => {
    const h = new UndoHistory<Doc>();
    const same = h.apply(start, 'Edit', [{ path: ['name'], value: 'film' }]);
    expect(same).toBe(start);
    expect(h.canUndo).toBe(false);
  });

  it('drops the redo branch on a new edit', () => {
    const h = new UndoHistory<Doc>();
    let doc = h.apply(start, 'A', [{ path: ['name'], value: 'a' }]);
    doc = h.undo(doc)!.doc;
    doc = h.apply(doc, 'B', [{ path: ['name'], value: 'b' }]);
    expect(h.canRedo).toBe(false);
    expect(h.redo(doc)).toBeNull();
  });

  it('returns to the saved revision when edits are undone, so "unsaved" clears', () => {
    const h = new UndoHistory<Doc>();
    const saved = h.revision;
    let doc = h.apply(start, 'A', [{ path: ['name'], value: 'a' }]);
    expect(h.revision).not.toBe(saved);
    doc = h.undo(doc)!.doc;
    expect(h.revision).toBe(saved);
    h.redo(doc);
    expect(h.revision).not.toBe(saved);
  });

  it('forgets the oldest steps past its limit', () => {
    const h = new UndoHistory<Doc>(2);
    let doc = start;
    for (const n of ['1', '2', '3']) doc = h.apply(doc, n, [{ path: ['name'], value: n }]);
    doc = h.undo(doc)!.doc;
    doc = h.undo(doc)!.doc;
    expect(doc.name).toBe('1');
    expect(h.undo(doc)).toBeNull();
  });
});
