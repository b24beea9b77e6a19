import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
// @ts-ignore: a plain ESM build helper without type declarations
import { viteCommandsPlugin } from './scripts/commands.mjs';
import { SYSTEM_TESTS } from './test/tiers.js';

const root = import.meta.dirname;
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  // The same build-time inputs as scripts/build.mjs: the version and the command registry.
  define: { __PAPERS_VERSION__: JSON.stringify(pkg.version) },
  plugins: [viteCommandsPlugin(root)],
  test: {
    setupFiles: ['test/helpers/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Spawned CLI processes and SQLite files: keep the 2-core CI machine unsaturated.
    maxWorkers: 2,
    // Two tiers (test/tiers.ts): `npm run test:unit` is the edit loop, `npm test` runs both.
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: SYSTEM_TESTS } },
      {
        extends: true,
        // The system tier runs the build: a dist/ older than src/ stops it before any test.
        // Its set-ups build archives from the real samples and spawn processes: on a loaded
        // 2-core machine one took over 30 s (bench-floors.test.ts), so they get longer.
        test: {
          name: 'system',
          include: SYSTEM_TESTS,
          globalSetup: ['test/helpers/system-setup.ts'],
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
