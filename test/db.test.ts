// The archive: schema from blank, pragmas, FTS5 and its triggers, idempotent saves,
// one paper on two days, and the FTS index staying in step with the rows.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, migrations } from '../src/db/migrations.js';
import { migrate, openDb, type DB } from '../src/db/open.js';
import { paperParams, saveDay } from '../src/db/store.js';
import { DatabaseError } from '../src/errors.js';
import { parseApiBody } from '../src/sources/hf-daily.js';
import type { PaperRecord } from '../src/sources/types.js';
import { readFixture } from './helpers/fixtures.js';
import { tempHome } from './helpers/run-cli.js';

const records = (name: string) => parseApiBody(readFixture(name), name).entries;

function save(db: DB, day: string, entries: PaperRecord[], now = '2025-07-01T00:00:00.000Z') {
  return saveDay(db, { source: 'hf', day, entries, skipped: 0, requests: 1, via: 'api', now });
}

function dump(db: DB) {
  return {
    papers: db.prepare('SELECT * FROM papers ORDER BY id').all(),
    listings: db.prepare('SELECT * FROM listings ORDER BY day, paper_id').all(),
  };
}

/** Compares the FTS index with the papers table (rank 1: against the content table too). */
function ftsIntegrity(db: DB) {
  db.exec(`INSERT INTO papers_fts(papers_fts, rank) VALUES ('integrity-check', 1)`);
}

function freshDb(): { db: DB; path: string } {
  const path = join(tempHome(), 'papers.db');
  return { db: openDb(path), path };
}

