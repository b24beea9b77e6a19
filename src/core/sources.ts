/**
 * Followed sources (kept in the archive) and the syncs of announcement sources: the
 * latest announcement from a feed, earlier days from a harvest. The source adapter
 * does the fetching and parsing; this module decides what to ask, what a repeated or
 * empty answer means, and writes whole days. Never prints: it returns summaries.
 */
import { crypto } from '../shims/builtins.js';
import type { Day } from '../dates.js';
import { ParseError, UsageError, errorMessage, isAbortError } from '../errors.js';
import type { DB } from '../db/open.js';
import { countListings, recordDayFailure, saveDay } from '../db/store.js';
import { HF_SOURCE, parseSourceName } from '../sources/source-name.js';
import { CursorExpiredError, type AnnouncementSource, type FeedCache, type PaperRecord } from '../sources/types.js';
import { quoteArg } from '../text.js';
import type { SourceTask, TaskContext } from './runner.js';
import { selectAll } from './new.js';
import { listSuspicion } from './sync.js';
import { listingSection, listingTypeOn, type Paper } from './papers.js';
import { dayPapers, type PaperFilter } from './query.js';
import { listWatches, watchSelection } from './watch.js';

// ---------------------------------------------------------------- followed sources

export interface FollowedSource {
  name: string;
  addedAt: string;
  /** The latest day the source listed papers on in the archive. */
  lastDay: Day | null;
  papers: number;
}

/** Follows a source (checked and spelled as arXiv does). `added` is false when it already was. */
export function addSource(db: DB, input: string, now: Date): { name: string; added: boolean } {
  const { name } = parseSourceName(input);
  const r = db
    .prepare('INSERT INTO sources (name, added_at) VALUES (?, ?) ON CONFLICT(name) DO NOTHING')
    .run(name, now.toISOString());
  return { name, added: r.changes > 0 };
}

/** Stops following a source; its papers and listings stay in the archive. */
export function removeSource(db: DB, input: string): string {
  const { name } = parseSourceName(input);
  if (db.prepare('DELETE FROM sources WHERE name = ?').run(name).changes === 0) {
    const followed = followedSources(db);
    throw new UsageError(`${quoteArg(name)} is not a followed source`, {
      hint: followed.length ? `followed: ${followed.join(', ')}` : 'no source is followed; papers source add NAME',
    });
  }
  return name;
}

export function followedSources(db: DB): string[] {
  return db.prepare('SELECT name FROM sources ORDER BY name').pluck().all() as string[];
}

export function listSources(db: DB): FollowedSource[] {
  return db
    .prepare(
      `SELECT name, added_at AS addedAt,
         (SELECT max(day) FROM listings l WHERE l.source = name) AS lastDay,
         (SELECT count(DISTINCT paper_id) FROM listings l WHERE l.source = name) AS papers
       FROM sources ORDER BY name`,
    )
    .all() as FollowedSource[];
}

// ---------------------------------------------------------------- announcement sync

export type AnnouncementOutcome =
  /** Fetched within the current announcement cycle already: no request made. */
  | 'fresh'
  /** The feed said (304) that nothing changed. */
  | 'not-modified'
  /** A new or updated announcement day was saved. */
  | 'saved'
  /** The feed repeated the previous announcement (same ids) under another day: not a new day. */
  | 'repeat'
  /** No announcement (weekend, holiday): an empty day. */
  | 'empty'
  /** The feed named a day that cannot be an announcement day: nothing saved (see `warning`). */
  | 'skipped'
  | 'failed';

export interface AnnouncementSummary {
  source: string;
  outcome: AnnouncementOutcome;
  day: Day | null;
  papers: number;
  new: number;
  updated: number;
  requests: number;
  error?: string;
  /** Why the feed was skipped (outcome 'skipped'), or why its day was kept whole (it shrank). */
  warning?: string;
  /** Papers the day listed before that the feed no longer lists: kept, marked gone. */
  gone?: number;
}

interface FeedState {
  etag: string | null;
  last_modified: string | null;
  day: Day | null;
  ids_hash: string | null;
  fetched_at: string;
}

/**
 * What makes a batch the same batch: its papers, how each is listed, and at which version
 * (issue 23.9: a feed of newer versions of the same papers is a new announcement, not a
 * repeat of the old one).
 */
function idsHash(entries: PaperRecord[]): string {
  return crypto()
    .createHash('sha1')
    .update(
      entries
        .map((e) => `${e.id} ${e.listingType ?? ''} ${e.arxiv?.version ?? ''}`)
        .sort()
        .join('\n'),
    )
    .digest('hex');
}

