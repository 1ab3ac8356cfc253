import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type UserConfig } from 'vite';
import { cspMetaTag } from './csp-meta';

/**
 * The studio renderer's Vite config. Two users:
 * - `npx vite build --config src-renderer/vite.config.ts` builds the studio for the web host
 *   into `out/renderer` (what `latentblend serve` serves);
 * - electron.vite.config.ts spreads `rendererConfig` into its `renderer` section, so the
 *   Electron build uses the same root, plugins and output folder.
 */

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('..', import.meta.url));

export const rendererConfig: UserConfig = {
  root: here,
  // Relative asset URLs: the page loads from file:// or a custom protocol under Electron and
  // from the web host's root with a token query; absolute "/assets" would break the former.
  base: './',
  plugins: [vue(), cspMetaTag()],
  build: {
    outDir: `${repo}out/renderer`,
    emptyOutDir: true,
    target: 'es2022',
    // The contract (zod) is the largest dependency; one chunk keeps the CSP simple.
    chunkSizeWarningLimit: 1500,
    rollupOptions: { input: `${here}index.html` },
  },
  server: { fs: { allow: [repo] } },
};

export default defineConfig(rendererConfig);
