import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Debian's Chromium ships SwiftShader, a software Vulkan that Dawn accepts (Mesa's llvmpipe it refuses). */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/**
 * The environment under which the WebGPU EP runs on a GPU-less machine (CI). `.ci/run` exports
 * the same; tests call this so a plain `npx vitest` works too. It must run before the first
 * WebGPU session of the process: the Vulkan loader reads VK_ICD_FILENAMES once.
 */
export function swiftShaderEnv(): { VK_ICD_FILENAMES: string; XDG_RUNTIME_DIR: string } {
  if (!existsSync(SWIFTSHADER_ICD)) {
    throw new Error(`SwiftShader's Vulkan driver is missing (${SWIFTSHADER_ICD}): install Debian's chromium package (bash .ci/run does).`);
  }
  const runtimeDir = process.env.XDG_RUNTIME_DIR || path.join(os.tmpdir(), `lbs-xdg-${process.getuid?.() ?? 0}`);
  mkdirSync(runtimeDir, { recursive: true, mode: 0o700 });
  return { VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES || SWIFTSHADER_ICD, XDG_RUNTIME_DIR: runtimeDir };
}

export function useSwiftShader(): void {
  Object.assign(process.env, swiftShaderEnv());
}
