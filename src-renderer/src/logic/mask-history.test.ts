import { describe, expect, it } from 'vitest';
import { MaskHistory } from './mask-history';
import {
  coverage,
  createMask,
  dabCoverage,
  fillMask,
  invertMask,
  maskFromRgba,
  maskToRgba,
  stampDab,
  strokeSegment,
  type Brush,
} from './mask-ops';

const hard: Brush = { size: 10, feather: 0, mode: 'paint' };

describe('brush', () => {
  it('covers a disc of the brush diameter with a hard edge', () => {
    const mask = createMask(40, 40);
    stampDab(mask, 20, 20, hard);
    // Pixel (20,20) has its centre 0.7 px from the dab centre: inside. (26,20) is 6.5 px away: outside r = 5.
    expect(mask.data[20 * 40 + 20]).toBe(255);
    expect(mask.data[20 * 40 + 24]).toBe(255);
    expect(mask.data[20 * 40 + 26]).toBe(0);
    // Area ≈ π r² = 78.5 pixels.
    expect(coverage(mask) * 1600).toBeGreaterThan(70);
    expect(coverage(mask) * 1600).toBeLessThan(90);
  });

  it('fades a feathered edge from full at the core to nothing at the rim', () => {
    const soft: Brush = { size: 20, feather: 0.5, mode: 'paint' };
    expect(dabCoverage(0, soft)).toBe(1);
    expect(dabCoverage(5, soft)).toBe(1);
    expect(dabCoverage(7.5, soft)).toBeCloseTo(0.5, 10); // smoothstep midpoint
    expect(dabCoverage(10, soft)).toBe(0);
  });

  it('erases with the same footprint', () => {
    const mask = createMask(40, 40, 255);
    stampDab(mask, 20, 20, { ...hard, mode: 'erase' });
    expect(mask.data[20 * 40 + 20]).toBe(0);
    expect(mask.data[0]).toBe(255);
  });

  it('paints a continuous line between two points', () => {
    const mask = createMask(100, 20);
    strokeSegment(mask, 10, 10, 90, 10, { size: 4, feather: 0, mode: 'paint' });
    for (let x = 10; x < 90; x++) expect(mask.data[10 * 100 + x]).toBe(255);
  });

  it('ignores dabs entirely outside the mask', () => {
    const mask = createMask(10, 10);
    expect(stampDab(mask, -50, -50, hard)).toBeNull();
    expect(coverage(mask)).toBe(0);
  });
});

describe('whole-mask operations', () => {
  it('inverts, fills and clears', () => {
    const mask = createMask(4, 1);
    mask.data.set([0, 10, 200, 255]);
    invertMask(mask);
    expect([...mask.data]).toEqual([255, 245, 55, 0]);
    fillMask(mask, 255);
    expect(coverage(mask)).toBe(1);
    fillMask(mask, 0);
    expect(coverage(mask)).toBe(0);
  });

  it('reads an imported image by luminance, transparent pixels as keep', () => {
    const rgba = new Uint8Array([255, 255, 255, 255, 0, 0, 0, 255, 255, 255, 255, 0]);
    expect([...maskFromRgba(3, 1, rgba).data]).toEqual([255, 0, 0]);
    expect(() => maskFromRgba(2, 2, rgba)).toThrow(/expected 16 bytes for 2×2 RGBA, got 12/);
  });

  it('exports as opaque gray and round-trips through import', () => {
    const mask = createMask(3, 1);
    mask.data.set([0, 128, 255]);
    expect([...maskFromRgba(3, 1, maskToRgba(mask)).data]).toEqual([0, 128, 255]);
  });
});

describe('MaskHistory', () => {
  function paintStroke(history: MaskHistory, mask: ReturnType<typeof createMask>, x0: number, x1: number) {
    history.beginStroke(mask);
    history.touch(strokeSegment(mask, x0, 10, x1, 10, hard));
    return history.endStroke(mask);
  }

  it('undoes and redoes one stroke at a time', () => {
    const mask = createMask(64, 20);
    const history = new MaskHistory();
    paintStroke(history, mask, 5, 20);
    const afterFirst = mask.data.slice();
    paintStroke(history, mask, 30, 60);
    const afterSecond = mask.data.slice();

    history.undo(mask);
    expect(mask.data).toEqual(afterFirst);
    history.undo(mask);
    expect(coverage(mask)).toBe(0);
    expect(history.canUndo).toBe(false);
    history.redo(mask);
    history.redo(mask);
    expect(mask.data).toEqual(afterSecond);
  });

  it('does not record a stroke that changed nothing', () => {
    const mask = createMask(32, 20, 255);
    const history = new MaskHistory();
    expect(paintStroke(history, mask, 5, 20)).toBe(false); // painting on a full mask
    expect(history.canUndo).toBe(false);
  });

  it('records whole-mask edits as one step and a new stroke drops the redo branch', () => {
    const mask = createMask(16, 16);
    const history = new MaskHistory();
    history.record(mask, invertMask);
    expect(coverage(mask)).toBe(1);
    history.undo(mask);
    expect(coverage(mask)).toBe(0);
    history.record(mask, (m) => fillMask(m, 255));
    expect(history.canRedo).toBe(false);
  });

  it('forgets the oldest strokes past its memory limit but keeps the latest', () => {
    const mask = createMask(16, 16);
    const history = new MaskHistory(600); // one full-mask step costs 2·256 bytes
    history.record(mask, invertMask);
    history.record(mask, invertMask);
    history.undo(mask);
    expect(history.canUndo).toBe(false);
    expect(coverage(mask)).toBe(1);
  });
});
