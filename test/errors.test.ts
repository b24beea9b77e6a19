// Bad input and broken environments: one `error:` line (and a hint where useful), no
// stack trace, exit 2 for what the user typed, exit 1 for what the world did.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { fixturePath, stackLines } from './helpers/fixtures.js';
import { runCli, tempHome } from './helpers/run-cli.js';

const NOW = '2025-03-17T12:00:00Z';

/** stderr: exactly one error line, optionally one hint line, no stack. */
function expectOneError(stderr: string, message: RegExp | string) {
  const lines = stderr.trimEnd().split('\n');
  expect(stackLines(stderr)).toEqual([]);
  expect(lines.filter((l) => l.startsWith('error:'))).toHaveLength(1);
  expect(lines.length).toBeLessThanOrEqual(2);
  if (lines[1] !== undefined) expect(lines[1]).toMatch(/^hint: /);
  if (typeof message === 'string') expect(lines[0]).toBe(message);
  else expect(lines[0]).toMatch(message);
}

describe('usage errors: exit 2', () => {
  it.each([
    [['sync', '--date', '2024-02-30'], 'error: invalid --date: "2024-02-30"'],
    [['sync', '--date', '24-1-1'], 'error: invalid --date: "24-1-1"'],
    [['today', '--date', '2024-02-30'], 'error: invalid --date: "2024-02-30"'],
    [['import', '--date', '2023-13-01', 'x.json'], 'error: invalid --date: "2023-13-01"'],
    [
      ['sync', '--since', '2025-03-10', '--until', '2025-03-01'],
      'error: --since 2025-03-10 is after --until 2025-03-01',
    ],
    [['sync', '--since', '2025-04-01'], 'error: 2025-04-01 is in the future (today is 2025-03-17 UTC)'],
    [['sync', '--until', '2025-03-01'], 'error: --until needs --since'],
    [['today', '--max-age', 'soon'], 'error: invalid --max-age: "soon"'],
    [['sync', '--wait', 'forever'], 'error: invalid --wait: "forever"'],
  ])('%j', async (argv, message) => {
    const home = tempHome();
    const r = await runCli(argv, { home, now: NOW });
    expect(r.exitCode).toBe(2);
    expectOneError(r.stderr, message);
    expect(r.stdout).toBe('');
  });

  it.each([
    [['frobnicate'], /^error: unknown command 'frobnicate'/],
    [['sync', '--frob'], /^error: unknown option '--frob'/],
    [['--nope', 'status'], /^error: unknown option '--nope'/],
    [
      ['sync', '--concurrency', '0'],
      /^error: option '-c, --concurrency <n>' argument '0' is invalid\. --concurrency must be a whole number from 1 to 32/,
    ],
    [['sync', '--concurrency', 'many'], /^error: option '-c, --concurrency <n>' argument 'many' is invalid/],
    [['sync', '--days', '0'], /^error: option '--days <n>' argument '0' is invalid/],
    [['sync', '--via', 'ftp'], /^error: option '--via <how>' argument 'ftp' is invalid/],
    [['import'], /^error: missing required argument 'files'/],
  ])('%j', async (argv, message) => {
    const home = tempHome();
    const r = await runCli(argv, { home, now: NOW });
    expect(r.exitCode).toBe(2);
    expect(stackLines(r.stderr)).toEqual([]);
    expect(r.stderr.split('\n')[0]).toMatch(message);
    expect(r.stdout).toBe('');
    // nothing was created for a command that never ran
    expect(readdirSync(home)).toEqual([]);
  });

  it('never touches the network or the archive', async () => {
    const home = tempHome();
    const r = await runCli(['sync', '--date', '2024-02-30'], {
      home,
      now: NOW,
      env: { HF_ENDPOINT: 'http://127.0.0.1:9' },
    });
    expect(r.exitCode).toBe(2);
    expect(existsSync(join(home, 'papers.db'))).toBe(false);
  });
});

describe('runtime failures: exit 1', () => {
  it('an unreachable endpoint: the message names HF_ENDPOINT', async () => {
    const home = tempHome();
    const r = await runCli(['sync', '--date', '2025-03-14'], {
      home,
      now: NOW,
      env: { HF_ENDPOINT: 'http://127.0.0.1:9' },
    });
    expect(r.exitCode).toBe(1);
    expect(stackLines(r.stderr)).toEqual([]);
    // One error for the host, not one per day (issue 11.5).
    expectOneError(r.stderr, 'error: cannot reach 127.0.0.1:9 (connection refused): 1 day not fetched');
    expect(r.stderr).toContain('hint: check HF_ENDPOINT (http://127.0.0.1:9) and the network');
  });

  it('a database path that cannot be created: the message names it', async () => {
    const home = tempHome();
    const file = join(home, 'a-file');
    writeFileSync(file, 'x');
    const db = join(file, 'sub', 'papers.db');
    for (const argv of [
      ['sync', '--date', '2025-03-14'],
      ['today', '--offline'],
    ]) {
      const r = await runCli(['--db', db, ...argv], { home, now: NOW });
      expect(r.exitCode).toBe(1);
      expectOneError(
        r.stderr,
        new RegExp(`^error: cannot create the folder ${join(file, 'sub')} for the archive ${db}: `),
      );
    }
  });

  it('PAPERS_DB whose folder cannot be made (a name too long): named, exit 1', async () => {
    const home = tempHome();
    const dir = join(home, 'x'.repeat(300));
    const db = join(dir, 'papers.db');
    const r = await runCli(['today', '--offline'], { home, now: NOW, env: { PAPERS_DB: db } });
    expect(r.exitCode).toBe(1);
    expectOneError(
      r.stderr,
      `error: cannot create the folder ${dir} for the archive ${db}: ENAMETOOLONG: name too long, mkdir '${dir}'`,
    );
  });

  it('a file that is not SQLite at the database path is left byte for byte untouched', async () => {
    const home = tempHome();
    const db = join(home, 'papers.db');
    const bytes = Buffer.from('name,notes\nthis is a CSV file, not an archive\n\u0000\u0001\u0002', 'utf8');
    writeFileSync(db, bytes);
    for (const argv of [
      ['status'],
      ['sync', '--date', '2025-03-14'],
      ['today'],
      // A body that reads (import reads its files before it opens the archive, issue 23.1).
      ['import', '--date', '2025-03-14', fixturePath('2025-03-17.json')],
    ]) {
      const r = await runCli(argv, { home, now: NOW });
      expect(r.exitCode).toBe(1);
      expectOneError(r.stderr, `error: ${db} is not a papers archive (not a SQLite database); it was left untouched`);
      expect(readFileSync(db)).toEqual(bytes);
    }
    // no journal, WAL, lock or any other file appeared beside it
    expect(readdirSync(home)).toEqual(['papers.db']);
  });

  it("another program's SQLite database at the path is refused and left byte for byte untouched", async () => {
    const home = tempHome();
    const db = join(home, 'papers.db');
    const other = new Database(db);
    other.exec(`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('keep me')`);
    other.close();
    const bytes = readFileSync(db);
    const r = await runCli(['sync', '--date', '2025-03-14'], { home, now: NOW });
    expect(r.exitCode).toBe(1);
    expectOneError(
      r.stderr,
      `error: ${db} is a SQLite database of something else, not a papers archive; it was left untouched`,
    );
    expect(readFileSync(db)).toEqual(bytes);
    expect(readdirSync(home)).toEqual(['papers.db']);
  });
});
