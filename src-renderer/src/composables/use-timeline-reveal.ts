import { watch, type Ref } from 'vue';
import type { TimelineGeometry } from '../logic/timeline-layout';
import type { Selection } from '../stores/types';

/** Room kept between a revealed item or the playhead and the track's edge (px). */
export const REVEAL_EDGE = 24;

/** Scroll the track so [left, left + width) is in view, moving it as little as possible. */
export function reveal(el: HTMLElement, left: number, width: number): void {
  const view = el.clientWidth - 2 * REVEAL_EDGE;
  if (left < el.scrollLeft) el.scrollLeft = Math.max(0, left - REVEAL_EDGE);
  else if (left + width > el.scrollLeft + view) el.scrollLeft = left + width - view + REVEAL_EDGE;
}

/** Where the selected card or block lies on the track; null for the project. */
export function selectionSpan(selection: Selection, g: TimelineGeometry): { left: number; width: number } | null {
  if (selection.kind === 'keyframe' && g.cards[selection.index] !== undefined) return { left: g.cards[selection.index], width: g.card };
  if (selection.kind === 'transition' && g.blocks[selection.index]) return { left: g.blocks[selection.index].left, width: g.blocks[selection.index].width };
  return null;
}

/**
 * Keep what the user is working on in view: the selected card or block (selected from the
 * inspector, by undo, or just added at the far end) and, while playing, the playhead, which
 * pages along like an editor's. Positions come from the computed geometry, not the DOM. A
 * vertical mouse wheel scrolls the track sideways: it only ever scrolls that way.
 */
export function useTimelineReveal(options: {
  readonly track: Ref<HTMLElement | null>;
  readonly geometry: Ref<TimelineGeometry>;
  readonly selection: Ref<Selection>;
  readonly keyframeCount: Ref<number>;
  readonly playheadX: Ref<number>;
  readonly playing: Ref<boolean>;
}) {
  function revealSelection(): void {
    const el = options.track.value;
    const span = selectionSpan(options.selection.value, options.geometry.value);
    if (el && span) reveal(el, span.left, span.width);
  }

  watch(
    () => [options.selection.value, options.keyframeCount.value],
    () => requestAnimationFrame(revealSelection),
    { deep: true },
  );

  watch(options.playheadX, (x) => {
    const el = options.track.value;
    if (!el || !options.playing.value) return;
    if (x < el.scrollLeft || x > el.scrollLeft + el.clientWidth - REVEAL_EDGE) el.scrollLeft = Math.max(0, x - REVEAL_EDGE);
  });

  function onWheel(event: WheelEvent): void {
    const el = options.track.value;
    if (!el || event.ctrlKey || Math.abs(event.deltaX) >= Math.abs(event.deltaY)) return;
    event.preventDefault();
    el.scrollLeft += event.deltaY;
  }

  return { onWheel };
}
