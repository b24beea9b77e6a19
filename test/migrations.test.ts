// Migrations are linear, resumable and idempotent (issue 23.3): every one replays over its
// own work without a change; a killed upgrade keeps the migrations it finished; m006's
// folding gives what its released (quadratic) SQL gave, in linear work; a reader that finds
// an upgrade running says so; a long upgrade reports its progress.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { saveStars } from '../src/core/library.js';
import { SCHEMA_VERSION, migrations } from '../src/db/migrations.js';
import { migrate, openDb, type DB, type MigrateEvent } from '../src/db/open.js';
import { saveDay } from '../src/db/store.js';
import { parseApiBody } from '../src/sources/hf-daily.js';
import { readFixture, testSeed } from './helpers/fixtures.js';
import { requireBuild, runPapers } from './helpers/reliability.js';
import { fillSnapshots, oldArchive as buildOldArchive } from '../kit/old-archive.mjs';
import { runCli, tempHome } from './helpers/run-cli.js';

const M006 = migrations.findIndex((m) => m.name === 'm006_snapshot_observations');

/** An archive at schema `version`, made by running the first `version` migrations. */
function oldArchive(version: number, path = join(tempHome(), 'old.db')): { db: DB; path: string } {
  return { db: buildOldArchive(Database, migrations, version, path), path };
}

/** Everything an archive holds but the times migrations were applied. */
function dumpAll(db: DB) {
  const tables = db
    .prepare(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'papers_fts%'
       AND name NOT IN ('migrations', 'sqlite_sequence') ORDER BY name`,
    )
    .pluck()
    .all() as string[];
  return {
    schema: db.prepare(`SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name`).all(),
    rows: Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}" ORDER BY 1, 2`).all()])),
    migrations: db.prepare('SELECT name FROM migrations ORDER BY name').pluck().all(),
    fts: db.prepare(`SELECT rowid, title FROM papers_fts ORDER BY rowid`).all(),
  };
}

describe('every migration is idempotent', () => {
  it('replayed from any version over a current archive, each changes nothing', () => {
    const path = join(tempHome(), 'papers.db');
    const db = openDb(path);
    const entries = parseApiBody(readFixture('2025-03-17.json'), '2025-03-17.json').entries;
    saveDay(db, {
      source: 'hf',
      day: '2025-03-17',
      entries,
      skipped: 0,
      requests: 1,
      via: 'api',
      now: '2025-07-01T00:00:00.000Z',
    });
    saveStars(db, [entries[0]!.id], { now: new Date('2025-07-02T00:00:00.000Z'), tags: ['kept'] });
    // The reader unfollowed HF: a replay of m007 must not follow it again.
    db.exec(`DELETE FROM sources WHERE name = 'hf'`);
    const before = dumpAll(db);
    db.close();
    // Version 0 with tables is another program's database (refused): m001 is run by hand.
    const first = openDb(path);
    migrations[0]!.up(first);
    expect(dumpAll(first)).toEqual(before);
    first.close();
    for (let v = 1; v < SCHEMA_VERSION; v++) {
      const raw = new Database(path);
      raw.pragma(`user_version = ${v}`);
      raw.close();
      const again = openDb(path);
      expect([v, again.pragma('user_version', { simple: true })]).toEqual([v, SCHEMA_VERSION]);
      expect([v, dumpAll(again)]).toEqual([v, before]);
      again.close();
    }
  });
});

