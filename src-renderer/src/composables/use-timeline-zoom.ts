import { ref, type Ref } from 'vue';
import { fitZoom } from '../logic/timeline-layout';

/** Room the track leaves beside the cards: its padding and the space after the last card. */
export const TRACK_PADDING = 24;
export const TRACK_TAIL = 24;
/** Pixels per second of movie when the timeline opens. */
export const INITIAL_ZOOM = 48;

/** The timeline's zoom (pixels per second) and "Fit": the whole movie in the track's width. */
export function useTimelineZoom(options: {
  readonly track: Ref<HTMLElement | null>;
  readonly durations: Ref<readonly number[]>;
  readonly holds: Ref<readonly number[]>;
  readonly loops: Ref<boolean>;
}) {
  const pxPerSecond = ref(INITIAL_ZOOM);

  /** Zoom so the whole movie is in view (cards go compact when that needs a low zoom). */
  function fit(): void {
    const el = options.track.value;
    if (!el) return;
    pxPerSecond.value = fitZoom(options.durations.value, Math.max(1, el.clientWidth - TRACK_PADDING - TRACK_TAIL), options.holds.value, options.loops.value);
    el.scrollLeft = 0;
  }

  return { pxPerSecond, fit };
}
