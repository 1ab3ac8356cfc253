/** An 8-bit RGB image, pixels interleaved row by row (what the VAE decodes to). */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array; // length = width * height * 3
}

/** A single-channel map in [0, 1], e.g. an inpainting mask (1 = regenerate, 0 = keep; thresholded at 0.5). */
export interface GrayImage {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
}
