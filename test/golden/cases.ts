// The golden cases: one command line each, run as a terminal and piped, in-process
// (test/output-golden.test.ts writes test/golden/NAME.MODE.txt) and through the built CLI
// (test/system/golden-built.test.ts compares with the same file, byte for byte).
// Every command has one (test/docs.test.ts checks). To add one: a line here, then
// `npx vitest run -u test/output-golden.test.ts` and read the new files.
import type { GoldenCase } from '../helpers/golden.js';

export const CASES: GoldenCase[] = [
  { name: 'today', argv: ['today', '--offline', '--date', '2025-03-17'] },
  { name: 'today-abstract', argv: ['today', '--offline', '--date', '2025-06-25', '--abstract', '-n', '1'] },
  { name: 'list', argv: ['list', '--since', '2024-06-01', '-n', '6'] },
  { name: 'list-filtered', argv: ['list', '-k', 'model', '--abstract', '-n', '2'] },
  { name: 'list-empty', argv: ['list', '-k', 'nothing-matches-this'] },
  { name: 'search', argv: ['search', 'video', 'diffusion', '-n', '3'] },
  { name: 'show', argv: ['show', '2506.19033'] },
  { name: 'status', argv: ['status'] },
  { name: 'grep', argv: ['grep', '-i', 'video|agent', '-m', '2'] },
  { name: 'similar', argv: ['similar', '2506.19033', '-n', '3'] },
  { name: 'stats', argv: ['stats', '--since', '2025-01-01', '--until', '2025-06-30'] },
  { name: 'new', argv: ['new', '--since', '2025-06-01'] },
  { name: 'watch-list', argv: ['watch', 'list'] },
  { name: 'watch-show', argv: ['watch', 'show', 'models', '-n', '2'] },
  { name: 'digest', argv: ['digest', '--since', '2025-05-01'] },
  { name: 'export', argv: ['export', '--date', '2025-03-17', '--no-abstract'] },
  { name: 'doctor', argv: ['doctor'] },
  { name: 'library-export', argv: ['library', 'export', '--no-abstract'] },
  { name: 'library-export-csl', argv: ['library', 'export', '--format', 'csl-json', '--no-abstract'] },
  { name: 'completion', argv: ['completion', 'fish'] },
  // Piped, the URL; on a terminal the browser is started: here `true`, which opens nothing.
  { name: 'open', argv: ['open', '2506.19033'], env: { BROWSER: 'true' } },
  // Commands that change the archive run on a copy of it of their own (every case does).
  { name: 'star', argv: ['star', '2503.11002', '--tag', 'video'] },
  { name: 'unstar', argv: ['unstar', '2506.19033'], setup: [['star', '2506.19033']] },
  {
    name: 'library',
    argv: ['library'],
    setup: [
      ['star', '2506.19033', '--tag', 'video'],
      ['star', '2503.11002'],
    ],
  },
  {
    name: 'recommend',
    argv: ['recommend', '--since', '2024-06-01', '-n', '3'],
    setup: [['star', '2506.19033', '2503.11002', '2506.18800']],
  },
  { name: 'source-list', argv: ['source', 'list'], setup: [['source', 'add', 'arxiv:cs.LG']] },
  { name: 'import', argv: ['import', '$FIXTURES/hf-daily/2024-07-01.json'] },
  { name: 'sync', argv: ['sync', '--date', '2024-07-01'] },
  { name: 'add', argv: ['add', '2411.17700'] },
  { name: 'hide', argv: ['hide', '2506.19033', '2503.11002'] },
  { name: 'unhide', argv: ['unhide', '2506.19033'], setup: [['hide', '2506.19033']] },
  // A real PDF from the golden world's arXiv (../shared/arxiv-samples/pdf/0908.0054v1.pdf).
  { name: 'fetch', argv: ['fetch', '0908.0054'] },
  { name: 'read', argv: ['read', '0908.0054', '--page', '1'], setup: [['fetch', '0908.0054']] },
];
