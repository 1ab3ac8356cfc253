import { describe, expect, it } from 'vitest';
import { timelineGeometry } from '../logic/timeline-layout';
import { REVEAL_EDGE, reveal, selectionSpan } from './use-timeline-reveal';

function scroller(width: number, scrollLeft: number): HTMLElement {
  const el = document.createElement('div');
  Object.defineProperty(el, 'clientWidth', { value: width, configurable: true });
  Object.defineProperty(el, 'scrollLeft', { value: scrollLeft, writable: true, configurable: true });
  return el;
}

describe('reveal', () => {
  it('leaves the track where it is when the item is already in view', () => {
    const el = scroller(600, 100);
    reveal(el, 200, 136);
    expect(el.scrollLeft).toBe(100);
  });

  it('scrolls back just far enough for an item left of the view, never below 0', () => {
    const el = scroller(600, 500);
    reveal(el, 300, 136);
    expect(el.scrollLeft).toBe(300 - REVEAL_EDGE);
    reveal(el, 10, 136);
    expect(el.scrollLeft).toBe(0);
  });

  it('scrolls on just far enough for an item right of the view', () => {
    const el = scroller(600, 0);
    reveal(el, 1000, 136);
    expect(el.scrollLeft).toBe(1000 + 136 - (600 - 2 * REVEAL_EDGE) + REVEAL_EDGE);
  });
});

describe('selectionSpan', () => {
  const g = timelineGeometry([2, 4], 48);
  it('is the selected card or block, and nothing for the project or an index past the end', () => {
    expect(selectionSpan({ kind: 'keyframe', index: 2 }, g)).toEqual({ left: g.cards[2], width: g.card });
    expect(selectionSpan({ kind: 'transition', index: 1 }, g)).toEqual({ left: g.blocks[1].left, width: g.blocks[1].width });
    expect(selectionSpan({ kind: 'project' }, g)).toBeNull();
    expect(selectionSpan({ kind: 'keyframe', index: 3 }, g)).toBeNull();
    expect(selectionSpan({ kind: 'transition', index: 2 }, g)).toBeNull();
  });
});
