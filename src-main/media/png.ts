import { PNG } from 'pngjs';

/** An 8-bit RGB image, pixels interleaved row by row. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array; // length = width * height * 3
}

/** Encode RGB bytes as a PNG. Deterministic: same pixels give the same bytes. */
export function encodePng(image: RgbImage): Buffer {
  const { width, height, data } = image;
  if (data.length !== width * height * 3) {
    throw new Error(`encodePng: expected ${width * height * 3} bytes for ${width}×${height} RGB, got ${data.length}`);
  }
  const png = new PNG({ width, height, colorType: 2, inputColorType: 2, inputHasAlpha: false });
  png.data = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false });
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
export function decodePngGray(bytes: Buffer | Uint8Array): { width: number; height: number; data: Float32Array } {
  const png = PNG.sync.read(Buffer.from(bytes));
  const { width, height } = png;
  const out = new Float32Array(width * height);
  for (let i = 0, j = 0; i < width * height; i++, j += 4) {
    const mean = (png.data[j] + png.data[j + 1] + png.data[j + 2]) / (3 * 255);
    out[i] = mean * (png.data[j + 3] / 255);
  }
  return { width, height, data: out };
}
