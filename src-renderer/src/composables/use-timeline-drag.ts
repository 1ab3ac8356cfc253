import { computed, ref, type Ref } from 'vue';
import type { TimelineGeometry } from '../logic/timeline-layout';
import { dropIndex } from '../logic/timeline-ops';

/** A press that moves less than this (px) is a click on the card, not a drag. */
export const DRAG_THRESHOLD = 5;

export interface CardDrag {
  readonly from: number;
  readonly startX: number;
  x: number;
  active: boolean;
}

/**
 * Drag a keyframe card to reorder: pointer capture on the card, a drop marker where it will
 * land; a press that never moved far enough is a click (it selects the card).
 */
export function useTimelineDrag(options: {
  readonly track: Ref<HTMLElement | null>;
  readonly geometry: Ref<TimelineGeometry>;
  readonly keyframeCount: Ref<number>;
  readonly move: (from: number, to: number) => void;
  readonly click: (index: number) => void;
}) {
  const drag = ref<CardDrag | null>(null);

  function onPointerDown(event: PointerEvent, i: number): void {
    if (event.button !== 0 || (event.target as HTMLElement).closest('.card-actions')) return;
    drag.value = { from: i, startX: event.clientX, x: event.clientX, active: false };
    (event.currentTarget as HTMLElement).setPointerCapture?.(event.pointerId);
  }

  function onPointerMove(event: PointerEvent): void {
    const d = drag.value;
    if (!d) return;
    d.x = event.clientX;
    if (!d.active && Math.abs(d.x - d.startX) > DRAG_THRESHOLD) d.active = true;
  }

  function trackX(clientX: number): number {
    const el = options.track.value;
    if (!el) return clientX;
    return clientX - el.getBoundingClientRect().left + el.scrollLeft;
  }

  const dropAt = computed(() => {
    const d = drag.value;
    if (!d?.active) return null;
    const g = options.geometry.value;
    return dropIndex(d.from, trackX(d.x), g.cards.map((x) => x + g.card / 2));
  });

  /** x of the drop marker: before the card that will follow the dropped one. */
  const dropMarkerX = computed(() => {
    const to = dropAt.value;
    const d = drag.value;
    if (to === null || !d) return null;
    const order = Array.from({ length: options.keyframeCount.value }, (_, i) => i).filter((i) => i !== d.from);
    const following = order[to];
    return following === undefined ? options.geometry.value.width : options.geometry.value.cards[following];
  });

  function onPointerUp(i: number): void {
    const d = drag.value;
    const to = dropAt.value;
    drag.value = null;
    if (d?.active && to !== null) {
      if (to !== d.from) options.move(d.from, to);
    } else {
      options.click(i);
    }
  }

  function cancel(): void {
    drag.value = null;
  }

  function isDragging(i: number): boolean {
    return drag.value?.active === true && drag.value.from === i;
  }

  return { drag, dropAt, dropMarkerX, onPointerDown, onPointerMove, onPointerUp, cancel, isDragging };
}
