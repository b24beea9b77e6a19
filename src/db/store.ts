/**
 * Writes: papers, listings and sync records. A listing day is saved in one
 * transaction, so a crash leaves whole days and never half of one.
 */
import type { Statement } from 'better-sqlite3';
import type { Day } from '../dates.js';
import type { ListingType, PaperRecord } from '../sources/types.js';
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
  /**
   * Add these listings and keep the day's others (a backfill adds `submitted` listings to
   * days a feed may have listed too), without a sync-day record.
   */
  additive?: boolean;
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

/**
 * The text an HF write leaves alone once arXiv has described the paper (version set):
 * arXiv is the authority for its own title, abstract and authors (a replacement changes
 * them), HF for its signals. The arXiv write touches only these and its own columns.
 */
const SHARED_TEXT = ['title', 'abstract', 'authors', 'authors_key'] as const;
const ARXIV_COLUMNS = [
  'categories',
  'primary_category',
  'version',
  'doi',
  'journal_ref',
  'arxiv_comments',
  'license',
  'arxiv_raw',
] as const;
const hfValue = (c: string) =>
  (SHARED_TEXT as readonly string[]).includes(c)
    ? `CASE WHEN papers.version IS NULL THEN excluded.${c} ELSE papers.${c} END`
    : `excluded.${c}`;

/** What not every arXiv body carries (the feed has no comments, a new paper no DOI yet) is never erased. */
const KEPT = ['version', 'doi', 'journal_ref', 'arxiv_comments', 'license'];
const arxivValue = (c: string) => (KEPT.includes(c) ? `coalesce(excluded.${c}, papers.${c})` : `excluded.${c}`);

