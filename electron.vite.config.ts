import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import { rendererConfig } from './src-renderer/vite.config';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * `electron-vite build` → out/main (the main process and, as its own entry, the engine worker
 * thread), out/preload (sandboxed preload, CommonJS as sandboxing requires) and out/renderer
 * (the studio UI, same config as the web host's build). onnxruntime-node stays external: its
 * native binaries are loaded from node_modules at run time (see docs/packaging.md for asarUnpack).
 */
export default defineConfig({
  main: {
    build: {
      outDir: `${root}out/main`,
      externalizeDeps: { include: ['onnxruntime-node'] },
      rollupOptions: {
        input: {
          index: `${root}src-main/hosts/electron/main.ts`,
          // The worker with project jobs (render, plan) as well as the engine's own.
          'engine-worker': `${root}src-main/services/engine-worker.ts`,
        },
        external: ['onnxruntime-node', /^onnxruntime-node\//],
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: `${root}out/preload`,
      rollupOptions: {
        input: { preload: `${root}src-main/hosts/electron/preload.ts` },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: rendererConfig,
});
