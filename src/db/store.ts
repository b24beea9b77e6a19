/**
 * Writes: papers, listings and sync records. A listing day is saved in one
 * transaction, so a crash leaves whole days and never half of one.
 */
import type { Statement } from 'better-sqlite3';
import type { Day } from '../dates.js';
import type { PaperRecord } from '../sources/types.js';
import type { DB } from './open.js';
import { foldText } from '../text.js';

export interface SaveDayInput {
  source: string;
  day: Day;
  entries: PaperRecord[];
  skipped: number;
  requests: number;
  via: string;
  now: string;
  /**
   * Papers listed on the day before and missing from `entries`: `gone` (the default) keeps
   * their listing, marked as no longer listed upstream; `keep` leaves them untouched (a list
   * that looks cut short says nothing about them); `prune` deletes their listing.
   */
  missing?: 'gone' | 'keep' | 'prune';
  /** Why this list is not trusted yet: the day is not settled until a fetch without one. */
  warning?: string;
}

export interface SaveDayResult {
  inserted: string[];
  updated: string[];
  unchanged: number;
  listingsAdded: number;
  /** Listings deleted (`missing: 'prune'`). */
  listingsRemoved: number;
  /** Listings newly marked as no longer listed upstream. */
  listingsGone: number;
}

const PAPER_COLUMNS = [
  'title',
  'abstract',
  'authors',
  'authors_key',
  'published_at',
  'upvotes',
  'comments',
  'ai_summary',
  'ai_keywords',
  'github_repo',
  'github_stars',
  'project_page',
  'organization',
  'submitter',
  'source',
  'source_day',
  'raw',
] as const;

interface Statements {
  exists: Statement;
  upsertPaper: Statement;
  dayListings: Statement;
  upsertListing: Statement;
  deleteListing: Statement;
  markGone: Statement;
  dayOk: Statement;
}

const cache = new WeakMap<DB, Statements>();

function statements(db: DB): Statements {
  let s = cache.get(db);
  if (s) return s;
  s = {
    exists: db.prepare('SELECT 1 FROM papers WHERE id = ?').pluck(),
    // The row keeps the values of its most recent listing day, so syncing days in any
    // order (or concurrently) ends in the same row. The WHERE makes an identical
    // re-sync a no-op: no write, no FTS churn, updated_at untouched.
    upsertPaper: db.prepare(`
      INSERT INTO papers (id, ${PAPER_COLUMNS.join(', ')}, first_seen, updated_at)
      VALUES (@id, ${PAPER_COLUMNS.map((c) => '@' + c).join(', ')}, @now, @now)
      ON CONFLICT(id) DO UPDATE SET
        ${PAPER_COLUMNS.map((c) => `${c} = excluded.${c}`).join(',\n        ')},
        updated_at = excluded.updated_at
      WHERE excluded.source_day >= papers.source_day
        AND (${PAPER_COLUMNS.map((c) => `papers.${c} IS NOT excluded.${c}`).join(' OR ')})`),
    dayListings: db
      .prepare('SELECT paper_id FROM listings WHERE source = ? AND day = ? ORDER BY rank, paper_id')
      .pluck(),
    // A paper back on the list is listed again.
    upsertListing: db.prepare(`
      INSERT INTO listings (source, day, paper_id, rank) VALUES (?, ?, ?, ?)
      ON CONFLICT(source, day, paper_id) DO UPDATE SET rank = excluded.rank, gone_at = NULL
      WHERE rank IS NOT excluded.rank OR gone_at IS NOT NULL`),
    deleteListing: db.prepare('DELETE FROM listings WHERE source = ? AND day = ? AND paper_id = ?'),
    // Gone papers rank after the listed ones, in their old order; gone_at keeps the first time.
    markGone: db.prepare(`
      UPDATE listings SET gone_at = coalesce(gone_at, @now), rank = @rank
      WHERE source = @source AND day = @day AND paper_id = @id AND (gone_at IS NULL OR rank IS NOT @rank)`),
    dayOk: db.prepare(`
      INSERT INTO sync_days
        (source, day, outcome, entries, skipped, requests, via, fetched_at, ok_at, ok_count, error, warning)
      VALUES (@source, @day, @outcome, @entries, @skipped, @requests, @via, @now, @now, 1, NULL, @warning)
      ON CONFLICT(source, day) DO UPDATE SET
        outcome = excluded.outcome, entries = excluded.entries, skipped = excluded.skipped,
        requests = excluded.requests, via = excluded.via, fetched_at = excluded.fetched_at,
        ok_at = excluded.ok_at, ok_count = sync_days.ok_count + 1, error = NULL, warning = excluded.warning`),
  };
  cache.set(db, s);
  return s;
}