describe('a killed upgrade resumes', () => {
  it('each migration commits on its own: one that stops keeps those before it', () => {
    const { db, path } = oldArchive(M006 - 1);
    db.close();
    const conn = new Database(path);
    conn.pragma('busy_timeout = 1000');
    const stopAt = M006 + 2; // the step after m006: as a kill there would
    expect(() =>
      migrate(conn, (e) => {
        if (e.step === stopAt && e.done === undefined) throw new Error('killed');
      }),
    ).toThrow('killed');
    expect(conn.pragma('user_version', { simple: true })).toBe(stopAt - 1);
    conn.close();
    const steps: number[] = [];
    const again = openDb(path, { onMigrate: (e) => e.done === undefined && steps.push(e.step) });
    expect(again.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(steps[0]).toBe(stopAt);
    again.close();
  });
});

/** The released m006 SQL, the reference the linear folding must agree with. */
function quadraticFold(db: DB): void {
  db.exec(`
    CREATE TEMP TABLE snapshot_runs AS
      SELECT s.paper_id AS paper_id, s.at AS at,
        (SELECT max(r.started_at) FROM sync_runs r
         WHERE r.started_at <= s.at AND s.at <= coalesce(r.finished_at, s.at)) AS run_at
      FROM snapshots s;
    DELETE FROM temp.snapshot_runs WHERE run_at IS NULL;
    DELETE FROM snapshots WHERE EXISTS (
      SELECT 1 FROM temp.snapshot_runs o
      WHERE o.paper_id = snapshots.paper_id AND o.at = snapshots.at
        AND o.at < (SELECT max(o2.at) FROM temp.snapshot_runs o2
                    WHERE o2.paper_id = o.paper_id AND o2.run_at = o.run_at));
    UPDATE snapshots SET at = (
      SELECT o.run_at FROM temp.snapshot_runs o WHERE o.paper_id = snapshots.paper_id AND o.at = snapshots.at)
    WHERE EXISTS (
      SELECT 1 FROM temp.snapshot_runs o
      WHERE o.paper_id = snapshots.paper_id AND o.at = snapshots.at AND o.run_at <> o.at);
    DROP TABLE temp.snapshot_runs;
  `);
}

/** An archive before m006 with `papers` papers, `runs` sync runs and `n` snapshots, from `seed`. */
export function snapshotArchive(seed: number, papers: number, runs: number, n: number, path?: string) {
  const { db, path: p } = oldArchive(M006, path);
  fillSnapshots(db, { seed, papers, runs, snapshots: n });
  return { db, path: p };
}

describe('m006 folds snapshots in linear work', () => {
  it('gives what the released SQL gave, on runs that overlap, never finished or hold nothing', () => {
    const seed = testSeed(23_3);
    console.log(`m006 fold seed: ${seed} (PAPERS_TEST_SEED replays it)`);
    const a = snapshotArchive(seed, 40, 60, 3000);
    const b = snapshotArchive(seed, 40, 60, 3000);
    quadraticFold(a.db);
    migrations[M006]!.up(b.db);
    const rows = (db: DB) => db.prepare('SELECT * FROM snapshots ORDER BY paper_id, at').all();
    expect(rows(b.db)).toEqual(rows(a.db));
    expect((rows(a.db) as unknown[]).length).toBeLessThan(3000);
    a.db.close();
    b.db.close();
  });

  it('an archive with 24k snapshots (86 s before) upgrades, and reports its progress', () => {
    const { db, path } = snapshotArchive(7, 2000, 400, 24_000);
    db.close();
    const events: MigrateEvent[] = [];
    const up = openDb(path, { onMigrate: (e) => events.push(e) });
    expect(up.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    up.close();
    const m006 = events.filter((e) => e.name === 'm006_snapshot_observations');
    expect(m006[0]).toEqual({ from: M006, to: SCHEMA_VERSION, step: M006 + 1, name: 'm006_snapshot_observations' });
    expect(m006.at(-1)).toMatchObject({ done: m006.at(-1)!.total });
    expect(m006.filter((e) => e.done !== undefined).length).toBeGreaterThan(2);
  });
});

describe('a reader during an upgrade', () => {
  it('is told that an upgrade is running, not "database is locked"', () => {
    const { db, path } = oldArchive(M006);
    db.close();
    const upgrading = new Database(path);
    upgrading.exec('BEGIN IMMEDIATE');
    try {
      expect(() => openDb(path, { busyTimeoutMs: 100 })).toThrow(
        new RegExp(`another papers process is upgrading the archive to this papers' schema \\(at ${M006} of`),
      );
    } finally {
      upgrading.exec('ROLLBACK');
      upgrading.close();
    }
  });
});

describe('the CLI during an upgrade', () => {
  it('on a terminal, stderr shows which migration runs and how far, then clears the line', async () => {
    const home = tempHome();
    const { db } = snapshotArchive(11, 500, 100, 30_000, join(home, 'papers.db'));
    db.close();
    const r = await runCli(['status', '--json'], { home, errTty: true });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `\r\u001b[Kupgrading the archive to schema ${SCHEMA_VERSION}: step ${M006 + 1}, m006_snapshot_observations…`,
    );
    expect(r.stderr).toMatch(/m006_snapshot_observations \(20,000 of [\d,]+\)…/);
    expect(r.stderr.endsWith('\r\u001b[K')).toBe(true);
    // Piped, nothing: the line is for people at a terminal.
    const home2 = tempHome();
    snapshotArchive(11, 50, 10, 100, join(home2, 'papers.db')).db.close();
    const piped = await runCli(['status', '--json'], { home: home2 });
    expect(piped.stderr).toBe('');
  });
});

describe('a reader during an upgrade, as a real process', () => {
  it('papers list waits, then says an upgrade is running: one error line, exit 1', async () => {
    requireBuild();
    const home = tempHome();
    const { db } = oldArchive(M006, join(home, 'papers.db'));
    db.close();
    // Another papers upgrading: it holds the write lock, as a long migration does.
    const upgrading = new Database(join(home, 'papers.db'));
    upgrading.exec('BEGIN IMMEDIATE');
    try {
      const r = await runPapers(['list'], { PAPERS_HOME: home }, 40_000);
      expect(r.code, r.stderr).toBe(1);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^error: another papers process is upgrading the archive to this papers' schema/);
      expect(lines[1]).toMatch(/^hint: try again in a moment/);
      expect(r.stderr).not.toMatch(/database is locked/);
    } finally {
      upgrading.exec('ROLLBACK');
      upgrading.close();
    }
  }, 40_000);
});
