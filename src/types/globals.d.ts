/** Replaced at build time with package.json's version (scripts/build.mjs, vitest.config.ts). */
declare const __PAPERS_VERSION__: string;
