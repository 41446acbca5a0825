import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: [
      {
        find: /^clientele\/testing$/,
        replacement: fileURLToPath(new URL('./src/testing.ts', import.meta.url)),
      },
      {
        find: /^clientele\/http$/,
        replacement: fileURLToPath(new URL('./src/http/index.ts', import.meta.url)),
      },
      {
        find: /^clientele$/,
        replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)),
      },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
