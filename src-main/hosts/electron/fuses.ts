import { FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire, type FuseConfig } from '@electron/fuses';
import path from 'node:path';

/**
 * The Electron fuses of the packaged studio: switches compiled into the Electron binary that
 * no command-line flag or environment variable can turn back on. Flipped after packaging
 * (electron-builder `afterPack`: bin/electron-after-pack.mjs; see docs/packaging.md).
 */
export const STUDIO_FUSES = {
  version: FuseVersion.V1,
  // Without these, anyone who can start the app can run it as a plain Node.js with its rights.
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // Only the signed app.asar is loaded, and only if its hash matches the one in the binary.
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
} satisfies FuseConfig;

/** The file holding the fuse wire in a packaged app folder (`appOutDir` of electron-builder). */
export function electronBinaryIn(appOutDir: string, platform: string, productName: string): string {
  if (platform === 'darwin' || platform === 'mas') return path.join(appOutDir, `${productName}.app`);
  if (platform === 'win32') return path.join(appOutDir, `${productName}.exe`);
  return path.join(appOutDir, productName.toLowerCase().replace(/\s+/g, '-'));
}

/** Flip the studio's fuses in `electronBinary` and read them back; throws when one did not take. */
export async function applyStudioFuses(electronBinary: string, options: { resetAdHocDarwinSignature?: boolean } = {}): Promise<void> {
  await flipFuses(electronBinary, { ...STUDIO_FUSES, resetAdHocDarwinSignature: options.resetAdHocDarwinSignature });
  const wire = await getCurrentFuseWire(electronBinary);
  for (const [key, wanted] of Object.entries(STUDIO_FUSES)) {
    if (key === 'version') continue;
    const state = wire[Number(key) as FuseV1Options];
    // FuseState: '1' (49) on, '0' (48) off.
    if (state !== (wanted ? 49 : 48)) throw new Error(`Electron fuse ${FuseV1Options[Number(key)]} did not take in ${electronBinary}`);
  }
}
