// electron-builder `afterPack` hook: flips the studio's Electron fuses (src-main/hosts/electron/fuses.ts)
// in the packaged binary. In electron-builder.yml: `afterPack: ./bin/electron-after-pack.mjs`.
import { register } from 'tsx/esm/api';

register();
const { applyStudioFuses, electronBinaryIn } = await import('../src-main/hosts/electron/fuses.ts');

export default async function afterPack(context) {
  const binary = electronBinaryIn(context.appOutDir, context.electronPlatformName, context.packager.appInfo.productFilename);
  await applyStudioFuses(binary, { resetAdHocDarwinSignature: context.electronPlatformName === 'darwin' && context.arch === 3 /* arm64 */ });
}
