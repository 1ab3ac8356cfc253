import { describe, expect, it } from 'vitest';
import type { MaskTool } from './use-mask-brush';
import { handleMaskKey, type MaskShortcutActions } from './use-mask-shortcuts';

function actions() {
  const calls: string[] = [];
  const tool: MaskTool = { mode: 'paint', size: 10, feather: 0, opacity: 0.5 };
  const a: MaskShortcutActions = {
    tool,
    undo: () => calls.push('undo'),
    redo: () => calls.push('redo'),
    fit: () => calls.push('fit'),
    resizeBrush: (grow) => calls.push(grow ? 'grow' : 'shrink'),
    holdSpace: (held) => calls.push(held ? 'space down' : 'space up'),
  };
  return { a, calls, tool };
}

function key(k: string, init: KeyboardEventInit = {}, target?: EventTarget): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key: k, cancelable: true, ...init });
  if (target) Object.defineProperty(event, 'target', { value: target });
  return event;
}

describe('handleMaskKey', () => {
  it('undoes with Ctrl/⌘+Z and redoes with Shift or Y, keeping the browser from acting on them', () => {
    const { a, calls } = actions();
    const undo = key('z', { ctrlKey: true });
    handleMaskKey(undo, a);
    handleMaskKey(key('Z', { metaKey: true, shiftKey: true }), a);
    handleMaskKey(key('y', { ctrlKey: true }), a);
    expect(calls).toEqual(['undo', 'redo', 'redo']);
    expect(undo.defaultPrevented).toBe(true);
  });

  it('switches tools, sizes the brush, fits, and holds Space to pan', () => {
    const { a, calls, tool } = actions();
    handleMaskKey(key('e'), a);
    expect(tool.mode).toBe('erase');
    handleMaskKey(key('b'), a);
    expect(tool.mode).toBe('paint');
    handleMaskKey(key('['), a);
    handleMaskKey(key(']'), a);
    handleMaskKey(key('0'), a);
    const space = key(' ');
    handleMaskKey(space, a);
    expect(calls).toEqual(['shrink', 'grow', 'fit', 'space down']);
    expect(space.defaultPrevented).toBe(true);
  });

  it('leaves letters typed in a text field alone, but not on a slider', () => {
    const { a, tool } = actions();
    const text = document.createElement('input');
    handleMaskKey(key('e', {}, text), a);
    expect(tool.mode).toBe('paint');
    const slider = document.createElement('input');
    slider.type = 'range';
    handleMaskKey(key('e', {}, slider), a);
    expect(tool.mode).toBe('erase');
  });
});
