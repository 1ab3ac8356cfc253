import { reactive, shallowRef } from 'vue';
import { MaskHistory } from '../logic/mask-history';
import { coverage, createMask, fullRect, stampDab, strokeSegment, unionRect, type Mask, type Rect } from '../logic/mask-ops';

export type MaskToolMode = 'paint' | 'erase' | 'pan';

export interface MaskTool {
  mode: MaskToolMode;
  /** Brush diameter in image pixels. */
  size: number;
  /** 0…1: how much of the radius fades out. */
  feather: number;
  /** How strongly the painted area shows over the picture (display only). */
  opacity: number;
}

export const MIN_BRUSH = 1;
export const MAX_BRUSH = 1024;
/** The factor `[` and `]` shrink and grow the brush by. */
export const BRUSH_STEP = 1.25;

/**
 * The mask being painted, the tool, and per-stroke undo. `changed` hears every rectangle of the
 * mask that changed (to redraw it); the flags say what the toolbar can offer.
 */
export function useMaskBrush(width: number, height: number, changed: (rect: Rect | null) => void) {
  const mask = shallowRef<Mask>(createMask(width, height));
  const history = new MaskHistory();
  const tool = reactive<MaskTool>({ mode: 'paint', size: Math.round(Math.min(width, height) / 10), feather: 0.3, opacity: 0.55 });
  const flags = reactive({ canUndo: false, canRedo: false, coverage: 0 });
  let stroke: { last: { x: number; y: number }; erase: boolean } | null = null;

  function refreshFlags(): void {
    flags.canUndo = history.canUndo;
    flags.canRedo = history.canRedo;
    flags.coverage = coverage(mask.value);
  }

  function brush(erase: boolean) {
    return { size: tool.size, feather: tool.feather, mode: erase || tool.mode === 'erase' ? ('erase' as const) : ('paint' as const) };
  }

  /** Start a stroke at an image point; `erase` (the right button) erases without switching tools. */
  function beginStroke(at: { x: number; y: number }, erase: boolean): void {
    history.beginStroke(mask.value);
    const rect = stampDab(mask.value, at.x, at.y, brush(erase));
    history.touch(rect);
    changed(rect);
    stroke = { last: at, erase };
  }

  /** Continue the stroke through image points (a pointer event's coalesced positions). */
  function extendStroke(points: ReadonlyArray<{ x: number; y: number }>): void {
    if (!stroke) return;
    let dirty: Rect | null = null;
    for (const at of points) {
      dirty = unionRect(dirty, strokeSegment(mask.value, stroke.last.x, stroke.last.y, at.x, at.y, brush(stroke.erase)));
      stroke.last = at;
    }
    history.touch(dirty);
    changed(dirty);
  }

  function endStroke(): void {
    if (!stroke) return;
    history.endStroke(mask.value);
    stroke = null;
    refreshFlags();
  }

  /** An edit of the whole mask (invert, clear, fill, import), undoable as one step. */
  function whole(edit: (m: Mask) => Rect | null): void {
    history.record(mask.value, edit);
    changed(fullRect(mask.value));
    refreshFlags();
  }

  function undo(): void {
    changed(history.undo(mask.value));
    refreshFlags();
  }

  function redo(): void {
    changed(history.redo(mask.value));
    refreshFlags();
  }

  /** Start from a saved mask (opening the painter on a keyframe that has one). */
  function replace(next: Mask): void {
    mask.value = next;
  }

  /** Redraw all of it and refresh the flags (after loading). */
  function refreshAll(): void {
    changed(fullRect(mask.value));
    refreshFlags();
  }

  function resizeBrush(grow: boolean): void {
    tool.size = grow ? Math.min(MAX_BRUSH, Math.round(tool.size * BRUSH_STEP)) : Math.max(MIN_BRUSH, Math.round(tool.size / BRUSH_STEP));
  }

  return {
    mask,
    tool,
    flags,
    beginStroke,
    extendStroke,
    endStroke,
    whole,
    undo,
    redo,
    replace,
    refreshAll,
    resizeBrush,
    get stroking() {
      return stroke !== null;
    },
  };
}

export type MaskBrush = ReturnType<typeof useMaskBrush>;
