import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { encodePng } from './png';
import { noiseImage } from './testing/noise-image';
import { PngEncoderPool } from './png-encoder-pool';


/** The encoder's result as a whole PNG, assembled the way encodePng does (signature, IHDR, IDAT, IEND). */
function idatOf(png: Buffer): Buffer {
  const length = png.readUInt32BE(33);
  expect(png.toString('ascii', 37, 41)).toBe('IDAT');
  return png.subarray(41, 41 + length);
}

const pools: PngEncoderPool[] = [];
function pool(options?: ConstructorParameters<typeof PngEncoderPool>[0]): PngEncoderPool {
  const p = new PngEncoderPool(options);
  pools.push(p);
  return p;
}
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

describe('PNG encoder pool', () => {
  it("compresses exactly the IDAT encodePng writes, for any size and for pixels that are a view into a larger buffer", async () => {
    const p = pool({ threads: 2 });
    const images = [noiseImage(1, 1, 3), noiseImage(33, 17, 5), noiseImage(512, 512, 8)];
    const big = new Uint8Array(7 + 20 * 10 * 3);
    big.set(noiseImage(20, 10, 4).data, 7);
    images.push({ width: 20, height: 10, data: big.subarray(7) });
    const idats = await Promise.all(images.map((image) => p.idat(image)));
    idats.forEach((idat, i) => expect(idat.equals(idatOf(encodePng(images[i])))).toBe(true));
    // The render keeps its image: posting copies the pixels, it does not move them.
    expect(images[2].data.byteLength).toBe(512 * 512 * 3);
    expect(p.pending).toBe(0);
  });

  it('fails the images of a thread that dies with PNG_ENCODER_FAILED, and starts a fresh thread for the next', async () => {
    const crashing = pool({ threads: 1, source: "require('node:worker_threads').parentPort.on('message', () => { throw new Error('boom'); });" });
    await expect(crashing.idat(noiseImage(4, 4, 1))).rejects.toMatchObject({ code: 'PNG_ENCODER_FAILED', message: expect.stringMatching(/boom.*not written/) });
    await expect(crashing.idat(noiseImage(4, 4, 1))).rejects.toMatchObject({ code: 'PNG_ENCODER_FAILED' });
    expect(crashing.pending).toBe(0);
    const exiting = pool({ threads: 1, source: 'process.exit(3)' });
    await expect(exiting.idat(noiseImage(4, 4, 1))).rejects.toMatchObject({ code: 'PNG_ENCODER_FAILED', message: expect.stringMatching(/exit code 3/) });
  });

  it('answers an encoding error inside the thread with PNG_ENCODER_FAILED and keeps serving', async () => {
    const source = `
      const { parentPort } = require('node:worker_threads');
      parentPort.on('message', ({ id, width }) => parentPort.postMessage(width === 1 ? { id, error: 'no memory' } : { id, idat: new Uint8Array([width]) }));`;
    const p = pool({ threads: 1, source });
    const [bad, good] = await Promise.allSettled([p.idat(noiseImage(1, 1, 1)), p.idat(noiseImage(2, 1, 1))]);
    expect(bad).toMatchObject({ status: 'rejected', reason: { code: 'PNG_ENCODER_FAILED', message: expect.stringMatching(/no memory/) } });
    expect(good).toMatchObject({ status: 'fulfilled', value: Buffer.from([2]) });
  });

  it('warm starts one thread ahead of the first image, which that thread then encodes', async () => {
    const p = pool({ threads: 2, source: `
      const { parentPort, threadId } = require('node:worker_threads');
      parentPort.on('message', ({ id }) => parentPort.postMessage({ id, idat: new Uint8Array([threadId & 255]) }));` });
    p.warm();
    p.warm();
    const first = await p.idat(noiseImage(1, 1, 1));
    // One image at a time: the warmed thread serves each, no second thread is started.
    const second = await p.idat(noiseImage(1, 1, 1));
    expect(second.equals(first)).toBe(true);
  });

  it('close fails what is pending, and a later image starts the pool again', async () => {
    const p = pool({ threads: 1 });
    const pending = p.idat(noiseImage(256, 256, 2));
    await p.close();
    await expect(pending).rejects.toMatchObject({ code: 'PNG_ENCODER_FAILED' });
    const image = noiseImage(8, 8, 2);
    expect((await p.idat(image)).equals(idatOf(encodePng(image)))).toBe(true);
  });

  it('never keeps a process alive once its images are encoded, and keeps it alive until they are', () => {
    // A script that encodes through the shared pool and never closes it: it must print and exit.
    const dir = mkdtempSync(join(tmpdir(), 'lbs-png-pool-'));
    const script = join(dir, 'encode.mts');
    const png = fileURLToPath(new URL('./png.ts', import.meta.url));
    const poolModule = fileURLToPath(new URL('./png-encoder-pool.ts', import.meta.url));
    writeFileSync(
      script,
      `import { createHash } from 'node:crypto';
       import { encodePngAsync } from ${JSON.stringify(png)};
       import { defaultPngEncoderPool } from ${JSON.stringify(poolModule)};
       // Started ahead (as a render's cache does) and used: neither may hold the process.
       defaultPngEncoderPool().warm();
       defaultPngEncoderPool().warm();
       const data = new Uint8Array(64 * 64 * 3).map((_, i) => (i * 7) & 255);
       encodePngAsync({ width: 64, height: 64, data }).then((b) => console.log(createHash('sha256').update(b).digest('hex')));`,
    );
    // The timeout only stops a hung child so the test can fail; it measures nothing.
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 120_000 });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    const data = new Uint8Array(64 * 64 * 3).map((_, i) => (i * 7) & 255);
    expect(child.stdout.trim()).toBe(createHash('sha256').update(encodePng({ width: 64, height: 64, data })).digest('hex'));
  });
});
