import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { STUDIO_FUSES, applyStudioFuses, electronBinaryIn } from './fuses';

/** The marker Electron puts before its fuse wire (@electron/fuses' constants, not exported by its index). */
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/** A stand-in for the Electron binary: bytes around the fuse wire as Electron lays it out (sentinel, version, length, one byte per fuse). */
function fakeElectron(fuses: string): Buffer {
  return Buffer.concat([Buffer.from('\x7fELF…code…'), Buffer.from(SENTINEL), Buffer.from([1, fuses.length]), Buffer.from(fuses), Buffer.from('…more code')]);
}

describe('Electron fuses of the packaged studio', () => {
  it('turns off running as Node, NODE_OPTIONS and inspect, and turns on asar-only loading with integrity checks', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lbs-fuses-'));
    try {
      const binary = path.join(dir, 'latent-blending-studio');
      // Electron ships with RunAsNode, NODE_OPTIONS and inspect on, asar-only and integrity off.
      await writeFile(binary, fakeElectron('10110001'));
      await applyStudioFuses(binary);
      const wire = await getCurrentFuseWire(binary);
      const on = (o: FuseV1Options) => wire[o] === 49;
      expect(on(FuseV1Options.RunAsNode)).toBe(false);
      expect(on(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe(false);
      expect(on(FuseV1Options.EnableNodeCliInspectArguments)).toBe(false);
      expect(on(FuseV1Options.OnlyLoadAppFromAsar)).toBe(true);
      expect(on(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe(true);
      expect(on(FuseV1Options.GrantFileProtocolExtraPrivileges)).toBe(false);
      // Every fuse this version of Electron has is set explicitly.
      expect(Object.keys(STUDIO_FUSES).filter((k) => k !== 'version').map(Number).sort()).toEqual([0, 1, 2, 3, 4, 5, 7]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails loudly on a file that is not an Electron binary', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lbs-fuses-'));
    try {
      const binary = path.join(dir, 'not-electron');
      await writeFile(binary, 'just some file');
      await expect(applyStudioFuses(binary)).rejects.toThrow(/sentinel/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('finds the binary electron-builder packed on each platform', () => {
    expect(electronBinaryIn('/out/mac', 'darwin', 'Latent Blending Studio')).toBe('/out/mac/Latent Blending Studio.app');
    expect(electronBinaryIn('/out/win', 'win32', 'Latent Blending Studio')).toBe('/out/win/Latent Blending Studio.exe');
    expect(electronBinaryIn('/out/linux', 'linux', 'Latent Blending Studio')).toBe('/out/linux/latent-blending-studio');
  });
});
