import type { Mask, Rect } from './mask-ops';

/**
 * Undo/redo per stroke for the mask painter. A stroke keeps a copy of the mask from when it
 * began; when it ends, only the rectangle it touched is stored (before and after), so a
 * hundred small strokes on a 2048² mask cost kilobytes, not hundreds of megabytes.
 */

interface Patch {
  readonly rect: Rect;
  readonly before: Uint8Array;
  readonly after: Uint8Array;
}

function readRect(data: Uint8Array, width: number, rect: Rect): Uint8Array {
  const out = new Uint8Array(rect.width * rect.height);
  for (let y = 0; y < rect.height; y++) {
    const row = (rect.y + y) * width + rect.x;
    out.set(data.subarray(row, row + rect.width), y * rect.width);
  }
  return out;
}

function writeRect(data: Uint8Array, width: number, rect: Rect, values: Uint8Array): void {
  for (let y = 0; y < rect.height; y++) {
    data.set(values.subarray(y * rect.width, (y + 1) * rect.width), (rect.y + y) * width + rect.x);
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class MaskHistory {
  private past: Patch[] = [];
  private future: Patch[] = [];
  private strokeStart: Uint8Array | null = null;
  private strokeRect: Rect | null = null;

  /** @param maxBytes memory kept for undo; the oldest strokes are forgotten past it. */
  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  get canUndo(): boolean {
    return this.past.length > 0;
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }

  get inStroke(): boolean {
    return this.strokeStart !== null;
  }

  beginStroke(mask: Mask): void {
    this.strokeStart = mask.data.slice();
    this.strokeRect = null;
  }

  /** Grow the stroke's touched area. */
  touch(rect: Rect | null): void {
    if (!rect) return;
    const r = this.strokeRect;
    if (!r) {
      this.strokeRect = { ...rect };
      return;
    }
    const x = Math.min(r.x, rect.x);
    const y = Math.min(r.y, rect.y);
    this.strokeRect = {
      x,
      y,
      width: Math.max(r.x + r.width, rect.x + rect.width) - x,
      height: Math.max(r.y + r.height, rect.y + rect.height) - y,
    };
  }

  /** Close the stroke; returns whether it changed anything (and so became an undo step). */
  endStroke(mask: Mask): boolean {
    const start = this.strokeStart;
    const rect = this.strokeRect;
    this.strokeStart = null;
    this.strokeRect = null;
    if (!start || !rect) return false;
    const before = readRect(start, mask.width, rect);
    const after = readRect(mask.data, mask.width, rect);
    if (equalBytes(before, after)) return false;
    this.past.push({ rect, before, after });
    this.future = [];
    this.trim();
    return true;
  }

  /** One-shot edit (invert, clear, fill, import) as a single undo step. */
  record(mask: Mask, edit: (mask: Mask) => Rect | null): boolean {
    this.beginStroke(mask);
    this.touch(edit(mask));
    return this.endStroke(mask);
  }

  /** Restore the mask as it was before the last stroke; returns the area to redraw. */
  undo(mask: Mask): Rect | null {
    const patch = this.past.pop();
    if (!patch) return null;
    writeRect(mask.data, mask.width, patch.rect, patch.before);
    this.future.push(patch);
    return patch.rect;
  }

  redo(mask: Mask): Rect | null {
    const patch = this.future.pop();
    if (!patch) return null;
    writeRect(mask.data, mask.width, patch.rect, patch.after);
    this.past.push(patch);
    return patch.rect;
  }

  clear(): void {
    this.past = [];
    this.future = [];
    this.strokeStart = null;
    this.strokeRect = null;
  }

  private trim(): void {
    let bytes = this.past.reduce((n, p) => n + 2 * p.before.length, 0);
    while (bytes > this.maxBytes && this.past.length > 1) {
      bytes -= 2 * this.past.shift()!.before.length;
    }
  }
}