function feedState(db: DB, source: string): FeedState | undefined {
  return db.prepare('SELECT * FROM feed_state WHERE source = ?').get(source) as FeedState | undefined;
}

function freshSummary(source: string, state: FeedState | undefined): AnnouncementSummary {
  const day = state?.day ?? null;
  return { source, outcome: 'fresh', day, papers: 0, new: 0, updated: 0, requests: 0 };
}

/**
 * The latest announcement of a source as a runner task (kind `feed`): at most one feed
 * request per announcement cycle, conditional on the last answer's validators. An
 * upstream failure fails the day loudly and writes nothing; a feed that names an unknown
 * category is a usage error.
 */
export function feedTask(source: AnnouncementSource): SourceTask<AnnouncementSummary> {
  return {
    source: source.name,
    kind: 'feed',
    due(db, now) {
      const state = feedState(db, source.name);
      return !state || now.getTime() >= source.nextCheckAt(Date.parse(state.fetched_at), state.day);
    },
    idle: (db) => freshSummary(source.name, feedState(db, source.name)),
    async run(ctx) {
      const summary = await syncAnnouncement(ctx, source);
      const saved = summary.outcome === 'saved' || summary.outcome === 'empty';
      const failed = summary.outcome === 'failed';
      return {
        result: summary,
        totals: {
          days: saved ? 1 : 0,
          failed: failed ? 1 : 0,
          papers: summary.papers,
          newPapers: summary.new,
          updated: summary.updated,
        },
        status: failed ? 'failed' : 'ok',
        error: summary.error,
      };
    },
  };
}

async function syncAnnouncement(ctx: TaskContext, source: AnnouncementSource): Promise<AnnouncementSummary> {
  const { db } = ctx;
  const started = ctx.startedAt;
  const state = feedState(db, source.name);
  const summary = freshSummary(source.name, state);
  const requestsBefore = ctx.http.requests;
  const done = () => {
    summary.requests = ctx.http.requests - requestsBefore;
    return summary;
  };
  const cache: FeedCache | null = state ? { etag: state.etag, lastModified: state.last_modified } : null;
  let answer;
  try {
    answer = await source.fetchLatest(cache, { http: ctx.http, signal: ctx.signal, now: ctx.now });
  } catch (err) {
    if (err instanceof UsageError || ctx.signal.aborted || isAbortError(err)) throw err;
    const day = source.currentDay(started.getTime());
    const error = errorMessage(err);
    const requests = ctx.http.requests - requestsBefore;
    recordDayFailure(db, { source: source.name, day, error, requests, via: 'rss', now: ctx.now().toISOString() });
    Object.assign(summary, { outcome: 'failed', day, error });
    return done();
  }
  const nowIso = ctx.now().toISOString();
  const remember = (day: Day | null, hash: string | null) =>
    db
      .prepare(
        `INSERT INTO feed_state (source, etag, last_modified, day, ids_hash, fetched_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(source) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
           day = excluded.day, ids_hash = excluded.ids_hash, fetched_at = excluded.fetched_at`,
      )
      .run(source.name, answer.cache.etag, answer.cache.lastModified, day, hash, nowIso);
  const a = answer.announcement;
  if (!a) {
    summary.outcome = 'not-modified';
    remember(state?.day ?? null, state?.ids_hash ?? null);
    return done();
  }
  if (a.dayProblem) {
    // A feed that lies about its day (after tomorrow, not a calendar day) saves nothing, and
    // is not remembered: the next sync asks again, and takes the real announcement.
    Object.assign(summary, { outcome: 'skipped', day: null, warning: `${a.url}: ${a.dayProblem}; skipped` });
    return done();
  }
  const hash = a.entries.length ? idsHash(a.entries) : null;
  if (hash && state?.ids_hash === hash && state.day !== a.day) {
    // The same batch under a new date (a feed stuck on the previous announcement): the
    // papers are not announced again, so no second day.
    Object.assign(summary, { outcome: 'repeat', day: state.day });
    remember(state.day, hash);
    return done();
  }
  if (!a.day) {
    summary.outcome = 'empty';
    remember(null, null);
    return done();
  }
  summary.day = a.day;
  if (a.entries.length === 0 && countListings(db, source.name, a.day) > 0) {
    const error = `${a.url} returned an empty announcement for ${a.day}, which has papers in the archive; kept them`;
    recordDayFailure(db, { source: source.name, day: a.day, error, requests: 1, via: 'rss', now: nowIso });
    Object.assign(summary, { outcome: 'failed', error });
    return done();
  }
  const { entries, skipped } = a;
  // As HF's days: a feed that shrank the day by half or dropped entries keeps every listing, said;
  // papers that left a whole-looking list are marked gone, and counted.
  const warning = listSuspicion(a, countListings(db, source.name, a.day), a.day, false, false);
  const missing = warning ? 'keep' : 'gone';
  const input = { source: source.name, day: a.day, entries, skipped, requests: 1, via: 'rss', now: nowIso };
  const r = saveDay(db, { ...input, missing, warning });
  Object.assign(summary, {
    outcome: a.entries.length ? 'saved' : 'empty',
    papers: a.entries.length,
    new: r.inserted.length,
    updated: r.updated.length,
    ...(warning ? { warning } : {}),
    ...(r.listingsGone ? { gone: r.listingsGone } : {}),
  });
  remember(a.day, hash);
  return done();
}

