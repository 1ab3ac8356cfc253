import { readFile } from 'node:fs/promises';
import { crc32, deflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { MediaError } from './errors';
import { PNG_DEFLATE, filterRows } from './png-filter';
import { defaultPngEncoderPool } from './png-encoder-pool';

import type { GrayImage, RgbImage } from '../engine/image';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** True when the bytes start like a PNG file (a cheap check before storing or decoding them). */
export function hasPngSignature(bytes: Uint8Array): boolean {
  return bytes.length >= PNG_SIGNATURE.length && PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * Encode RGB bytes as a PNG. Deterministic: same pixels give the same bytes.
 *
 * Written by hand rather than through pngjs because every rendered frame passes through here
 * (cache, player, frame folders): pngjs's per-row adaptive filter search costs ~35 ms for a
 * 512² frame; one fixed Paeth filter plus zlib's fastest level costs a third of that and
 * compresses a little better on our smooth images.
 */
export function encodePng(image: RgbImage): Buffer {
  checkRgbImage(image);
  return assemblePng(image, deflateSync(filterRows(image.width, image.height, image.data), PNG_DEFLATE));
}

/**
 * The same bytes as encodePng, filtered and compressed on an encoder thread
 * (png-encoder-pool.ts): the render's thread only copies the pixels over and goes back to
 * feeding the UNet.
 */
export async function encodePngAsync(image: RgbImage): Promise<Buffer> {
  checkRgbImage(image);
  return assemblePng(image, await defaultPngEncoderPool().idat(image));
}

function checkRgbImage({ width, height, data }: RgbImage): void {
  if (data.length !== width * height * 3) {
    throw new Error(`encodePng: expected ${width * height * 3} bytes for ${width}×${height} RGB, got ${data.length}`);
  }
}

function assemblePng({ width, height }: RgbImage, idat: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', header), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

/** Decode any PNG to 8-bit RGB (alpha composited over black is not wanted: alpha is dropped). */
export function decodePng(bytes: Buffer | Uint8Array): RgbImage {
  const png = PNG.sync.read(Buffer.from(bytes));
  const { width, height } = png;
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; i < width * height; i++, j += 4) {
    rgb[i * 3] = png.data[j];
    rgb[i * 3 + 1] = png.data[j + 1];
    rgb[i * 3 + 2] = png.data[j + 2];
  }
  return { width, height, data: rgb };
}

/** Decode a PNG to a single channel in [0, 1] (mean of RGB, alpha multiplied in), e.g. for masks. */
export function decodePngGray(bytes: Buffer | Uint8Array): GrayImage {
  const png = PNG.sync.read(Buffer.from(bytes));
  const { width, height } = png;
  const out = new Float32Array(width * height);
  for (let i = 0, j = 0; i < width * height; i++, j += 4) {
    const mean = (png.data[j] + png.data[j + 1] + png.data[j + 2]) / (3 * 255);
    out[i] = mean * (png.data[j + 3] / 255);
  }
  return { width, height, data: out };
}

/**
 * Read and decode a PNG file with errors a person can read: a damaged or cut-short file (pngjs
 * says "There are some read requests waiting on finished stream") is IMAGE_UNREADABLE naming
 * the file; file-system errors keep their Node.js shape for the host to put in words.
 */
export async function readPngFile(file: string): Promise<RgbImage> {
  const bytes = await readFile(file);
  try {
    return decodePng(bytes);
  } catch (error) {
    throw new MediaError('IMAGE_UNREADABLE', `The image ${file} is not a readable PNG (${bytes.length === 0 ? 'it is empty' : 'it is damaged or cut short'}).`, {
      hint: 'If it is a rendered frame, render again to replace it; if it is your image, save it again as PNG.',
      file,
      cause: error,
    });
  }
}
