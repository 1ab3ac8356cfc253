/** zlib settings of every IDAT: part of what makes the bytes (and so content addresses) stable. */
export const PNG_DEFLATE = { level: 1 } as const;

/**
 * The scanlines with a Paeth filter byte each: what IDAT compresses. Self-contained (no
 * reference outside its body): the encoder threads run this very function from its source text.
 */
export function filterRows(width: number, height: number, data: Uint8Array): Uint8Array {
  const stride = width * 3;
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * stride;
    const out = y * (stride + 1) + 1;
    raw[out - 1] = 4; // Paeth filter on every row
    if (y === 0) {
      // No row above: Paeth reduces to "Sub".
      for (let x = 0; x < 3 && x < stride; x++) raw[out + x] = data[x];
      for (let x = 3; x < stride; x++) raw[out + x] = (data[x] - data[x - 3]) & 0xff;
      continue;
    }
    const up = row - stride;
    for (let x = 0; x < 3 && x < stride; x++) raw[out + x] = (data[row + x] - data[up + x]) & 0xff;
    for (let x = 3; x < stride; x++) {
      const a = data[row + x - 3];
      const b = data[up + x];
      const c = data[up + x - 3];
      let pa = b - c;
      let pb = a - c;
      let pc = pa + pb;
      pa = pa < 0 ? -pa : pa;
      pb = pb < 0 ? -pb : pb;
      pc = pc < 0 ? -pc : pc;
      const predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      raw[out + x] = (data[row + x] - predictor) & 0xff;
    }
  }
  return raw;
}
