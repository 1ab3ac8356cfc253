import vue from '@vitejs/plugin-vue';
import { defineProject } from 'vitest/config';

/** Renderer component and store tests: happy-dom, Vue single-file components. */
export default defineProject({
  plugins: [vue()],
  test: {
    name: 'renderer',
    root: new URL('.', import.meta.url).pathname,
    include: ['src/**/*.test.ts'],
    environment: 'happy-dom',
  },
});
