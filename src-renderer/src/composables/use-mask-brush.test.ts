import { describe, expect, it } from 'vitest';
import { createMask, fillMask, type Rect } from '../logic/mask-ops';
import { MAX_BRUSH, MIN_BRUSH, useMaskBrush } from './use-mask-brush';

function setup() {
  const changed: Array<Rect | null> = [];
  const brush = useMaskBrush(64, 32, (rect) => changed.push(rect));
  return { brush, changed };
}

describe('useMaskBrush', () => {
  it('starts with an empty mask and a brush a tenth of the shorter side', () => {
    const { brush } = setup();
    expect(brush.tool.size).toBe(3);
    expect(brush.flags).toEqual({ canUndo: false, canRedo: false, coverage: 0 });
  });

  it('paints a stroke, reports what it touched, and undoes and redoes it as one step', () => {
    const { brush, changed } = setup();
    brush.tool.size = 8;
    brush.beginStroke({ x: 10, y: 10 }, false);
    expect(brush.stroking).toBe(true);
    brush.extendStroke([{ x: 20, y: 10 }, { x: 30, y: 12 }]);
    brush.endStroke();
    expect(brush.stroking).toBe(false);
    expect(changed.length).toBe(2);
    expect(changed.every((r) => r !== null && r.width > 0)).toBe(true);
    const painted = brush.flags.coverage;
    expect(painted).toBeGreaterThan(0);
    expect(brush.flags.canUndo).toBe(true);
    brush.undo();
    expect(brush.flags).toEqual({ canUndo: false, canRedo: true, coverage: 0 });
    brush.redo();
    expect(brush.flags.coverage).toBe(painted);
  });

  it('erases with the eraser tool or the right button (erase: true) without switching tools', () => {
    const { brush } = setup();
    brush.whole((m) => fillMask(m, 255));
    expect(brush.flags.coverage).toBe(1);
    brush.beginStroke({ x: 10, y: 10 }, true);
    brush.endStroke();
    expect(brush.tool.mode).toBe('paint');
    const afterRight = brush.flags.coverage;
    expect(afterRight).toBeLessThan(1);
    brush.tool.mode = 'erase';
    brush.beginStroke({ x: 40, y: 20 }, false);
    brush.endStroke();
    expect(brush.flags.coverage).toBeLessThan(afterRight);
  });

  it('reports a whole-mask edit as the full rectangle, and a loaded mask once refreshed', () => {
    const { brush, changed } = setup();
    brush.whole((m) => fillMask(m, 255));
    expect(changed.at(-1)).toEqual({ x: 0, y: 0, width: 64, height: 32 });
    brush.replace(createMask(64, 32, 128));
    brush.refreshAll();
    expect(changed.at(-1)).toEqual({ x: 0, y: 0, width: 64, height: 32 });
    expect(brush.flags.coverage).toBeCloseTo(128 / 255, 5);
  });

  it('grows and shrinks the brush by steps within its limits', () => {
    const { brush } = setup();
    brush.tool.size = 100;
    brush.resizeBrush(true);
    expect(brush.tool.size).toBe(125);
    brush.resizeBrush(false);
    expect(brush.tool.size).toBe(100);
    brush.tool.size = MAX_BRUSH;
    brush.resizeBrush(true);
    expect(brush.tool.size).toBe(MAX_BRUSH);
    brush.tool.size = MIN_BRUSH;
    brush.resizeBrush(false);
    expect(brush.tool.size).toBe(MIN_BRUSH);
  });
});
