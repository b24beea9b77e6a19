// `papers doctor`: each finding on an archive broken on purpose, the repair command it
// prints (run as printed, it must clear the finding), --rebuild-index, --json and the
// exit codes. (A damaged file and a newer schema: see reliability-storage.test.ts.)
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { query, stackLines, useHfServer, type Entry } from './helpers/fixtures.js';
import { SCHEMA_VERSION } from '../src/db/migrations.js';
import { currentUser } from '../src/db/permissions.js';
import { dayEntries, dayList } from './helpers/reliability.js';
import { runCli, tempHome, type CliResult } from './helpers/run-cli.js';

// Mon 2025-03-03 .. Sun 2025-03-16: ten weekdays with lists, weekends empty.
const DAYS = dayList('2025-03-03', 14);
const WEEKEND = new Set(['2025-03-08', '2025-03-09', '2025-03-15', '2025-03-16']);
const served = new Map<string, Entry[]>(DAYS.filter((d) => !WEEKEND.has(d)).map((d) => [d, dayEntries(d, 8, 2)]));
const LATER = '2025-03-30T12:00:00Z'; // every day above has settled by then

const server = useHfServer((d: string) => served.get(d));
let home: string;
beforeEach(() => {
  server.faults.length = 0;
  home = tempHome();
});

function cli(argv: string[], now = LATER, opts: { tty?: boolean } = {}): Promise<CliResult> {
  return runCli(argv, { home, now, env: { HF_ENDPOINT: server.url }, ...opts });
}

interface Finding {
  check: string;
  ok: boolean;
  detail: string;
  repair?: string;
  days?: string[];
}

async function doctor(now = LATER): Promise<{ r: CliResult; findings: Finding[]; bad: Finding[] }> {
  const r = await cli(['doctor', '--json'], now);
  expect(stackLines(r.stderr)).toEqual([]);
  const out = JSON.parse(r.stdout) as { ok: boolean; db: string; findings: Finding[] };
  expect(out.db).toBe(join(home, 'papers.db'));
  expect(out.findings.map((f) => f.check)).toEqual([
    'integrity',
    'schema',
    'permissions',
    'fts',
    'gaps',
    'failed',
    'runs',
    'settling',
    'lists',
    'upvotes',
  ]);
  const bad = out.findings.filter((f) => !f.ok);
  expect(out.ok).toBe(bad.length === 0);
  expect(r.exitCode).toBe(bad.length ? 1 : 0);
  return { r, findings: out.findings, bad };
}

/** Runs a printed repair command (`papers sync ...` or `papers doctor ...`) as typed. */
async function runRepair(repair: string, now = LATER): Promise<CliResult> {
  const argv = repair.split(' ');
  expect(argv[0]).toBe('papers');
  const r = await cli(argv.slice(1), now);
  // doctor --rebuild-index exits 1 while other findings remain; a sync must succeed.
  if (argv[1] === 'doctor') expect(r.stderr).toBe('rebuilt the full-text index\n');
  else expect(r.exitCode, r.stderr).toBe(0);
  return r;
}

/** A whole fortnight synced well after it settled: nothing to report. */
async function healthy(): Promise<void> {
  const r = await cli(['sync', '--since', DAYS[0]!, '--until', DAYS[DAYS.length - 1]!]);
  expect(r.exitCode, r.stderr).toBe(0);
}

