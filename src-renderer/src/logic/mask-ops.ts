/**
 * Mask painting on a single-channel 8-bit mask (255 = regenerate, 0 = keep, as the inpainting
 * spec §5 reads it). Pure functions over a `Mask`; the painter draws the mask on a canvas and
 * keeps the pixels here, so tests run without a canvas.
 */

export interface Mask {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Brush {
  /** Diameter in mask pixels. */
  readonly size: number;
  /** 0 = hard edge … 1 = soft all the way to the centre. */
  readonly feather: number;
  /** Paint "regenerate" (brush) or "keep" (eraser). */
  readonly mode: 'paint' | 'erase';
}

export function createMask(width: number, height: number, value = 0): Mask {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`createMask: size must be whole pixels ≥ 1, got ${width}×${height}`);
  }
  return { width, height, data: new Uint8Array(width * height).fill(value) };
}

/** Coverage of a dab at distance d from its centre: 1 inside the hard core, easing to 0 at the rim. */
export function dabCoverage(distance: number, brush: Brush): number {
  const radius = Math.max(0.5, brush.size / 2);
  const core = radius * (1 - Math.min(1, Math.max(0, brush.feather)));
  if (distance <= core) return 1;
  if (distance >= radius) return 0;
  const t = (distance - core) / (radius - core);
  // Smoothstep falloff: no visible ring where the core ends.
  return 1 - t * t * (3 - 2 * t);
}

function clipRect(r: Rect, mask: Mask): Rect | null {
  const x0 = Math.max(0, Math.floor(r.x));
  const y0 = Math.max(0, Math.floor(r.y));
  const x1 = Math.min(mask.width, Math.ceil(r.x + r.width));
  const y1 = Math.min(mask.height, Math.ceil(r.y + r.height));
  if (x1 <= x0 || y1 <= y0) return null;
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** Stamp one dab centred at (cx, cy); returns the rectangle it may have changed. */
export function stampDab(mask: Mask, cx: number, cy: number, brush: Brush): Rect | null {
  const radius = Math.max(0.5, brush.size / 2);
  const rect = clipRect({ x: cx - radius, y: cy - radius, width: 2 * radius + 1, height: 2 * radius + 1 }, mask);
  if (!rect) return null;
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    for (let x = rect.x; x < rect.x + rect.width; x++) {
      // Pixel centres at +0.5, so a dab at (10, 10) is symmetric around that point.
      const a = dabCoverage(Math.hypot(x + 0.5 - cx, y + 0.5 - cy), brush);
      if (a <= 0) continue;
      const i = y * mask.width + x;
      const v = Math.round(255 * a);
      mask.data[i] = brush.mode === 'paint' ? Math.max(mask.data[i], v) : Math.min(mask.data[i], 255 - v);
    }
  }
  return rect;
}

export function unionRect(a: Rect | null, b: Rect | null): Rect | null {
  if (!a) return b;
  if (!b) return a;
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
}

/**
 * Dabs from (x0, y0) to (x1, y1), a quarter brush apart so the line looks continuous; the
 * first point is not stamped (the previous segment ended on it).
 */
export function strokeSegment(mask: Mask, x0: number, y0: number, x1: number, y1: number, brush: Brush): Rect | null {
  const spacing = Math.max(1, brush.size / 4);
  const steps = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0) / spacing));
  let dirty: Rect | null = null;
  for (let s = 1; s <= steps; s++) {
    const t = s / steps;
    dirty = unionRect(dirty, stampDab(mask, x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, brush));
  }
  return dirty;
}

export function fullRect(mask: Mask): Rect {
  return { x: 0, y: 0, width: mask.width, height: mask.height };
}

export function invertMask(mask: Mask): Rect {
  for (let i = 0; i < mask.data.length; i++) mask.data[i] = 255 - mask.data[i];
  return fullRect(mask);
}

export function fillMask(mask: Mask, value: number): Rect {
  mask.data.fill(value);
  return fullRect(mask);
}

/** Share of the mask marked for regeneration (0…1), shown so an empty mask is obvious. */
export function coverage(mask: Mask): number {
  let sum = 0;
  for (const v of mask.data) sum += v;
  return sum / (255 * mask.data.length);
}

/**
 * A mask from RGBA pixels (an imported PNG drawn on a canvas): luminance, scaled by alpha so
 * a transparent area reads as "keep".
 */
export function maskFromRgba(width: number, height: number, rgba: Uint8ClampedArray | Uint8Array): Mask {
  if (rgba.length !== width * height * 4) {
    throw new Error(`maskFromRgba: expected ${width * height * 4} bytes for ${width}×${height} RGBA, got ${rgba.length}`);
  }
  const mask = createMask(width, height);
  for (let i = 0; i < width * height; i++) {
    const lum = 0.299 * rgba[4 * i] + 0.587 * rgba[4 * i + 1] + 0.114 * rgba[4 * i + 2];
    mask.data[i] = Math.round((lum * rgba[4 * i + 3]) / 255);
  }
  return mask;
}

/** Opaque grayscale RGBA for export as a PNG (white = regenerate). */
export function maskToRgba(mask: Mask): Uint8ClampedArray {
  const out = new Uint8ClampedArray(mask.width * mask.height * 4);
  for (let i = 0; i < mask.data.length; i++) {
    out[4 * i] = out[4 * i + 1] = out[4 * i + 2] = mask.data[i];
    out[4 * i + 3] = 255;
  }
  return out;
}

/**
 * The overlay drawn over the image: the regenerate area tinted in `rgb` at `opacity`, the kept
 * area transparent.
 */
export function maskOverlayRgba(mask: Mask, rgb: readonly [number, number, number], opacity: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(mask.width * mask.height * 4);
  const o = Math.min(1, Math.max(0, opacity));
  for (let i = 0; i < mask.data.length; i++) {
    out[4 * i] = rgb[0];
    out[4 * i + 1] = rgb[1];
    out[4 * i + 2] = rgb[2];
    out[4 * i + 3] = Math.round(mask.data[i] * o);
  }
  return out;
}
