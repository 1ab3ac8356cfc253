import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fingerprintModelFolder } from './fingerprint';

describe('fingerprintModelFolder', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lbs-fp-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function makeModel(root: string, unetBytes: Buffer) {
    await mkdir(path.join(root, 'unet'), { recursive: true });
    await writeFile(path.join(root, 'model_index.json'), '{"_class_name": "StableDiffusionPipeline"}');
    await writeFile(path.join(root, 'unet', 'model.onnx'), unetBytes);
  }

  it('survives copying the folder and ignores hidden files, but sees content and size changes', async () => {
    // 200 KiB so the head and tail samples do not overlap.
    const weights = Buffer.alloc(200 * 1024, 7);
    const a = path.join(dir, 'a');
    await makeModel(a, weights);
    const base = await fingerprintModelFolder(a);

    const copy = path.join(dir, 'copy');
    await cp(a, copy, { recursive: true });
    await writeFile(path.join(copy, '.DS_Store'), 'junk');
    expect(await fingerprintModelFolder(copy)).toBe(base);

    const tailEdit = Buffer.from(weights);
    tailEdit[tailEdit.length - 1] = 8;
    await makeModel(path.join(dir, 'tail'), tailEdit);
    expect(await fingerprintModelFolder(path.join(dir, 'tail'))).not.toBe(base);

    await makeModel(path.join(dir, 'longer'), Buffer.concat([weights, Buffer.alloc(1, 7)]));
    expect(await fingerprintModelFolder(path.join(dir, 'longer'))).not.toBe(base);

    await writeFile(path.join(copy, 'extra.onnx_data'), 'x');
    expect(await fingerprintModelFolder(copy)).not.toBe(base);
  });

  it('explains a missing or wrong model folder', async () => {
    await expect(fingerprintModelFolder(path.join(dir, 'nope'))).rejects.toThrow(/does not exist/);
    await writeFile(path.join(dir, 'file.onnx'), 'x');
    await expect(fingerprintModelFolder(path.join(dir, 'file.onnx'))).rejects.toThrow(/is a file/);
  });

  it('follows symlinks, so a Hugging Face cache snapshot (links to blobs) has the fingerprint of the same files copied', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'lbs-fp-'));
    mkdirSync(path.join(root, 'blobs'));
    writeFileSync(path.join(root, 'blobs', 'a'), 'unet weights');
    writeFileSync(path.join(root, 'blobs', 'b'), '{"_class_name":"x"}');
    const snapshot = path.join(root, 'snapshot');
    mkdirSync(path.join(snapshot, 'unet'), { recursive: true });
    symlinkSync(path.join('..', '..', 'blobs', 'a'), path.join(snapshot, 'unet', 'model.onnx'));
    symlinkSync(path.join('..', 'blobs', 'b'), path.join(snapshot, 'model_index.json'));
    const copy = path.join(root, 'copy');
    cpSync(snapshot, copy, { recursive: true, dereference: true });
    expect(await fingerprintModelFolder(snapshot)).toBe(await fingerprintModelFolder(copy));
    writeFileSync(path.join(root, 'blobs', 'a'), 'other weights');
    expect(await fingerprintModelFolder(snapshot)).not.toBe(await fingerprintModelFolder(copy));
  });
});
