import { describe, expect, it } from 'vitest';
import { MAX_SCALE, fitView, panBy, toImage, zoomAt } from './view-transform';

describe('mask painter view', () => {
  it('fits and centres the image inside the margin', () => {
    const v = fitView(512, 512, 1000, 600, 20);
    expect(v.scale).toBeCloseTo(560 / 512, 12);
    expect(v.x + (512 * v.scale) / 2).toBeCloseTo(500, 9);
    expect(v.y).toBeCloseTo(20, 9);
  });

  it('keeps the point under the cursor still while zooming', () => {
    const v = fitView(512, 512, 800, 800);
    const before = toImage(v, 300, 420);
    const zoomed = zoomAt(v, 2.5, 300, 420);
    const after = toImage(zoomed, 300, 420);
    expect(after.x).toBeCloseTo(before.x, 9);
    expect(after.y).toBeCloseTo(before.y, 9);
    expect(zoomed.scale).toBeCloseTo(v.scale * 2.5, 12);
  });

  it('clamps the zoom and pans in screen pixels', () => {
    expect(zoomAt({ scale: 30, x: 0, y: 0 }, 4, 0, 0).scale).toBe(MAX_SCALE);
    const p = panBy({ scale: 2, x: 10, y: 10 }, 5, -5);
    expect(toImage(p, 15, 5)).toEqual({ x: 0, y: 0 });
  });
});
