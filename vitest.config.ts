import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/helpers/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Spawned CLI processes and SQLite files: keep the 2-core CI machine unsaturated.
    maxWorkers: 2,
  },
});
