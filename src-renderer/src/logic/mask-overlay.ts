import type { Mask, Rect } from './mask-ops';

/** The pink the painted area shows in over the picture. */
export const OVERLAY_RGB = [255, 64, 129] as const;

/** The overlay's pixels for one rectangle of the mask: overlay colour, alpha = mask value. */
export function overlayPatch(mask: Mask, rect: Rect, rgb: readonly [number, number, number] = OVERLAY_RGB): ImageData {
  const patch = new ImageData(rect.width, rect.height);
  for (let y = 0; y < rect.height; y++) {
    for (let x = 0; x < rect.width; x++) {
      const o = 4 * (y * rect.width + x);
      patch.data[o] = rgb[0];
      patch.data[o + 1] = rgb[1];
      patch.data[o + 2] = rgb[2];
      patch.data[o + 3] = mask.data[(rect.y + y) * mask.width + rect.x + x];
    }
  }
  return patch;
}
