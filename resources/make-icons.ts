/**
 * The app icon, drawn by code so it can be regenerated anywhere (`npm run icons`): two discs,
 * warm and cool, blending into each other on a dark rounded square — what the studio does to
 * two keyframes. Writes what electron-builder looks for in `resources/` (its buildResources):
 * `icons/<n>x<n>.png` (Linux), `icon.png`, `icon.ico` (Windows) and `icon.icns` (macOS).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

/** Linux icon set sizes; Windows and macOS containers take subsets of them. */
export const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256] as const;
/** macOS icon types holding PNG data, by pixel size. */
export const ICNS_TYPES = { 16: 'icp4', 32: 'icp5', 64: 'icp6', 128: 'ic07', 256: 'ic08', 512: 'ic09', 1024: 'ic10' } as const;

const BACKGROUND = [22, 26, 38];
const WARM = [255, 138, 61];
const COOL = [61, 139, 255];
const SUPERSAMPLE = 4;

const smoothstep = (a: number, b: number, x: number) => {
  const t = Math.min(1, Math.max(0, (x - a) / (b - a)));
  return t * t * (3 - 2 * t);
};

/** Colour and coverage of one point of the unit square. */
function sample(x: number, y: number): [number, number, number, number] {
  // Rounded square, corner radius 0.22.
  const r = 0.22;
  const qx = Math.max(Math.abs(x - 0.5) - (0.5 - r), 0);
  const qy = Math.max(Math.abs(y - 0.5) - (0.5 - r), 0);
  if (qx * qx + qy * qy > r * r) return [0, 0, 0, 0];
  const inLeft = (x - 0.4) ** 2 + (y - 0.5) ** 2 < 0.27 ** 2;
  const inRight = (x - 0.6) ** 2 + (y - 0.5) ** 2 < 0.27 ** 2;
  if (!inLeft && !inRight) return [...BACKGROUND, 1] as [number, number, number, number];
  const t = smoothstep(0.2, 0.8, x);
  const lift = inLeft && inRight ? 0.18 : 0;
  const c = WARM.map((w, i) => {
    const v = w + (COOL[i] - w) * t;
    return v + (255 - v) * lift;
  });
  return [c[0], c[1], c[2], 1];
}

/** The icon at `size`×`size`, RGBA, antialiased by 4×4 supersampling. */
export function drawIcon(size: number): PNG {
  const png = new PNG({ width: size, height: size });
  const n = SUPERSAMPLE * SUPERSAMPLE;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const [cr, cg, cb, ca] = sample((px + (sx + 0.5) / SUPERSAMPLE) / size, (py + (sy + 0.5) / SUPERSAMPLE) / size);
          r += cr * ca;
          g += cg * ca;
          b += cb * ca;
          a += ca;
        }
      }
      const o = (py * size + px) * 4;
      // Straight (not premultiplied) alpha, as PNG stores it.
      png.data[o] = a ? Math.round(r / a) : 0;
      png.data[o + 1] = a ? Math.round(g / a) : 0;
      png.data[o + 2] = a ? Math.round(b / a) : 0;
      png.data[o + 3] = Math.round((a / n) * 255);
    }
  }
  return png;
}

export function iconPng(size: number): Buffer {
  return PNG.sync.write(drawIcon(size), { colorType: 6 });
}

/** A Windows .ico whose entries are PNGs (Vista and later); 256 is written as 0 in the directory. */
export function encodeIco(pngs: ReadonlyMap<number, Buffer>): Buffer {
  const entries = [...pngs].sort(([a], [b]) => a - b);
  const header = Buffer.alloc(6 + 16 * entries.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(entries.length, 4);
  let offset = header.length;
  entries.forEach(([size, png], i) => {
    const e = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, e);
    header.writeUInt8(size >= 256 ? 0 : size, e + 1);
    header.writeUInt16LE(1, e + 4); // colour planes
    header.writeUInt16LE(32, e + 6); // bits per pixel
    header.writeUInt32LE(png.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...entries.map(([, png]) => png)]);
}

/** A macOS .icns: `icns`, total length, then (type, length, PNG) per size, big-endian. */
export function encodeIcns(pngs: ReadonlyMap<number, Buffer>): Buffer {
  const chunks = Object.entries(ICNS_TYPES).map(([size, type]) => {
    const png = pngs.get(Number(size));
    if (!png) throw new Error(`icns: no ${size}px image`);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(8 + png.length, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + chunks.reduce((n, c) => n + c.length, 0), 4);
  return Buffer.concat([head, ...chunks]);
}

function main(): void {
  const dir = path.dirname(fileURLToPath(import.meta.url));
  const pngs = new Map(PNG_SIZES.map((size) => [size, iconPng(size)] as const));
  mkdirSync(path.join(dir, 'icons'), { recursive: true });
  for (const [size, png] of pngs) writeFileSync(path.join(dir, 'icons', `${size}x${size}.png`), png);
  writeFileSync(path.join(dir, 'icon.png'), pngs.get(512)!);
  writeFileSync(path.join(dir, 'icon.ico'), encodeIco(new Map(ICO_SIZES.map((s) => [s, pngs.get(s)!]))));
  writeFileSync(path.join(dir, 'icon.icns'), encodeIcns(pngs));
  process.stdout.write(`wrote ${pngs.size} PNGs, icon.png, icon.ico and icon.icns to ${dir}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
