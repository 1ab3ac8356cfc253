import { describe, expect, it } from 'vitest';
import { createMask } from './mask-ops';
import { OVERLAY_RGB, overlayPatch } from './mask-overlay';

describe('overlayPatch', () => {
  it('is the overlay colour with the mask as alpha, for just the rectangle asked for', () => {
    const mask = createMask(4, 3);
    mask.data[1 * 4 + 2] = 200; // (2, 1)
    mask.data[2 * 4 + 3] = 50; // (3, 2)
    const patch = overlayPatch(mask, { x: 2, y: 1, width: 2, height: 2 });
    expect([patch.width, patch.height]).toEqual([2, 2]);
    expect([...patch.data.slice(0, 4)]).toEqual([...OVERLAY_RGB, 200]);
    expect(patch.data[7]).toBe(0); // (3, 1)
    expect(patch.data[11]).toBe(0); // (2, 2)
    expect([...patch.data.slice(12, 16)]).toEqual([...OVERLAY_RGB, 50]);
  });
});