export function paperParams(rec: PaperRecord, source: string, day: Day, now: string): Record<string, unknown> {
  return {
    id: rec.id,
    title: rec.title,
    abstract: rec.abstract,
    authors: JSON.stringify(rec.authors),
    authors_key: foldText(rec.authors.join('\n')),
    published_at: rec.publishedAt,
    upvotes: rec.upvotes,
    comments: rec.comments,
    ai_summary: rec.aiSummary,
    ai_keywords: JSON.stringify(rec.aiKeywords),
    github_repo: rec.githubRepo,
    github_stars: rec.githubStars,
    project_page: rec.projectPage,
    organization: rec.organization,
    submitter: rec.submitter,
    source,
    source_day: day,
    raw: rec.raw,
    now,
  };
}

/**
 * Saves one listing day atomically: its papers, its listings, its sync record. Papers that
 * left the list are handled as `input.missing` says: never dropped without being asked.
 */
export function saveDay(db: DB, input: SaveDayInput): SaveDayResult {
  const s = statements(db);
  const run = db.transaction((): SaveDayResult => {
    const result: SaveDayResult = {
      inserted: [],
      updated: [],
      unchanged: 0,
      listingsAdded: 0,
      listingsRemoved: 0,
      listingsGone: 0,
    };
    const before = new Set(s.dayListings.all(input.source, input.day) as string[]);
    input.entries.forEach((rec, i) => {
      const existed = s.exists.get(rec.id) !== undefined;
      const changed = s.upsertPaper.run(paperParams(rec, input.source, input.day, input.now)).changes > 0;
      if (!existed) result.inserted.push(rec.id);
      else if (changed) result.updated.push(rec.id);
      else result.unchanged++;
      const l = s.upsertListing.run(input.source, input.day, rec.id, i + 1);
      if (!before.delete(rec.id)) result.listingsAdded += l.changes;
    });
    // Papers that left the day's list since the last sync.
    const missing = input.missing ?? 'gone';
    let rank = input.entries.length;
    for (const id of before) {
      if (missing === 'prune') {
        s.deleteListing.run(input.source, input.day, id);
        result.listingsRemoved++;
      } else if (missing === 'gone') {
        const r = s.markGone.run({ source: input.source, day: input.day, id, rank: ++rank, now: input.now });
        result.listingsGone += r.changes;
      }
    }
    s.dayOk.run({
      source: input.source,
      day: input.day,
      outcome: input.entries.length > 0 ? 'ok' : 'empty',
      entries: input.entries.length,
      skipped: input.skipped,
      requests: input.requests,
      via: input.via,
      now: input.now,
      warning: input.warning ?? null,
    });
    return result;
  });
  return run.immediate();
}

/** A day that could not be fetched: its papers and listings stay as they were. */
export function recordDayFailure(
  db: DB,
  f: { source: string; day: Day; error: string; requests: number; via: string; now: string },
): void {
  db.prepare(
    `INSERT INTO sync_days (source, day, outcome, requests, via, fetched_at, error)
     VALUES (@source, @day, 'failed', @requests, @via, @now, @error)
     ON CONFLICT(source, day) DO UPDATE SET
       outcome = 'failed', requests = excluded.requests, via = excluded.via,
       fetched_at = excluded.fetched_at, error = excluded.error`,
  ).run(f);
}

/** Papers a day lists, those marked gone from the upstream list excluded. */
export function countListings(db: DB, source: string, day: Day): number {
  const sql = 'SELECT count(*) FROM listings WHERE source = ? AND day = ? AND gone_at IS NULL';
  return db.prepare(sql).pluck().get(source, day) as number;
}

export interface RunRecord {
  id: number;
}

export function startRun(db: DB, source: string, now: string, pid: number): number {
  // A run still marked running holds no lock any more (we hold it now): it was killed.
  db.prepare(
    `UPDATE sync_runs SET status = 'interrupted', finished_at = coalesce(finished_at, ?) WHERE status = 'running'`,
  ).run(now);
  const insert = db.prepare(`INSERT INTO sync_runs (source, pid, started_at, status) VALUES (?, ?, ?, 'running')`);
  return Number(insert.run(source, pid, now).lastInsertRowid);
}

export function finishRun(
  db: DB,
  id: number,
  r: {
    status: 'ok' | 'failed' | 'interrupted';
    now: string;
    days: number;
    failed: number;
    papers: number;
    newPapers: number;
    updated: number;
    error?: string;
  },
): void {
  db.prepare(
    `UPDATE sync_runs SET status = @status, finished_at = @now, days = @days, failed_days = @failed,
       papers = @papers, new_papers = @newPapers, updated = @updated, error = @error WHERE id = @id`,
  ).run({ ...r, error: r.error ?? null, id });
}

/** When `day` was last fetched successfully from `source`, or undefined. */
export function lastFetchedAt(db: DB, source: string, day: Day): string | undefined {
  return (db.prepare(`SELECT ok_at FROM sync_days WHERE source = ? AND day = ?`).pluck().get(source, day) as string | null) ?? undefined;
}
