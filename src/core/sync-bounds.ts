/**
 * What a sync keeps in memory while it runs, bounded whatever the size of the backfill:
 * the entries fetched and not yet saved (InFlight), and the ids counted for its summary
 * (RunTally). V8 sizes its heap by what stays alive, so every megabyte held here costs two
 * to four in peak RSS: a 1M-paper backfill peaked at 720 MB with four large days in flight
 * and three Sets of ids, against 260 MB at 100k.
 */
import type { Statement } from 'better-sqlite3';
import type { DB } from '../db/open.js';

/**
 * Entries of partly fetched days held at once, across the workers (a page is 100). Measured
 * on 180 days of the 1M corpus (1,219 entries a day): no bound 370 MB peak RSS, 43.8 s;
 * 2,500: 318 MB, 44.6 s; 1,500: 307 MB, 45.4 s; 1,000: 293 MB, 48.4 s. The whole 1M corpus
 * at 1,000: 298 MB (338 at 1,500), 281 s (273). Days at real sizes (50 to 150 entries) never
 * reach it: the 100k corpus (98 a day) syncs in the same time and memory at either bound.
 */
export const MAX_ENTRIES_IN_FLIGHT = 1_000;

/**
 * Entries of days being fetched, which are held until their day is saved whole. A worker
 * asks before each further page of its day; while the days in flight hold more than the
 * limit, only the earliest of them goes on, so the run never waits on itself and days
 * still finish in order of need. Days of a normal size (about 100 entries) never wait.
 */
export class InFlight {
  private readonly held = new Map<number, number>();
  private total = 0;
  private waiting: (() => void)[] = [];

  constructor(
    private readonly limit = MAX_ENTRIES_IN_FLIGHT,
    private readonly signal?: AbortSignal,
  ) {
    // A stopped run lets every waiting worker see the abort at its next request.
    signal?.addEventListener('abort', () => this.wake(), { once: true });
  }

  /** A day (by its index in the run) starts being fetched. */
  open(index: number): void {
    this.held.set(index, 0);
  }

  /** The day at `index` holds `entries` more; resolves when it may fetch its next page. */
  async more(index: number, entries: number): Promise<void> {
    this.held.set(index, (this.held.get(index) ?? 0) + entries);
    this.total += entries;
    while (!this.mayGo(index) && !this.signal?.aborted) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  /** The day at `index` was saved (or failed): what it held is free. */
  close(index: number): void {
    this.total -= this.held.get(index) ?? 0;
    this.held.delete(index);
    this.wake();
  }

  private mayGo(index: number): boolean {
    if (this.total <= this.limit) return true;
    let earliest = index;
    for (const i of this.held.keys()) if (i < earliest) earliest = i;
    return earliest === index;
  }

  private wake(): void {
    const w = this.waiting;
    this.waiting = [];
    for (const resolve of w) resolve();
  }
}

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