describe('migrations', () => {
  it('migrate a blank file to the current schema: tables, triggers, indexes, version', () => {
    const { db } = freshDb();
    try {
      const names = (type: string) =>
        db
          .prepare(`SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite_%' ORDER BY name`)
          .pluck()
          .all(type) as string[];
      expect(names('table')).toEqual(
        expect.arrayContaining([
          'listings',
          'meta',
          'migrations',
          'papers',
          'papers_fts',
          'papers_fts_config',
          'papers_fts_data',
          'papers_fts_docsize',
          'papers_fts_idx',
          'sync_days',
          'sync_runs',
        ]),
      );
      expect(names('trigger').filter((n) => n.startsWith('papers_fts'))).toEqual([
        'papers_fts_ad',
        'papers_fts_ai',
        'papers_fts_au',
      ]);
      expect(names('index')).toEqual(expect.arrayContaining(['listings_day', 'listings_paper', 'papers_upvotes']));
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(db.prepare('SELECT name FROM migrations ORDER BY name').pluck().all()).toEqual(
        migrations.map((m) => m.name),
      );
      expect(db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'papers_fts'`).pluck().get()).toMatch(
        /USING fts5\(\s*title, ai_summary, ai_keywords, abstract, authors/,
      );
      // Segments merge 16 at a time, not 4: per-day transactions each flush a segment (see m003).
      expect(db.prepare(`SELECT v FROM papers_fts_config WHERE k = 'automerge'`).pluck().get()).toBe(16);
    } finally {
      db.close();
    }
  });

  it('opens with WAL, foreign keys, recursive triggers and a busy timeout', () => {
    const { db } = freshDb();
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('recursive_triggers', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThanOrEqual(1000);
    } finally {
      db.close();
    }
  });

  it('FTS5 is compiled in (probed, not assumed)', () => {
    const db = new Database(':memory:');
    try {
      db.exec(`CREATE VIRTUAL TABLE probe USING fts5(x)`);
      db.exec(`INSERT INTO probe VALUES ('state space models')`);
      expect(db.prepare(`SELECT count(*) FROM probe WHERE probe MATCH 'space'`).pluck().get()).toBe(1);
    } finally {
      db.close();
    }
  });

  it('re-opening and re-migrating an archive changes nothing', () => {
    const { db, path } = freshDb();
    save(db, '2025-03-17', records('2025-03-17.json'));
    const before = dump(db);
    const schema = db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all();
    migrate(db);
    db.close();
    const again = openDb(path);
    try {
      expect(again.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all()).toEqual(schema);
      expect(dump(again)).toEqual(before);
      expect(again.prepare('SELECT count(*) FROM migrations').pluck().get()).toBe(SCHEMA_VERSION);
    } finally {
      again.close();
    }
  });

  it('migrates an archive of the previous schema version, keeping its data', () => {
    const path = join(tempHome(), 'old.db');
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
    for (const m of migrations.slice(0, SCHEMA_VERSION - 1)) {
      m.up(old);
      old.prepare('INSERT INTO migrations VALUES (?, ?)').run(m.name, '2025-01-01T00:00:00.000Z');
    }
    old.pragma(`user_version = ${SCHEMA_VERSION - 1}`);
    // Written with plain SQL: today's store may need columns the old schema lacks.
    records('2025-03-17.json').forEach((rec, i) => {
      const p = paperParams(rec, 'hf', '2025-03-17', '2025-07-01T00:00:00.000Z');
      old
        .prepare(`INSERT INTO papers (id, title, abstract, authors, authors_key, published_at, upvotes, comments, ai_summary,
        ai_keywords, github_repo, github_stars, project_page, organization, submitter, source, source_day, raw, first_seen, updated_at)
        VALUES (@id, @title, @abstract, @authors, @authors_key, @published_at, @upvotes, @comments, @ai_summary, @ai_keywords,
        @github_repo, @github_stars, @project_page, @organization, @submitter, @source, @source_day, @raw, @now, @now)`)
        .run(p);
      old
        .prepare(`INSERT INTO listings (source, day, paper_id, rank) VALUES ('hf', '2025-03-17', ?, ?)`)
        .run(rec.id, i + 1);
    });
    const before = dump(old);
    old.close();
    const db = openDb(path);
    try {
      // Every value kept; the new columns added beside them.
      const after = dump(db);
      const only = (rows: unknown[], like: unknown[]) =>
        rows.map((r, i) =>
          Object.fromEntries(Object.keys(like[i] as object).map((k) => [k, (r as Record<string, unknown>)[k]])),
        );
      expect({ papers: only(after.papers, before.papers), listings: only(after.listings, before.listings) }).toEqual(
        before,
      );
      save(db, '2025-03-18', records('2025-05-22.json'));
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(db.prepare('SELECT name FROM migrations ORDER BY rowid').pluck().all()).toEqual(
        migrations.map((m) => m.name),
      );
      expect(db.prepare('SELECT count(*) FROM papers').pluck().get()).toBe(3);
      ftsIntegrity(db);
    } finally {
      db.close();
    }
  });

  it('refuses an archive from a newer papers and leaves it as it is', () => {
    const path = join(tempHome(), 'newer.db');
    const raw = new Database(path);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.exec('CREATE TABLE future (x)');
    raw.close();
    expect(() => openDb(path)).toThrow(DatabaseError);
    expect(() => openDb(path)).toThrow(/newer version of papers/);
    const check = new Database(path, { readonly: true });
    expect(check.prepare(`SELECT name FROM sqlite_master`).pluck().all()).toEqual(['future']);
    check.close();
  });

  it('refuses a file that is not SQLite', () => {
    const path = join(tempHome(), 'notes.db');
    writeFileSync(path, 'just some notes\n');
    expect(() => openDb(path)).toThrow(/is not a papers archive \(not a SQLite database\); it was left untouched/);
  });
});

describe('saving days', () => {
  it('an identical second save changes no row, adds no listing and leaves the FTS index consistent', () => {
    const { db } = freshDb();
    try {
      const first = save(db, '2025-03-17', records('2025-03-17.json'), '2025-03-17T10:00:00.000Z');
      expect(first).toEqual({
        inserted: ['2503.11002', '2503.10515'],
        updated: [],
        unchanged: 0,
        listingsAdded: 2,
        listingsRemoved: 0,
        listingsGone: 0,
      });
      const before = dump(db);
      const ftsRows = db.prepare('SELECT count(*) FROM papers_fts_docsize').pluck().get();
      const second = save(db, '2025-03-17', records('2025-03-17.json'), '2025-03-18T10:00:00.000Z');
      expect(second).toEqual({
        inserted: [],
        updated: [],
        unchanged: 2,
        listingsAdded: 0,
        listingsRemoved: 0,
        listingsGone: 0,
      });
      // updated_at untouched: the later `now` was not written
      expect(dump(db)).toEqual(before);
      expect(db.prepare('SELECT DISTINCT updated_at FROM papers').pluck().all()).toEqual(['2025-03-17T10:00:00.000Z']);
      expect(db.prepare('SELECT count(*) FROM papers_fts_docsize').pluck().get()).toBe(ftsRows);
      ftsIntegrity(db);
    } finally {
      db.close();
    }
  });

  it('keeps the FTS index in step through updates of every indexed column', () => {
    const { db } = freshDb();
    try {
      const recs = records('2025-06-25.json');
      save(db, '2025-06-25', recs);
      const changed = recs.map((r, i) => ({
        ...r,
        title: `${r.title} (revised ${i})`,
        abstract: 'a completely different abstract about quokkas',
        aiSummary: 'now about wombats',
        aiKeywords: ['numbat'],
        authors: [...r.authors, 'Added Author'],
        upvotes: r.upvotes + 10,
        raw: r.raw.replace('}', ',"x":1}'),
      }));
      const r = save(db, '2025-06-25', changed, '2025-06-26T00:00:00.000Z');
      expect(r.updated).toEqual(['2506.19033', '2506.18800']);
      ftsIntegrity(db);
      const match = (q: string) =>
        db
          .prepare(
            `SELECT p.id FROM papers_fts f JOIN papers p ON p.pk = f.rowid WHERE papers_fts MATCH ? ORDER BY p.id`,
          )
          .pluck()
          .all(q);
      expect(match('quokkas')).toEqual(['2506.18800', '2506.19033']);
      expect(match('wombats')).toEqual(['2506.18800', '2506.19033']);
      expect(match('numbat')).toEqual(['2506.18800', '2506.19033']);
      // the old abstracts and summaries are gone from the index
      expect(match('denoising')).toEqual([]);
      expect(match('route')).toEqual([]);
      expect(match('"Added Author"')).toEqual(['2506.18800', '2506.19033']);
      // a change to a column outside the index leaves it consistent too
      save(
        db,
        '2025-06-25',
        changed.map((c) => ({ ...c, upvotes: c.upvotes + 1 })),
        '2025-06-27T00:00:00.000Z',
      );
      db.prepare('DELETE FROM papers WHERE id = ?').run('2506.18800');
      ftsIntegrity(db);
      expect(match('quokkas')).toEqual(['2506.19033']);
    } finally {
      db.close();
    }
  });

  it('the integrity check used above does catch an index out of step', () => {
    const { db } = freshDb();
    try {
      save(db, '2025-03-17', records('2025-03-17.json'));
      db.exec('DROP TRIGGER papers_fts_au');
      db.prepare(`UPDATE papers SET title = 'something else entirely' WHERE id = '2503.10515'`).run();
      expect(() => ftsIntegrity(db)).toThrow(/checksum mismatch|corrupt|malformed/i);
    } finally {
      db.close();
    }
  });

  it('a paper listed on two days is one paper with two listings, holding the later day values', () => {
    for (const order of [
      ['2024-06-13', '2024-06-19'],
      ['2024-06-19', '2024-06-13'],
    ]) {
      const { db } = freshDb();
      try {
        for (const day of order) save(db, day, records(`${day}.json`));
        expect(db.prepare(`SELECT count(*) FROM papers WHERE id = '2406.08117'`).pluck().get()).toBe(1);
        expect(db.prepare(`SELECT day, rank FROM listings WHERE paper_id = '2406.08117' ORDER BY day`).all()).toEqual([
          { day: '2024-06-13', rank: 1 },
          { day: '2024-06-19', rank: 2 },
        ]);
        // whichever order the days came in, the row holds the latest listing day's values
        expect(
          db.prepare(`SELECT upvotes, comments, submitter, source_day FROM papers WHERE id = '2406.08117'`).get(),
        ).toEqual({
          upvotes: 22,
          comments: 2,
          submitter: 'oadeyemi',
          source_day: '2024-06-19',
        });
        expect(db.prepare('SELECT count(*) FROM papers').pluck().get()).toBe(3);
        expect(db.prepare('SELECT count(*) FROM listings').pluck().get()).toBe(4);
        ftsIntegrity(db);
      } finally {
        db.close();
      }
    }
  });

  it('a paper that left a re-synced list stays listed, marked gone, after the listed ones; back on the list, it is listed again', () => {
    const { db } = freshDb();
    try {
      const [a, b] = records('2025-03-17.json');
      const listings = () => db.prepare('SELECT paper_id, rank, gone_at FROM listings ORDER BY rank').all();
      save(db, '2025-03-17', [a!, b!], '2025-03-17T10:00:00.000Z');
      let r = save(db, '2025-03-17', [b!], '2025-03-18T10:00:00.000Z');
      expect(r).toMatchObject({ listingsAdded: 0, listingsRemoved: 0, listingsGone: 1 });
      expect(listings()).toEqual([
        { paper_id: '2503.10515', rank: 1, gone_at: null },
        { paper_id: '2503.11002', rank: 2, gone_at: '2025-03-18T10:00:00.000Z' },
      ]);
      // seen gone again: nothing changes, the first time it was missed is kept
      const before = dump(db);
      r = save(db, '2025-03-17', [b!], '2025-03-19T10:00:00.000Z');
      expect(r).toMatchObject({ listingsGone: 0 });
      expect(dump(db)).toEqual(before);
      r = save(db, '2025-03-17', [a!, b!], '2025-03-20T10:00:00.000Z');
      expect(listings()).toEqual([
        { paper_id: '2503.11002', rank: 1, gone_at: null },
        { paper_id: '2503.10515', rank: 2, gone_at: null },
      ]);
      expect(db.prepare('SELECT count(*) FROM papers').pluck().get()).toBe(2);
    } finally {
      db.close();
    }
  });

  it('missing: keep leaves a missing paper as it was; prune deletes its listing, not its row', () => {
    const { db } = freshDb();
    try {
      const [a, b] = records('2025-03-17.json');
      const base = {
        source: 'hf',
        day: '2025-03-17',
        skipped: 0,
        requests: 1,
        via: 'api',
        now: '2025-03-18T00:00:00.000Z',
      };
      save(db, '2025-03-17', [a!, b!]);
      let r = saveDay(db, { ...base, entries: [b!], missing: 'keep', warning: 'cut short?' });
      expect(r).toMatchObject({ listingsRemoved: 0, listingsGone: 0 });
      expect(db.prepare('SELECT paper_id, gone_at FROM listings ORDER BY paper_id').all()).toEqual([
        { paper_id: '2503.10515', gone_at: null },
        { paper_id: '2503.11002', gone_at: null },
      ]);
      expect(db.prepare('SELECT warning FROM sync_days').pluck().get()).toBe('cut short?');
      r = saveDay(db, { ...base, entries: [b!], missing: 'prune' });
      expect(r).toMatchObject({ listingsAdded: 0, listingsRemoved: 1 });
      expect(db.prepare('SELECT paper_id, rank FROM listings').all()).toEqual([{ paper_id: '2503.10515', rank: 1 }]);
      expect(db.prepare('SELECT warning FROM sync_days').pluck().get()).toBeNull();
      expect(db.prepare('SELECT count(*) FROM papers').pluck().get()).toBe(2);
    } finally {
      db.close();
    }
  });

  it('stores the extracted columns and the raw entry', () => {
    const { db } = freshDb();
    try {
      save(db, '2025-10-14', records('2025-10-14.json'), '2025-10-14T08:00:00.000Z');
      const row = db.prepare(`SELECT * FROM papers WHERE id = '2510.11342'`).get() as Record<string, unknown>;
      expect(row).toMatchObject({
        title: 'Speculative Decoding with Draft Trees That Learn When to Stop',
        authors: JSON.stringify(['Noor Al-Sayed', 'Björn Eriksson']),
        authors_key: 'noor al-sayed\nbjorn eriksson',
        published_at: '2025-10-13T13:45:00.000Z',
        upvotes: 33,
        comments: 5,
        ai_keywords: JSON.stringify(['speculative decoding', 'draft trees', 'early stopping']),
        github_repo: 'https://github.com/example-lab/stop-tree',
        github_stars: 57,
        organization: 'Example Lab',
        submitter: 'noor',
        source: 'hf',
        source_day: '2025-10-14',
        first_seen: '2025-10-14T08:00:00.000Z',
        updated_at: '2025-10-14T08:00:00.000Z',
      });
      expect(JSON.parse(row.raw as string)).toEqual(JSON.parse(readFixture('2025-10-14.json'))[0]);
      expect(db.prepare(`SELECT outcome, entries, skipped, requests, via FROM sync_days`).get()).toEqual({
        outcome: 'ok',
        entries: 1,
        skipped: 0,
        requests: 1,
        via: 'api',
      });
    } finally {
      db.close();
    }
  });
});
