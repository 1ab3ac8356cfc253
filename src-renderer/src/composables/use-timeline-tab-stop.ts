import { computed, nextTick, watch, type Ref } from 'vue';
import { isNavKey, navigate, tabStop, type TimelineItem } from '../logic/timeline-nav';
import type { Selection } from '../stores/types';

/**
 * The timeline is one Tab stop (roving tabindex): the selected item, and the buttons on the
 * selected card. Arrow keys, Home and End move the selection and the focus together; Alt with
 * an arrow moves a keyframe; Enter selects and Delete/Backspace removes the focused card.
 */
export function useTimelineTabStop(options: {
  readonly track: Ref<HTMLElement | null>;
  readonly selection: Ref<Selection>;
  readonly keyframeCount: Ref<number>;
  /** Changes whenever the keyframes do (undo can reorder them under the focus). */
  readonly keyframes: Ref<unknown>;
  readonly select: (item: TimelineItem) => void;
  readonly move: (from: number, to: number) => void;
  readonly remove: (index: number) => void;
}) {
  const stop = computed(() => tabStop(options.selection.value, options.keyframeCount.value));

  function isTabStop(kind: TimelineItem['kind'], i: number): boolean {
    return stop.value.kind === kind && stop.value.index === i;
  }

  function focusTabStop(): void {
    options.track.value?.querySelector<HTMLElement>(`[data-nav="${stop.value.kind}-${stop.value.index}"]`)?.focus();
  }

  /** Run an edit made from the timeline; when the keyboard was in it, it stays there, on the selection. */
  async function keepingFocus(edit: () => void): Promise<void> {
    const wasInside = options.track.value?.contains(document.activeElement) ?? false;
    edit();
    if (!wasInside) return;
    await nextTick();
    focusTabStop();
  }

  function onItemKey(event: KeyboardEvent, item: TimelineItem): void {
    const onItem = event.target === event.currentTarget; // not on a button inside the card
    const count = options.keyframeCount.value;
    let edit: (() => void) | null = null;
    if (event.altKey && item.kind === 'keyframe' && (event.key === 'ArrowLeft' || event.key === 'ArrowRight')) {
      const to = item.index + (event.key === 'ArrowLeft' ? -1 : 1);
      edit = () => {
        if (to >= 0 && to < count) options.move(item.index, to);
      };
    } else if (!event.altKey && !event.ctrlKey && !event.metaKey && isNavKey(event.key)) {
      const to = navigate(item, event.key, count);
      edit = () => options.select(to);
    } else if (onItem && item.kind === 'keyframe' && event.key === 'Enter') {
      edit = () => options.select(item);
    } else if (onItem && item.kind === 'keyframe' && (event.key === 'Delete' || event.key === 'Backspace')) {
      edit = () => options.remove(item.index);
    }
    if (!edit) return;
    // Handled here: the player's arrow, Home and End keys are for when the timeline has no focus
    // (Space plays and pauses everywhere outside text fields).
    event.preventDefault();
    event.stopPropagation();
    void keepingFocus(edit);
  }

  // Undo or redo can select another item while the keyboard is in the timeline: follow it.
  watch(
    () => [stop.value.kind, stop.value.index, options.keyframes.value],
    async () => {
      await nextTick();
      const active = document.activeElement;
      if (!active || !options.track.value?.contains(active)) return;
      const item = active.closest('[data-nav]');
      if (item && item.getAttribute('data-nav') !== `${stop.value.kind}-${stop.value.index}`) focusTabStop();
    },
  );

  return { isTabStop, keepingFocus, onItemKey };
}
