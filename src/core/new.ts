/**
 * "What is new since last time": papers by the time they were first stored
 * (`papers.first_seen`), against a mark. The global mark lives in `meta`; each watch
 * keeps its own in `watches.seen_at` (see watch.ts).
 *
 * A mark is the newest `first_seen` the reader saw, not the wall clock: every paper in
 * the archive when the listing was read is then "seen", and the next sync's papers are
 * new whatever the clocks of the two processes say.
 */
import { addDays, type Day } from '../dates.js';
import type { DB } from '../db/open.js';
import { asPaper, type Paper } from './papers.js';
import { listPapers, searchPapers, type ListOptions, type PaperFilter } from './query.js';

export const NEW_MARK_KEY = 'new.seen_at';

/** Which first-seen times count as new. All bounds optional; ISO timestamps. */
export interface NewWindow {
  /** Exclusive lower bound: the mark. */
  after?: string | null;
  /** Inclusive lower bound (from `--since DAY`). */
  from?: string;
  /** Exclusive upper bound (the day after `--until DAY`). */
  before?: string;
  /** Inclusive upper bound: the newest first_seen when the read started. */
  upTo?: string | null;
}

/** What to select: list filters, or a search query with filters (a watch). */
export interface Selection {
  filter: PaperFilter;
  query?: string | null;
  raw?: boolean;
}

export function getNewMark(db: DB): string | null {
  return (db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(NEW_MARK_KEY) as string | null | undefined) ?? null;
}

/** Moves the global mark forward (never back). */
export function setNewMark(db: DB, at: string): void {
  db.prepare(
    `INSERT INTO meta (key, value) VALUES (?, ?)
     ON CONFLICT(key) DO UPDATE SET value = excluded.value WHERE meta.value IS NULL OR meta.value < excluded.value`,
  ).run(NEW_MARK_KEY, at);
}

/** The newest first_seen in the archive: what a mark moves to. */
export function latestFirstSeen(db: DB): string | null {
  return (db.prepare('SELECT max(first_seen) FROM papers').pluck().get() as string | null) ?? null;
}

/** A day range (first-seen days, inclusive) as a window. */
export function dayWindow(since: Day | undefined, until: Day | undefined): NewWindow {
  return {
    ...(since ? { from: `${since}T00:00:00.000Z` } : {}),
    ...(until ? { before: `${addDays(until, 1)}T00:00:00.000Z` } : {}),
  };
}

/** Ids of the papers first seen inside the window (uses the first_seen index). */
export function newPaperIds(db: DB, w: NewWindow): Set<string> {
  const ids = db
    .prepare(
      `SELECT id FROM papers
       WHERE first_seen > ? AND first_seen >= ? AND first_seen < ? AND first_seen <= ?`,
    )
    .pluck()
    .all(w.after ?? '', w.from ?? '', w.before ?? '\uffff', w.upTo ?? '\uffff') as string[];
  return new Set(ids);
}

/** True when the filter narrows anything beyond what every paper passes. */
export function hasFilter(f: PaperFilter): boolean {
  return (
    !!f.since ||
    !!f.until ||
    !!f.keywords?.some((k) => k.trim()) ||
    !!f.exclude?.some((k) => k.trim()) ||
    !!f.author?.trim() ||
    !!f.org?.trim() ||
    f.minUpvotes !== undefined ||
    !!f.hasCode
  );
}

/**
 * The papers among `ids` that pass the list filter, in listPapers order (newest
 * listing day first by default). The walk over listings starts at the earliest day
 * that lists one of the ids, so a small recent set reads only recent days.
 */
export function papersAmong(db: DB, ids: ReadonlySet<string>, filter: ListOptions): Paper[] {
  if (ids.size === 0) return [];
  const minDay = db
    .prepare('SELECT min(day) FROM listings WHERE paper_id IN (SELECT value FROM json_each(?))')
    .pluck()
    .get(JSON.stringify([...ids])) as Day | null;
  if (!minDay) return [];
  const since = filter.since && filter.since > minDay ? filter.since : minDay;
  // `ids` lets SQL skip the other papers once query.ts filters on it; the `has` check
  // below keeps this exact until then.
  const opts: ListOptions & { ids: string[] } = { ...filter, since, limit: undefined, ids: [...ids] };
  const out: Paper[] = [];
  for (const p of listPapers(db, opts)) {
    if (ids.has(p.id)) out.push(p);
  }
  return out;
}

/** Newest listing day first, then upvotes: how `new` groups its output. */
export function byDay(a: Paper, b: Paper): number {
  return (b.day ?? '').localeCompare(a.day ?? '') || b.upvotes - a.upvotes || a.id.localeCompare(b.id);
}

/** Most upvoted first: how a digest orders a section. */
export function byUpvotes(a: Paper, b: Paper): number {
  return b.upvotes - a.upvotes || (b.day ?? '').localeCompare(a.day ?? '') || a.id.localeCompare(b.id);
}

/** The papers of a selection first seen inside the window, newest day first. */
export function selectNew(db: DB, sel: Selection, w: NewWindow, limit?: number): Paper[] {
  const ids = newPaperIds(db, w);
  let papers: Paper[];
  if (sel.query) {
    papers = [];
    for (const h of searchPapers(db, { ...sel.filter, query: sel.query, raw: sel.raw })) {
      if (ids.has(h.id)) papers.push(asPaper(h));
    }
    papers.sort(byDay);
  } else {
    papers = papersAmong(db, ids, { ...sel.filter, sort: 'date' });
  }
  return limit === undefined ? papers : papers.slice(0, limit);
}

/** All matches of a selection: ranked hits for a query, else the list order. */
export function* selectAll(db: DB, sel: Selection, limit?: number): Generator<Paper> {
  if (limit === 0) return;
  if (sel.query) {
    for (const h of searchPapers(db, { ...sel.filter, query: sel.query, raw: sel.raw, limit })) yield asPaper(h);
  } else {
    yield* listPapers(db, { ...sel.filter, limit });
  }
}