interface Statements {
  exists: Statement;
  upsertPaper: Statement;
  upsertArxiv: Statement;
  dayListings: Statement;
  countListings: Statement;
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
        ${PAPER_COLUMNS.map((c) => `${c} = ${hfValue(c)}`).join(',\n        ')},
        updated_at = excluded.updated_at
      WHERE (excluded.source_day >= papers.source_day OR papers.source IS NOT excluded.source)
        AND (${PAPER_COLUMNS.map((c) => `papers.${c} IS NOT ${hfValue(c)}`).join(' OR ')})`),
    // arXiv's write: a new row gets its text and an empty HF raw; an existing one only
    // its arXiv columns and the shared text, from the newest day and version, never HF's.
    upsertArxiv: db.prepare(`
      INSERT INTO papers (id, ${SHARED_TEXT.join(', ')}, published_at, source, source_day, raw,
        ${ARXIV_COLUMNS.join(', ')}, arxiv_day, first_seen, updated_at)
      VALUES (@id, ${SHARED_TEXT.map((c) => '@' + c).join(', ')}, @published_at, @source, @source_day, '',
        ${ARXIV_COLUMNS.map((c) => '@' + c).join(', ')}, @source_day, @now, @now)
      ON CONFLICT(id) DO UPDATE SET
        ${[...SHARED_TEXT, ...ARXIV_COLUMNS].map((c) => `${c} = ${arxivValue(c)}`).join(',\n        ')},
        published_at = coalesce(excluded.published_at, papers.published_at),
        arxiv_day = excluded.arxiv_day,
        updated_at = excluded.updated_at
      WHERE (papers.arxiv_day IS NULL OR excluded.arxiv_day >= papers.arxiv_day
             OR coalesce(excluded.version, 0) > coalesce(papers.version, 0))
        AND coalesce(excluded.version, papers.version, 0) >= coalesce(papers.version, 0)
        AND (${[...SHARED_TEXT, ...ARXIV_COLUMNS].map((c) => `papers.${c} IS NOT ${arxivValue(c)}`).join(' OR ')}
             OR papers.published_at IS NOT coalesce(excluded.published_at, papers.published_at))`),
    dayListings: db
      .prepare('SELECT paper_id FROM listings WHERE source = ? AND day = ? ORDER BY rank, paper_id')
      .pluck(),
    countListings: db.prepare('SELECT count(*) FROM listings WHERE source = ? AND day = ? AND gone_at IS NULL').pluck(),
    // A paper back on the list is listed again.
    upsertListing: db.prepare(`
      INSERT INTO listings (source, day, paper_id, rank, type) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT(source, day, paper_id) DO UPDATE SET rank = excluded.rank, type = excluded.type, gone_at = NULL
      WHERE rank IS NOT excluded.rank OR type IS NOT excluded.type OR gone_at IS NOT NULL`),
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

/**
 * The columns both sources write. The source's own are assigned onto this object: a spread
 * of it into a new literal made an object that binds slower (20 of 570 ms of saving 3.7k
 * real papers).
 */
function sharedParams(rec: PaperRecord): Record<string, unknown> {
  return {
    id: rec.id,
    title: rec.title,
    abstract: rec.abstract,
    authors: JSON.stringify(rec.authors),
    authors_key: foldText(rec.authors.join('\n')),
    published_at: rec.publishedAt,
  };
}

export function arxivParams(rec: PaperRecord, source: string, day: Day, now: string): Record<string, unknown> {
  const a = rec.arxiv!;
  return Object.assign(sharedParams(rec), {
    source,
    source_day: day,
    categories: JSON.stringify(a.categories),
    primary_category: a.categories[0] ?? null,
    version: a.version,
    doi: a.doi,
    journal_ref: a.journalRef,
    arxiv_comments: a.comments,
    license: a.license,
    arxiv_raw: rec.raw,
    now,
  });
}

export function paperParams(rec: PaperRecord, source: string, day: Day, now: string): Record<string, unknown> {
  return Object.assign(sharedParams(rec), {
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
  });
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
      const changed = rec.arxiv
        ? s.upsertArxiv.run(arxivParams(rec, input.source, input.day, input.now)).changes > 0
        : s.upsertPaper.run(paperParams(rec, input.source, input.day, input.now)).changes > 0;
      if (!existed) result.inserted.push(rec.id);
      else if (changed) result.updated.push(rec.id);
      else result.unchanged++;
      const l = s.upsertListing.run(input.source, input.day, rec.id, i + 1, rec.listingType ?? null);
      if (!before.delete(rec.id)) result.listingsAdded += l.changes;
    });
    if (input.additive) return result;
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

/**
 * Papers fetched by id, not from a listing (`papers add`), in one transaction: their rows,
 * and with `listing` a listing of that type on `day` (so the list commands reach them).
 * `day` orders arXiv's writes as a listing day would. Returns the ids inserted and updated.
 */
export function savePapers(
  db: DB,
  records: PaperRecord[],
  source: string,
  day: Day,
  now: string,
  listing?: { source: string; type: ListingType },
): { inserted: string[]; updated: string[] } {
  const s = statements(db);
  return db
    .transaction(() => {
      const out = { inserted: [] as string[], updated: [] as string[] };
      // Listed in the order added; a paper added twice on one day keeps its first place.
      const list = db.prepare(
        `INSERT INTO listings (source, day, paper_id, rank, type)
         VALUES (@source, @day, @id,
           coalesce((SELECT max(rank) FROM listings WHERE source = @source AND day = @day), 0) + 1, @type)
         ON CONFLICT(source, day, paper_id) DO NOTHING`,
      );
      for (const rec of records) {
        const existed = s.exists.get(rec.id) !== undefined;
        const changed = s.upsertArxiv.run(arxivParams(rec, source, day, now)).changes > 0;
        if (!existed) out.inserted.push(rec.id);
        else if (changed) out.updated.push(rec.id);
        if (listing) list.run({ source: listing.source, day, id: rec.id, type: listing.type });
      }
      return out;
    })
    .immediate();
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
  // Once per synced day: prepared once per archive, with the writes.
  return statements(db).countListings.get(source, day) as number;
}

/** What a run did: listing days (HF), an announcement feed, a harvest (backfill), papers by id. */
export type RunKind = 'days' | 'feed' | 'harvest' | 'add';

export function startRun(db: DB, source: string, kind: RunKind, now: string, pid: number): number {
  // A run still marked running holds no lock any more (we hold it now): it was killed.
  db.prepare(
    `UPDATE sync_runs SET status = 'interrupted', finished_at = coalesce(finished_at, ?) WHERE status = 'running'`,
  ).run(now);
  const insert = db.prepare(
    `INSERT INTO sync_runs (source, kind, pid, started_at, status) VALUES (?, ?, ?, ?, 'running')`,
  );
  return Number(insert.run(source, kind, pid, now).lastInsertRowid);
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
  return (
    (db.prepare(`SELECT ok_at FROM sync_days WHERE source = ? AND day = ?`).pluck().get(source, day) as
      | string
      | null) ?? undefined
  );
}
