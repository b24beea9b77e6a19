/** The package version, injected at build time (scripts/build.mjs) and by vitest.config.ts. */
export const VERSION: string = __PAPERS_VERSION__;
