// Exact output of every read command, as a terminal sees it and as a pipe does (gh's
// heredoc tests of TTY and non-TTY output). The archive is the hand-written fixtures
// imported under a fixed clock, 80 columns, no colour: a change to any layout shows here
// as a diff of test/golden/*.txt (update deliberately with `npx vitest run -u`).
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from './helpers/fixtures.js';
import { runCli, tempHome } from './helpers/run-cli.js';

const NOW = '2025-06-26T09:00:00Z';
const DAYS = ['2024-06-13', '2024-06-15', '2024-06-19', '2025-03-17', '2025-05-22', '2025-06-25', '2025-10-14'];
let home = '';

beforeAll(async () => {
  home = tempHome();
  const files = DAYS.map((d) => join(FIXTURES, `${d}.json`));
  const r = await runCli(['import', ...files], { home, now: '2025-10-15T09:00:00Z' });
  expect(r.exitCode, r.stderr).toBe(0);
  const w = await runCli(['watch', 'add', 'models', '-k', 'model', '-k', 'models', '--any'], { home, now: NOW });
  expect(w.exitCode, w.stderr).toBe(0);
  // One star with tags: show and library export print them.
  const s = await runCli(['star', '2506.19033', '--tag', 'video', '--tag', '3d'], { home, now: NOW });
  expect(s.exitCode, s.stderr).toBe(0);
});

/** The archive's path and size vary by run, its schema version by release; nothing else may. */
function normalise(s: string): string {
  return s
    .split(home)
    .join('$HOME')
    .replace(/\(\d+(\.\d+)? (B|KiB|MiB)\)/g, '(SIZE)')
    .replace(/schema version \d+ \(current\)/, 'schema version N (current)')
    .replace(/permissions: \S+ can write the archive/, 'permissions: USER can write the archive');
}

const CASES: [string, string[]][] = [
  ['today', ['today', '--offline', '--date', '2025-03-17']],
  ['today-abstract', ['today', '--offline', '--date', '2025-06-25', '--abstract', '-n', '1']],
  ['list', ['list', '--since', '2024-06-01', '-n', '6']],
  ['list-filtered', ['list', '-k', 'model', '--abstract', '-n', '2']],
  ['list-empty', ['list', '-k', 'nothing-matches-this']],
  ['search', ['search', 'video', 'diffusion', '-n', '3']],
  ['show', ['show', '2506.19033']],
  ['status', ['status']],
  ['grep', ['grep', '-i', 'video|agent', '-m', '2']],
  ['similar', ['similar', '2506.19033', '-n', '3']],
  ['stats', ['stats', '--since', '2025-01-01', '--until', '2025-06-30']],
  ['new', ['new', '--since', '2025-06-01']],
  ['watch-list', ['watch', 'list']],
  ['watch-show', ['watch', 'show', 'models', '-n', '2']],
  ['digest', ['digest', '--since', '2025-05-01']],
  ['export', ['export', '--date', '2025-03-17', '--no-abstract']],
  ['doctor', ['doctor']],
  ['library-export', ['library', 'export', '--no-abstract']],
  ['library-export-csl', ['library', 'export', '--format', 'csl-json', '--no-abstract']],
  ['completion', ['completion', 'fish']],
];

describe.each([
  ['tty', true],
  ['piped', false],
])('exact output, %s', (mode, tty) => {
  it.each(CASES)('%s', async (name, argv) => {
    const r = await runCli(argv, { home, tty, now: NOW, columns: 80 });
    const out = `$ papers ${argv.join(' ')}\n--- exit ${r.exitCode}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
    await expect(normalise(out)).toMatchFileSnapshot(`golden/${name}.${mode}.txt`);
  });
});
