import { onBeforeUnmount, onMounted } from 'vue';
import type { MaskTool } from './use-mask-brush';

export interface MaskShortcutActions {
  readonly tool: MaskTool;
  undo(): void;
  redo(): void;
  fit(): void;
  resizeBrush(grow: boolean): void;
  /** Space held (pan with the brush) or released. */
  holdSpace(held: boolean): void;
}

/**
 * The painter's keys: Ctrl/⌘+Z undo (with Shift redo), Ctrl/⌘+Y redo, B brush, E eraser,
 * [ and ] brush size, 0 fit, Space held to pan. Letters typed in a text field stay there.
 */
export function handleMaskKey(event: KeyboardEvent, actions: MaskShortcutActions): void {
  const mod = event.ctrlKey || event.metaKey;
  if (mod && event.key.toLowerCase() === 'z') {
    event.preventDefault();
    if (event.shiftKey) actions.redo();
    else actions.undo();
  } else if (mod && event.key.toLowerCase() === 'y') {
    event.preventDefault();
    actions.redo();
  } else if (event.target instanceof HTMLInputElement && event.target.type !== 'range') {
    return;
  } else if (event.key === ' ') {
    actions.holdSpace(true);
    event.preventDefault();
  } else if (event.key === 'b') actions.tool.mode = 'paint';
  else if (event.key === 'e') actions.tool.mode = 'erase';
  else if (event.key === '[') actions.resizeBrush(false);
  else if (event.key === ']') actions.resizeBrush(true);
  else if (event.key === '0') actions.fit();
}

/** The keydown handler for the painter, and Space's release heard on the window (it may leave the painter). */
export function useMaskShortcuts(actions: MaskShortcutActions) {
  function onKeyUp(event: KeyboardEvent): void {
    if (event.key === ' ') actions.holdSpace(false);
  }
  onMounted(() => window.addEventListener('keyup', onKeyUp));
  onBeforeUnmount(() => window.removeEventListener('keyup', onKeyUp));
  return { onKey: (event: KeyboardEvent) => handleMaskKey(event, actions) };
}
