import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Only catches a stuck test, never a speed check: on a busy 2-core machine the example movies
    // and CLI renders took 40–60 s (they took 15–25 s idle), so the bound leaves room for load.
    testTimeout: 300_000,
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
