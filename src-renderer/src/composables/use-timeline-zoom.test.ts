import { describe, expect, it } from 'vitest';
import { ref } from 'vue';
import { fitZoom } from '../logic/timeline-layout';
import { INITIAL_ZOOM, TRACK_PADDING, TRACK_TAIL, useTimelineZoom } from './use-timeline-zoom';

describe('useTimelineZoom', () => {
  it('fits the movie into the track width less its padding and tail, and scrolls to the start', () => {
    const el = document.createElement('div');
    Object.defineProperty(el, 'clientWidth', { value: 900, configurable: true });
    Object.defineProperty(el, 'scrollLeft', { value: 300, writable: true, configurable: true });
    const durations = ref([10, 20, 30]);
    const holds = ref([0, 1, 0, 2]);
    const zoom = useTimelineZoom({ track: ref(el), durations, holds, loops: ref(false) });
    expect(zoom.pxPerSecond.value).toBe(INITIAL_ZOOM);
    zoom.fit();
    expect(zoom.pxPerSecond.value).toBe(fitZoom([10, 20, 30], 900 - TRACK_PADDING - TRACK_TAIL, [0, 1, 0, 2], false));
    expect(zoom.pxPerSecond.value).not.toBe(INITIAL_ZOOM);
    expect(el.scrollLeft).toBe(0);
  });

  it('keeps the zoom without a track to measure', () => {
    const zoom = useTimelineZoom({ track: ref(null), durations: ref([10]), holds: ref([]), loops: ref(false) });
    zoom.fit();
    expect(zoom.pxPerSecond.value).toBe(INITIAL_ZOOM);
  });
});