describe('papers doctor', () => {
  it('a sound archive: every check passes, exit 0, as a TTY and piped', async () => {
    await healthy();
    const { bad } = await doctor();
    expect(bad).toEqual([]);
    const piped = await cli(['doctor']);
    expect(piped.exitCode).toBe(0);
    expect(piped.stdout.split('\n').filter(Boolean)).toEqual([
      'ok integrity: SQLite integrity check passed',
      `ok schema: schema version ${SCHEMA_VERSION} (current)`,
      `ok permissions: ${currentUser().name} can write the archive and the files beside it`,
      'ok fts: full-text index matches the papers table',
      `ok gaps: no unsynced weekdays between ${DAYS[0]} and 2025-03-14`,
      'ok failed: no day whose last sync failed',
      'ok runs: the last feed and backfill of every source ended well',
      'ok settling: every past day was synced after it settled, or more than once',
      'ok lists: every list looked whole when last fetched',
      'ok upvotes: the upvotes of every listing day have settled',
    ]);
    const tty = await cli(['doctor'], LATER, { tty: true });
    expect(tty.stdout).toMatch(/✓.*integrity/);
    expect(tty.stdout).not.toMatch(/✗/);
  });

  it('an empty archive has nothing to repair; a missing one is named', async () => {
    const none = await cli(['doctor']);
    expect([none.exitCode, none.stderr.split('\n')[0]]).toEqual([1, `error: no archive at ${join(home, 'papers.db')}`]);
    expect((await cli(['today', '--offline'])).exitCode).toBe(0);
    const { bad, findings } = await doctor();
    expect(bad).toEqual([]);
    expect(findings.find((f) => f.check === 'gaps')!.detail).toBe('the archive has no listing days yet');
  });

  it('a paper missing from the full-text index: found, and --rebuild-index repairs it', async () => {
    await healthy();
    const path = join(home, 'papers.db');
    const before = (await cli(['search', 'Generated Paper 3', '--json'])).stdout;
    expect(JSON.parse(before).length).toBeGreaterThan(0);
    // Break the index behind the triggers' back: drop one paper's document, add a ghost.
    const db = new Database(path);
    const p = db
      .prepare('SELECT pk, title, ai_summary, ai_keywords, abstract, authors FROM papers ORDER BY pk LIMIT 1')
      .get() as Record<string, unknown>;
    db.prepare(
      `INSERT INTO papers_fts(papers_fts, rowid, title, ai_summary, ai_keywords, abstract, authors) VALUES ('delete', @pk, @title, @ai_summary, @ai_keywords, @abstract, @authors)`,
    ).run(p);
    db.prepare(`INSERT INTO papers_fts(rowid, title, abstract) VALUES (999999, 'ghost quokka', 'not a paper')`).run();
    db.close();

    const { bad } = await doctor();
    expect(bad.map((f) => f.check)).toEqual(['fts']);
    expect(bad[0]!.detail).toMatch(
      /^full-text index is out of step with the papers table|^full-text index has \d+ documents for \d+ papers/,
    );
    expect(bad[0]!.repair).toBe('papers doctor --rebuild-index');
    const piped = await cli(['doctor']);
    expect(piped.exitCode).toBe(1);
    expect(piped.stdout).toMatch(/^FAIL fts: .+\n {2}repair: papers doctor --rebuild-index$/m);

    const r = await runRepair(bad[0]!.repair!);
    expect(r.stderr).toBe('rebuilt the full-text index\n');
    expect(r.stdout).toMatch(/^ok fts: full-text index matches the papers table$/m);
    expect((await doctor()).bad).toEqual([]);
    expect(JSON.parse((await cli(['search', 'ghost quokka', '--json'])).stdout)).toEqual([]);
    expect((await cli(['search', 'Generated Paper 3', '--json'])).stdout).toBe(before);
  });

  it('weekdays never synced between the first and last day: found, with the sync that fills them', async () => {
    const days = DAYS.filter((d) => !['2025-03-05', '2025-03-11', '2025-03-12'].includes(d));
    for (const d of days) expect((await cli(['sync', '--date', d])).exitCode).toBe(0);
    const { bad } = await doctor();
    expect(bad).toEqual([
      {
        check: 'gaps',
        ok: false,
        detail: `3 weekdays never synced between ${DAYS[0]} and 2025-03-14: 2025-03-05, 2025-03-11..2025-03-12`,
        repair: 'papers sync --since 2025-03-05 --until 2025-03-12',
        days: ['2025-03-05', '2025-03-11', '2025-03-12'],
      },
    ]);
    await runRepair(bad[0]!.repair!);
    expect((await doctor()).bad).toEqual([]);
    expect(query(join(home, 'papers.db'), `SELECT count(DISTINCT day) AS n FROM listings`)).toEqual([{ n: 10 }]);
  });

  it('days whose last sync failed: found, with the sync that retries them; a success clears them', async () => {
    server.faults.push({ match: /date=2025-03-1[01]/, kind: 'status', status: 503, times: Infinity });
    const s = await cli(['sync', '--since', DAYS[0]!, '--until', DAYS[DAYS.length - 1]!]);
    expect(s.exitCode).toBe(1);
    const { bad } = await doctor();
    expect(bad.map((f) => f.check)).toEqual(['failed']);
    expect(bad[0]).toMatchObject({
      detail: '2 days whose last sync failed: 2025-03-10..2025-03-11',
      repair: 'papers sync --since 2025-03-10 --until 2025-03-11',
      days: ['2025-03-10', '2025-03-11'],
    });
    // Still failing: the repair fails too, and doctor keeps reporting.
    expect((await cli(bad[0]!.repair!.split(' ').slice(1))).exitCode).toBe(1);
    expect((await doctor()).bad.map((f) => f.check)).toEqual(['failed']);
    server.faults.length = 0;
    await runRepair(bad[0]!.repair!);
    expect((await doctor()).bad).toEqual([]);
  });

  it('days synced once, before their list settled: found once they are past settling, with the sync that refreshes them', async () => {
    // Synced the evening of each day: lists and upvotes were still moving.
    for (const d of ['2025-03-03', '2025-03-04', '2025-03-05'])
      expect((await cli(['sync', '--date', d], `${d}T20:00:00Z`)).exitCode).toBe(0);
    // The next morning, 03-05 is still settling (the next incremental sync refreshes it): only 03-03 and 03-04 are due.
    const early = await doctor('2025-03-07T12:00:00Z');
    expect(early.bad).toEqual([
      expect.objectContaining({
        check: 'settling',
        detail: '1 day synced only once, before the list settled: 2025-03-03',
        repair: 'papers sync --date 2025-03-03',
      }),
    ]);
    const { bad } = await doctor();
    expect(bad).toEqual([
      {
        check: 'settling',
        ok: false,
        detail: '3 days synced only once, before the list settled: 2025-03-03..2025-03-05',
        repair: 'papers sync --since 2025-03-03 --until 2025-03-05',
        days: ['2025-03-03', '2025-03-04', '2025-03-05'],
      },
    ]);
    await runRepair(bad[0]!.repair!);
    expect((await doctor()).bad).toEqual([]);
  });

  it('several findings at once: each with its repair, one exit 1', async () => {
    for (const d of ['2025-03-03', '2025-03-05'])
      expect((await cli(['sync', '--date', d], `${d}T20:00:00Z`)).exitCode).toBe(0);
    server.faults.push({ match: 'date=2025-03-06', kind: 'status', status: 500, times: Infinity });
    expect((await cli(['sync', '--date', '2025-03-06'])).exitCode).toBe(1);
    const db = new Database(join(home, 'papers.db'));
    db.exec(`INSERT INTO papers_fts(rowid, title) VALUES (424242, 'ghost')`);
    db.close();
    const { bad } = await doctor();
    expect(bad.map((f) => [f.check, f.repair])).toEqual([
      ['fts', 'papers doctor --rebuild-index'],
      ['gaps', 'papers sync --date 2025-03-04'],
      ['failed', 'papers sync --date 2025-03-06'],
      ['settling', 'papers sync --since 2025-03-03 --until 2025-03-05'],
    ]);
    server.faults.length = 0;
    for (const f of bad) await runRepair(f.repair!);
    expect((await doctor()).bad).toEqual([]);
  });

  it('a schema from a newer papers: refused with the message, exit 1, nothing changed', async () => {
    await healthy();
    const db = new Database(join(home, 'papers.db'));
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    for (const argv of [['doctor'], ['doctor', '--json'], ['doctor', '--rebuild-index']]) {
      const r = await cli(argv);
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n')[0]).toBe(
        `error: the archive ${join(home, 'papers.db')} is from a newer version of papers (schema ${SCHEMA_VERSION + 1}; this papers knows up to ${SCHEMA_VERSION})`,
      );
    }
    const check = new Database(join(home, 'papers.db'), { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    check.close();
  });

  it('an archive from an older papers is migrated, then checked', async () => {
    await healthy();
    const db = new Database(join(home, 'papers.db'));
    // As m001 left it: no m002 tables or triggers, FTS5's default automerge (m003), no gone_at
    // or warning columns (m005_upstream_guard), version 1.
    db.exec(`DROP TRIGGER papers_snapshot_ai; DROP TRIGGER papers_snapshot_au; DROP TABLE snapshots; DROP TABLE watches; DROP INDEX papers_first_seen;
      INSERT INTO papers_fts(papers_fts, rank) VALUES ('automerge', 4); DROP TABLE star_tags; DROP TABLE stars;
      DROP INDEX listings_gone; ALTER TABLE listings DROP COLUMN gone_at; ALTER TABLE sync_days DROP COLUMN warning;
      DELETE FROM migrations WHERE name <> 'm001_init'`);
    // ...and none of the arXiv source's schema (m007).
    db.exec(`DROP TABLE sources; DROP TABLE feed_state; DROP TABLE harvests; DROP TABLE harvest_records; DROP INDEX papers_primary_category;
      DROP INDEX listings_replaced; DROP INDEX listings_paper; CREATE INDEX listings_paper ON listings(paper_id, day);
      ALTER TABLE listings DROP COLUMN type;
      ${'categories primary_category version doi journal_ref arxiv_comments license arxiv_raw arxiv_day'
        .split(' ')
        .map((c) => `ALTER TABLE papers DROP COLUMN ${c};`)
        .join(' ')}`);
    db.pragma('user_version = 1');
    db.close();
    const { bad, findings } = await doctor();
    expect(bad).toEqual([]);
    expect(findings.find((f) => f.check === 'schema')!.detail).toBe(`schema version ${SCHEMA_VERSION} (current)`);
  });

  it('bad flags are usage errors (exit 2)', async () => {
    const r = await cli(['doctor', '--frobnicate']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe("error: unknown option '--frobnicate'");
  });
});
