// Issue 11.4: a mistyped archive path is an error, not a new empty archive. Read
// commands (and those that only update an archive) say so and create no file and no
// folder; sync, import and today create it.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from './helpers/fixtures.js';
import { runCli, tempHome } from './helpers/run-cli.js';

const READERS: string[][] = [
  ['list'],
  ['search', 'x'],
  ['show', '2406.12345'],
  ['export'],
  ['new'],
  ['new', '--mark-seen'],
  ['digest'],
  ['stats'],
  ['similar', '2406.12345'],
  ['grep', 'x'],
  ['status'],
  ['doctor'],
  ['watch', 'list'],
];

describe('a path with no archive', () => {
  it.each(READERS)('%s: exit 1, "no archive at PATH", nothing created', async (...argv) => {
    const home = tempHome();
    const db = join(home, 'typo', 'papres.db');
    const r = await runCli(['--db', db, ...argv], { home });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `error: no archive at ${db}\nhint: \`papers sync\` creates it; or check --db and PAPERS_DB\n`,
    );
    expect(readdirSync(home)).toEqual([]);
  });

  it('sync, import and today create it', async () => {
    for (const argv of [
      ['today', '--offline'],
      ['import', join(FIXTURES, '2025-03-17.json')],
    ]) {
      const home = tempHome();
      const db = join(home, 'new', 'papers.db');
      const r = await runCli(['--db', db, ...argv], { home, now: '2025-03-18T00:00:00Z' });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(existsSync(db)).toBe(true);
    }
  });
});
