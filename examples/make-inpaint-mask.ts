/**
 * Writes examples/inpaint-mask.png, the mask of examples/inpaint.lbs.json: a 512×512 image,
 * black (keep) everywhere except a white disk (regenerate) in the sky above the lake.
 *
 *   npx tsx examples/make-inpaint-mask.ts
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePng } from '../src-main/media/png';
import type { RgbImage } from '../src-main/engine/image';

export const MASK_SIZE = 512;
/** The disk to regenerate: centre and radius in pixels. */
export const MASK_DISK = { cx: 256, cy: 150, r: 110 } as const;

export function inpaintMask(): RgbImage {
  const { cx, cy, r } = MASK_DISK;
  const data = new Uint8Array(MASK_SIZE * MASK_SIZE * 3);
  for (let y = 0; y < MASK_SIZE; y++) {
    for (let x = 0; x < MASK_SIZE; x++) {
      // Pixel centres, so the disk is symmetric about (cx, cy).
      const dx = x + 0.5 - cx;
      const dy = y + 0.5 - cy;
      if (dx * dx + dy * dy <= r * r) data.fill(255, (y * MASK_SIZE + x) * 3, (y * MASK_SIZE + x) * 3 + 3);
    }
  }
  return { width: MASK_SIZE, height: MASK_SIZE, data };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'inpaint-mask.png');
  writeFileSync(out, encodePng(inpaintMask()));
  console.log(`wrote ${out}`);
}
