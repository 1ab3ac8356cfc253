import { ref } from 'vue';
import { fitView, panBy, toImage, zoomAt, type View } from '../logic/view-transform';

/** How fast the wheel zooms: the zoom factor is exp(-deltaY × this). */
export const WHEEL_ZOOM_RATE = 0.0015;

/**
 * Where the image lies on the painter's canvas (scale and offset, screen pixels). `zoom` is the
 * scale for display; the view itself is plain data read on every frame drawn.
 */
export function useMaskView(width: number, height: number) {
  let view: View = { scale: 1, x: 0, y: 0 };
  const zoom = ref(1);

  function set(next: View): void {
    view = next;
    zoom.value = next.scale;
  }

  return {
    zoom,
    current: (): View => view,
    fit: (boxWidth: number, boxHeight: number) => set(fitView(width, height, boxWidth, boxHeight)),
    zoomAt: (factor: number, x: number, y: number) => set(zoomAt(view, factor, x, y)),
    pan: (dx: number, dy: number) => set(panBy(view, dx, dy)),
    toImage: (x: number, y: number) => toImage(view, x, y),
    /** The wheel zooms at the pointer; with Shift (and without Ctrl) it pans. */
    wheel(event: WheelEvent, at: { x: number; y: number }): void {
      set(event.ctrlKey || !event.shiftKey ? zoomAt(view, Math.exp(-event.deltaY * WHEEL_ZOOM_RATE), at.x, at.y) : panBy(view, -event.deltaX, -event.deltaY));
    },
  };
}

export type MaskView = ReturnType<typeof useMaskView>;
