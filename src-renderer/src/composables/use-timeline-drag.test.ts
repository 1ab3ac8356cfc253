import { describe, expect, it } from 'vitest';
import { ref } from 'vue';
import { timelineGeometry } from '../logic/timeline-layout';
import { DRAG_THRESHOLD, useTimelineDrag } from './use-timeline-drag';

function pointer(type: string, clientX: number, target: Element = document.createElement('li')): PointerEvent {
  const event = new PointerEvent(type, { clientX, button: 0, pointerId: 1 });
  Object.defineProperty(event, 'target', { value: target });
  Object.defineProperty(event, 'currentTarget', { value: target });
  return event;
}

/** Three keyframes, two 2 s transitions; the track starts at x = 0, unscrolled. */
function setup() {
  const track = ref<HTMLElement | null>(document.createElement('div'));
  const geometry = ref(timelineGeometry([2, 2], 48));
  const moves: Array<[number, number]> = [];
  const clicks: number[] = [];
  const drag = useTimelineDrag({ track, geometry, keyframeCount: ref(3), move: (from, to) => moves.push([from, to]), click: (i) => clicks.push(i) });
  return { drag, geometry, moves, clicks };
}

describe('useTimelineDrag', () => {
  it('treats a press that moves no further than the threshold as a click on the card', () => {
    const { drag, moves, clicks } = setup();
    drag.onPointerDown(pointer('pointerdown', 10), 1);
    drag.onPointerMove(pointer('pointermove', 10 + DRAG_THRESHOLD));
    expect(drag.isDragging(1)).toBe(false);
    expect(drag.dropMarkerX.value).toBeNull();
    drag.onPointerUp(1);
    expect(clicks).toEqual([1]);
    expect(moves).toEqual([]);
  });

  it('moves the card to where it is dropped, with the marker before the card that will follow it', () => {
    const { drag, geometry, moves, clicks } = setup();
    const g = geometry.value;
    drag.onPointerDown(pointer('pointerdown', g.cards[0] + 10), 0);
    drag.onPointerMove(pointer('pointermove', g.cards[2] + g.card / 2 + 1));
    expect(drag.isDragging(0)).toBe(true);
    expect(drag.dropAt.value).toBe(2);
    expect(drag.dropMarkerX.value).toBe(g.width);
    drag.onPointerUp(0);
    expect(moves).toEqual([[0, 2]]);
    expect(clicks).toEqual([]);
    expect(drag.drag.value).toBeNull();
  });

  it('does nothing when a drag ends where it started, or is cancelled', () => {
    const { drag, geometry, moves, clicks } = setup();
    const g = geometry.value;
    drag.onPointerDown(pointer('pointerdown', g.cards[1] + 5), 1);
    drag.onPointerMove(pointer('pointermove', g.cards[1] + 40));
    drag.onPointerUp(1);
    drag.onPointerDown(pointer('pointerdown', g.cards[1] + 5), 1);
    drag.onPointerMove(pointer('pointermove', g.cards[2] + 40));
    drag.cancel();
    expect(drag.dropMarkerX.value).toBeNull();
    expect(moves).toEqual([]);
    expect(clicks).toEqual([]);
  });

  it('ignores presses on the card buttons and with other mouse buttons', () => {
    const { drag } = setup();
    const actions = document.createElement('div');
    actions.className = 'card-actions';
    const button = actions.appendChild(document.createElement('button'));
    drag.onPointerDown(pointer('pointerdown', 10, button), 0);
    expect(drag.drag.value).toBeNull();
    const right = new PointerEvent('pointerdown', { clientX: 10, button: 2 });
    drag.onPointerDown(right, 0);
    expect(drag.drag.value).toBeNull();
  });
});
