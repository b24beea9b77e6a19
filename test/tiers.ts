// The two test tiers (vitest.config.ts makes them projects; test/tiers.test.ts holds them).
//
// unit: in-process, no spawned `papers`, a fixed clock: `npm run test:unit`, the loop a
//   developer runs after each edit (under 60 s on a 2-core machine).
// system: what ships, run as users run it: the built CLI (bin/papers.js, dist/ and its code
//   cache) as real processes, in a pseudo-terminal where a terminal matters; crashes,
//   concurrency, permissions, the programs papers' output meets (Chromium, bibtex), the
//   real days of ../shared and the long reliability runs. `npm test` runs both.
//
// A file is system if it is under test/system/ or named here; everything else is unit.
export const SYSTEM_TESTS = [
  'test/system/**/*.test.ts',
  'test/bin.test.ts',
  'test/output-errors.test.ts',
  'test/permissions.test.ts',
  'test/bibtex-safety.test.ts',
  'test/keepup-digest-html.test.ts',
  'test/real-days.test.ts',
  'test/reliability-*.test.ts',
  'test/bench-floors.test.ts',
  'test/library-bundle.test.ts',
  'test/fulltext-bin.test.ts',
  'test/hostile-files.test.ts',
  'test/reader-help.test.ts',
  // These spawn bin/papers.js (or runPapers/spawnPapers) next to their in-process tests.
  'test/hide.test.ts',
  'test/migrations.test.ts',
  'test/reader-digest-email.test.ts',
  'test/reader-open-completion.test.ts',
  'test/runner.test.ts',
];
