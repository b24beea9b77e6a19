/**
 * The papers a run saw, added and updated, counted once each for the summary. Kept in a
 * TEMP table rather than JS Sets: the real case is a long backfill (every HF day since
 * 2023-05, or an OAI-PMH harvest of a whole arXiv archive such as cs, 100k+ papers a
 * year), whose ids would otherwise all stay alive in the heap until the run ends.
 * (The bound on entries of partly fetched days that stood here served only a synthetic
 * corpus of 1,200-entry days; a real HF day is one page of 50 to 150: removed.)
 */
import type { Statement } from 'better-sqlite3';
import type { DB } from '../db/open.js';

/**
 * The papers a run saw, added and updated, each counted once however many of its days list
 * them, for the summary and the progress line. The ids live in a TEMP table (SQLite's page
 * cache, spilling to a temporary file) instead of JS Sets, which held 74 MB at 1M papers.
 */
export class RunTally {
  seen = 0;
  added = 0;
  private readonly insert: Statement;
  private readonly markUpdated: Statement;
  private readonly countUpdated: Statement;

  /** Each run its own table: two syncs on one connection (the core without the lock) never mix. */
  private static runs = 0;
  private readonly table = `temp.sync_run_ids_${process.pid}_${++RunTally.runs}`;

  constructor(private readonly db: DB) {
    db.exec(`CREATE TABLE ${this.table} (
      id TEXT PRIMARY KEY, added INTEGER NOT NULL, updated INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID`);
    // Its own page cache, smaller than the archive's 16 MB: ids arrive in nearly ascending
    // order (arXiv ids grow with the listing day), so inserts touch the B-tree's right edge.
    db.pragma('temp.cache_size = -4000');
    this.insert = db.prepare(`INSERT INTO ${this.table} (id, added) VALUES (?, ?) ON CONFLICT(id) DO NOTHING`);
    this.markUpdated = db.prepare(`UPDATE ${this.table} SET updated = 1 WHERE id = ? AND updated = 0`);
    this.countUpdated = db.prepare(`SELECT count(*) FROM ${this.table} WHERE updated = 1 AND added = 0`).pluck();
  }

  /** One saved day's ids: all it listed, those it inserted, those it updated. */
  record(ids: { seen: readonly string[]; inserted: readonly string[]; updated: readonly string[] }): void {
    const inserted = new Set(ids.inserted);
    this.db.transaction(() => {
      for (const id of ids.seen) this.seen += this.insert.run(id, inserted.has(id) ? 1 : 0).changes;
      for (const id of ids.updated) this.markUpdated.run(id);
    })();
    // A paper is inserted once: by the first day of the run that lists it.
    this.added += inserted.size;
  }

  /** Papers updated by the run that it did not add: a paper added then updated counts as added. */
  updated(): number {
    return this.countUpdated.get() as number;
  }

  close(): void {
    this.db.exec(`DROP TABLE IF EXISTS ${this.table}`);
  }
}
