import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // ONNX Runtime sessions are CPU heavy; two cores are all CI has.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'main', include: ['src-main/**/*.test.ts', 'test/**/*.test.ts'], environment: 'node' },
      },
      'src-renderer/vitest.config.ts',
    ],
  },
});
