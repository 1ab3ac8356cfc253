import { describe, expect, it } from 'vitest';
import { fitView } from '../logic/view-transform';
import { useMaskView } from './use-mask-view';

describe('useMaskView', () => {
  it('fits the image into the box and shows that scale as the zoom', () => {
    const view = useMaskView(512, 256);
    view.fit(800, 600);
    expect(view.current()).toEqual(fitView(512, 256, 800, 600));
    expect(view.zoom.value).toBe(view.current().scale);
  });

  it('zooms about a point that stays over the same image pixel', () => {
    const view = useMaskView(512, 512);
    view.fit(600, 600);
    const before = view.toImage(100, 120);
    view.zoomAt(2, 100, 120);
    expect(view.zoom.value).toBeCloseTo(2 * fitView(512, 512, 600, 600).scale, 10);
    const after = view.toImage(100, 120);
    expect(after.x).toBeCloseTo(before.x, 6);
    expect(after.y).toBeCloseTo(before.y, 6);
  });

  it('zooms with the wheel, and pans with Shift+wheel', () => {
    const view = useMaskView(512, 512);
    view.wheel(new WheelEvent('wheel', { deltaY: -100 }), { x: 0, y: 0 });
    expect(view.zoom.value).toBeGreaterThan(1);
    const zoomed = view.current();
    const shifted = new WheelEvent('wheel', { deltaX: 5, deltaY: 10 });
    Object.defineProperty(shifted, 'shiftKey', { value: true }); // the test DOM's WheelEvent drops modifier keys
    view.wheel(shifted, { x: 0, y: 0 });
    expect(view.current()).toEqual({ scale: zoomed.scale, x: zoomed.x - 5, y: zoomed.y - 10 });
  });
});
