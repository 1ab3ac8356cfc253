import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprintModelFolder } from './fingerprint';

describe('fingerprintModelFolder', () => {
  it('follows symlinks, so a Hugging Face cache snapshot (links to blobs) has the fingerprint of the same files copied', async () => {
    const root = mkdtempSync(join(tmpdir(), 'lbs-fp-'));
    mkdirSync(join(root, 'blobs'));
    writeFileSync(join(root, 'blobs', 'a'), 'unet weights');
    writeFileSync(join(root, 'blobs', 'b'), '{"_class_name":"x"}');
    const snapshot = join(root, 'snapshot');
    mkdirSync(join(snapshot, 'unet'), { recursive: true });
    symlinkSync(join('..', '..', 'blobs', 'a'), join(snapshot, 'unet', 'model.onnx'));
    symlinkSync(join('..', 'blobs', 'b'), join(snapshot, 'model_index.json'));
    const copy = join(root, 'copy');
    cpSync(snapshot, copy, { recursive: true, dereference: true });
    expect(await fingerprintModelFolder(snapshot)).toBe(await fingerprintModelFolder(copy));
    writeFileSync(join(root, 'blobs', 'a'), 'other weights');
    expect(await fingerprintModelFolder(snapshot)).not.toBe(await fingerprintModelFolder(copy));
  });
});