// ---------------------------------------------------------------- backfill

export interface BackfillSummary {
  source: string;
  since: Day;
  pages: number;
  /** Whether an interrupted harvest was taken up where it stopped. */
  resumed: boolean;
  /** Restarts after the source refused a resume point (an expired token). */
  restarts: number;
  days: number;
  papers: number;
  new: number;
  updated: number;
  /** Records left out because a day they carry cannot be a listing day (a datestamp of 2099). */
  refused?: { count: number; example: string };
}

export interface BackfillEvent {
  type: 'page';
  pages: number;
  staged: number;
}

/** How often a harvest may start over after its resume point expired. */
export const MAX_RESTARTS = 2;

interface HarvestRow {
  since: Day;
  cursor: string | null;
  pages: number;
  complete: number;
}

/**
 * Backfills the days since `since` from the source's harvest, listing each paper on the
 * day of its first version (`submitted`). Pages are staged in the archive with the resume
 * point, one transaction each, so an interrupted harvest resumes where it stopped; days
 * are written only when the harvest is complete, each in one transaction: no half day, no
 * duplicate. An expired resume point starts the harvest over (the staged records stay).
 */
export function harvestTask(
  source: AnnouncementSource,
  since: Day,
  onEvent?: (e: BackfillEvent) => void,
): SourceTask<BackfillSummary> {
  return {
    source: source.name,
    kind: 'harvest',
    async run(ctx) {
      const summary = await backfillSource(ctx, source, since, onEvent);
      return {
        result: summary,
        totals: {
          days: summary.days,
          failed: 0,
          papers: summary.papers,
          newPapers: summary.new,
          updated: summary.updated,
        },
        status: 'ok',
      };
    },
  };
}

/** The harvest row of a source, started afresh unless it is the same harvest taken up again. */
function openHarvest(db: DB, source: string, since: Day, nowIso: string): { row: HarvestRow; resumed: boolean } {
  const row = db.prepare('SELECT since, cursor, pages, complete FROM harvests WHERE source = ?').get(source) as
    | HarvestRow
    | undefined;
  if (row !== undefined && row.since === since) return { row, resumed: true };
  db.transaction(() => {
    db.prepare('DELETE FROM harvest_records WHERE source = ?').run(source);
    db.prepare(
      `INSERT INTO harvests (source, since, cursor, pages, complete, started_at, updated_at)
       VALUES (?, ?, NULL, 0, 0, ?, ?)
       ON CONFLICT(source) DO UPDATE SET since = excluded.since, cursor = NULL, pages = 0, complete = 0,
         started_at = excluded.started_at, updated_at = excluded.updated_at`,
    ).run(source, since, nowIso, nowIso);
  })();
  return { row: { since, cursor: null, pages: 0, complete: 0 }, resumed: false };
}

