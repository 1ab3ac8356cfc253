/**
 * Zoom and pan of the mask painter: screen = offset + scale · image. Pure so the zoom-around-
 * the-cursor rule is testable.
 */
export interface View {
  readonly scale: number;
  readonly x: number;
  readonly y: number;
}

export const MIN_SCALE = 0.05;
export const MAX_SCALE = 32;

/** Fit an image into a viewport with a margin, centred. */
export function fitView(imageW: number, imageH: number, viewW: number, viewH: number, margin = 24): View {
  const scale = Math.max(MIN_SCALE, Math.min((viewW - 2 * margin) / imageW, (viewH - 2 * margin) / imageH));
  return { scale, x: (viewW - imageW * scale) / 2, y: (viewH - imageH * scale) / 2 };
}

export function toImage(view: View, sx: number, sy: number): { x: number; y: number } {
  return { x: (sx - view.x) / view.scale, y: (sy - view.y) / view.scale };
}

/** Zoom by `factor` keeping the image point under (sx, sy) where it is. */
export function zoomAt(view: View, factor: number, sx: number, sy: number): View {
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, view.scale * factor));
  const p = toImage(view, sx, sy);
  return { scale, x: sx - p.x * scale, y: sy - p.y * scale };
}

export function panBy(view: View, dx: number, dy: number): View {
  return { ...view, x: view.x + dx, y: view.y + dy };
}