async function backfillSource(
  ctx: TaskContext,
  source: AnnouncementSource,
  since: Day,
  onEvent?: (e: BackfillEvent) => void,
): Promise<BackfillSummary> {
  const { db } = ctx;
  const now = () => ctx.now().toISOString();
  const { row, resumed } = openHarvest(db, source.name, since, now());
  const summary: BackfillSummary = {
    ...{ source: source.name, since, pages: row.pages, resumed },
    ...{ restarts: 0, days: 0, papers: 0, new: 0, updated: 0 },
  };
  const stage = db.prepare(
    `INSERT INTO harvest_records (source, paper_id, day, record) VALUES (?, ?, ?, ?)
     ON CONFLICT(source, paper_id) DO UPDATE SET day = excluded.day, record = excluded.record`,
  );
  const advance = db.prepare(
    'UPDATE harvests SET cursor = ?, pages = ?, complete = ?, updated_at = ? WHERE source = ?',
  );
  let cursor = row.cursor;
  let complete = row.complete === 1;
  // A server that hands out a resume point it gave before would be harvested forever.
  const seen = new Set<string>(cursor === null ? [] : [cursor]);
  while (!complete) {
    let page;
    try {
      page = await source.harvestPage(since, cursor, { http: ctx.http, signal: ctx.signal, now: ctx.now });
    } catch (err) {
      if (err instanceof CursorExpiredError && cursor !== null && summary.restarts < MAX_RESTARTS) {
        summary.restarts++;
        cursor = null;
        seen.clear();
        continue;
      }
      throw err;
    }
    const next = page.next;
    if (next !== null && seen.has(next)) {
      throw new ParseError(
        `${page.url} repeated a resumption token it gave before: the harvest would never end, so it stops here ` +
          `(${summary.pages} pages staged; nothing written)`,
        { url: page.url },
      );
    }
    if (next !== null) seen.add(next);
    summary.pages++;
    if (page.refused) {
      summary.refused ??= { count: 0, example: page.refused.example };
      summary.refused.count += page.refused.count;
    }
    const pages = summary.pages;
    db.transaction(() => {
      for (const r of page.records) stage.run(source.name, r.record.id, r.day, JSON.stringify(r.record));
      advance.run(next, pages, next === null ? 1 : 0, now(), source.name);
    })();
    cursor = next;
    complete = next === null;
    onEvent?.({ type: 'page', pages, staged: stagedCount(db, source.name) });
  }
  writeStagedDays(db, source.name, now(), summary, ctx);
  db.prepare('DELETE FROM harvests WHERE source = ?').run(source.name);
  return summary;
}

function stagedCount(db: DB, source: string): number {
  return db.prepare('SELECT count(*) FROM harvest_records WHERE source = ?').pluck().get(source) as number;
}

/** Each staged day in one transaction with the removal of its staged records. */
function writeStagedDays(db: DB, source: string, nowIso: string, summary: BackfillSummary, ctx: TaskContext): void {
  const days = db
    .prepare('SELECT DISTINCT day FROM harvest_records WHERE source = ? ORDER BY day')
    .pluck()
    .all(source) as Day[];
  const ofDay = db.prepare('SELECT record FROM harvest_records WHERE source = ? AND day = ? ORDER BY paper_id').pluck();
  const drop = db.prepare('DELETE FROM harvest_records WHERE source = ? AND day = ?');
  for (const day of days) {
    const entries = (ofDay.all(source, day) as string[]).map((r) => JSON.parse(r) as PaperRecord);
    const r = db.transaction(() => {
      const input = { source, day, entries, skipped: 0, requests: 0, via: 'oai', now: nowIso, additive: true };
      const saved = saveDay(db, input);
      drop.run(source, day);
      return saved;
    })();
    summary.days++;
    summary.papers += entries.length;
    summary.new += r.inserted.length;
    summary.updated += r.updated.length;
    ctx.tally({ days: summary.days, papers: summary.papers, newPapers: summary.new, updated: summary.updated });
  }
}

/** The papers among `ids` that one of the user's watches matches on `day`. */
export function watchedOn(db: DB, day: Day, ids: string[]): Set<string> {
  const watched = new Set<string>();
  for (const w of listWatches(db)) {
    const sel = watchSelection(w);
    for (const p of selectAll(db, { ...sel, filter: { ...sel.filter, ids, since: day, until: day, types: ['all'] } })) {
      watched.add(p.id);
    }
  }
  return watched;
}

/**
 * An announcement day ranked for a reader: papers one of the user's watches matches first,
 * then papers HF lists (by upvotes), then arXiv's order (dayPapers' order, kept within
 * each group); the category's own papers before its cross-lists (then replacements, as
 * arXiv orders them), so cross-lists read as a section of their own.
 */
export function rankedAnnouncement(db: DB, day: Day, filter: PaperFilter, limit?: number): Paper[] {
  const papers = dayPapers(db, day, undefined, filter);
  const ids = papers.map((p) => p.id);
  const watched = watchedOn(db, day, ids);
  const onHf = new Set(
    db
      .prepare(
        `SELECT DISTINCT paper_id FROM listings
         WHERE source = '${HF_SOURCE}' AND paper_id IN (SELECT value FROM json_each(?))`,
      )
      .pluck()
      .all(JSON.stringify(ids)) as string[],
  );
  const group = (p: Paper) => (watched.has(p.id) ? 0 : onHf.has(p.id) ? 1 : 2);
  const section = (p: Paper) => listingSection(listingTypeOn(p, day));
  const ranked = papers
    .map((p, i) => ({ p, i }))
    .sort((a, b) => section(a.p) - section(b.p) || group(a.p) - group(b.p) || a.i - b.i);
  return ranked.slice(0, limit).map((r) => r.p);
}
