/**
 * "What is new since last time", in listing days. A mark records what the reader was
 * shown: the archive as it stood when the listing was read.
 *
 * A mark is exact because it stores two positions of that read, not a clock:
 * - `day`: the latest listing day then. Papers listed on that day or later may be new;
 *   a backfill of older days never is (`new` speaks of listing days, as `list` does).
 * - `pk`: the newest paper row then (`papers.pk` only grows). A paper stored later was
 *   not shown, even on the same day (the day's list grows while you read); a paper
 *   stored by then was, so a re-listing of it is not new, while a paper first stored
 *   by a later backfill and then listed again after the mark is.
 * Both are taken from the read itself, so a sync that lands between reading and
 * `--mark-seen` is not marked. `at` (the newest first_seen then) is only for display.
 *
 * With no mark yet only the latest listing day counts, so a first run after a backfill
 * shows one day, not the archive. The global mark lives in `meta`; each watch keeps
 * its own in `watches.seen_at` (see watch.ts). Older archives stored a first_seen
 * time there; decodeMark reads that form too.
 */
import { fieldsSet } from './filter-fields.js';
import type { Day } from '../dates.js';
import type { DB } from '../db/open.js';
import { hiddenIds } from './hidden.js';
import { asPaper, type Paper } from './papers.js';
import { searchFullText } from './fulltext.js';
import { listPapers, searchPapers, type ListOptions, type PaperFilter } from './query.js';

export const NEW_MARK_KEY = 'new.seen_at';

export interface Mark {
  /** The latest listing day when the reader read. */
  day: Day;
  /** The newest paper row (papers.pk) when the reader read. */
  pk: number;
  /** The newest first_seen then: when the last sync the reader saw stored papers. */
  at: string | null;
}

/** `at|day|pk`: starts with the time, so a plain reader of the column sees when. */
export function encodeMark(m: Mark): string {
  return `${m.at ?? ''}|${m.day}|${m.pk}`;
}

const MARK = /^([^|]*)\|(\d{4}-\d{2}-\d{2})\|(\d+)$/;

/** A stored mark; a legacy first_seen time is read as the archive as it stood then. */
export function decodeMark(db: DB, stored: string | null | undefined): Mark | null {
  if (!stored) return null;
  const m = MARK.exec(stored);
  if (m) return { at: m[1] || null, day: m[2]!, pk: Number(m[3]) };
  const r = db
    .prepare(
      `SELECT max(p.pk) AS pk,
         (SELECT max(l.day) FROM listings l JOIN papers q ON q.id = l.paper_id WHERE q.first_seen <= ?) AS day
       FROM papers p WHERE p.first_seen <= ?`,
    )
    .get(stored, stored) as { pk: number | null; day: Day | null };
  return r.pk === null || r.day === null ? null : { at: stored, day: r.day, pk: r.pk };
}

/** The mark a read would set: the archive as it stands (null: empty archive). */
export function currentMark(db: DB): Mark | null {
  const r = db
    .prepare(
      `SELECT (SELECT max(day) FROM listings) AS day, (SELECT max(pk) FROM papers) AS pk,
         (SELECT max(first_seen) FROM papers) AS at`,
    )
    .get() as { day: Day | null; pk: number | null; at: string | null };
  return r.day === null || r.pk === null ? null : { day: r.day, pk: r.pk, at: r.at };
}

/** The archive as it stands, encoded: what `--mark-seen` stores. */
export function latestFirstSeen(db: DB): string | null {
  const m = currentMark(db);
  return m ? encodeMark(m) : null;
}

export function getNewMark(db: DB): string | null {
  const value = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(NEW_MARK_KEY);
  return (value as string | null | undefined) ?? null;
}

/** True when `next` covers no less than `prev`: marks only move forward. */
export function markAdvances(db: DB, prev: string | null, next: string): boolean {
  const a = decodeMark(db, prev);
  const b = decodeMark(db, next);
  return !!b && (!a || (b.pk >= a.pk && b.day >= a.day));
}

/** Moves the global mark forward (never back). */
export function setNewMark(db: DB, mark: string): void {
  db.transaction(() => {
    if (!markAdvances(db, getNewMark(db), mark)) return;
    db.prepare(`INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(
      NEW_MARK_KEY,
      mark,
    );
  }).immediate();
}

/**
 * What counts as new. With `since`/`until` (listing days, from --since/--date), those
 * days; else after the mark; with neither, the latest listing day.
 */
export interface NewWindow {
  /** The mark (encoded, as stored); null or absent: none yet. */
  after?: string | null;
  /** First listing day, inclusive. */
  since?: Day;
  /** Last listing day, inclusive. */
  until?: Day;
  /** The archive as it stood when the read started (latestFirstSeen): nothing stored later counts. */
  upTo?: string | null;
}

/** What to select: list filters, or a search query with filters (a watch). */
export interface Selection {
  filter: PaperFilter;
  query?: string | null;
  raw?: boolean;
  /** The query is matched against the full text (papers fetch). */
  fullText?: boolean;
  /** Keep the papers the reader hid (papers hide); by default they are left out. */
  hidden?: boolean;
}

/** What a window covered, in the reader's terms. */
export type NewScope =
  | { kind: 'days'; since: Day | null; until: Day | null }
  | { kind: 'mark'; mark: Mark }
  | { kind: 'latest-day'; day: Day }
  | { kind: 'empty' };

/** The list filter that selects a window: a day range, and for a mark the papers stored after it. */
export function windowFilter(db: DB, w: NewWindow): { filter: PaperFilter; scope: NewScope } | null {
  const upTo = decodeMark(db, w.upTo ?? null) ?? currentMark(db);
  if (!upTo) return null;
  const maxPk = upTo.pk;
  if (w.since || w.until) {
    const scope: NewScope = { kind: 'days', since: w.since ?? null, until: w.until ?? null };
    return { filter: { since: w.since, until: w.until, maxPk }, scope };
  }
  const mark = decodeMark(db, w.after ?? null);
  if (mark) return { filter: { since: mark.day, minPk: mark.pk, maxPk }, scope: { kind: 'mark', mark } };
  return { filter: { since: upTo.day, until: upTo.day, maxPk }, scope: { kind: 'latest-day', day: upTo.day } };
}

/** What the CLI says on stderr about a window, or null when there is nothing to add. */
export function scopeNotice(scope: NewScope, opts: { markSeen?: boolean } = {}): string | null {
  if (scope.kind !== 'latest-day') return null;
  const next = opts.markSeen ? 'marked: the next run starts from here' : '--mark-seen to start from here';
  return `no mark yet: showing the latest day, ${scope.day}; ${next}`;
}

/** The scope as a phrase: "listed since 2025-03-10", "listed on 2025-03-11 (no mark yet)". */
export function describeScope(scope: NewScope): string {
  switch (scope.kind) {
    case 'days':
      if (scope.since && scope.since === scope.until) return `listed on ${scope.since}`;
      return ['listed', scope.since ? `since ${scope.since}` : '', scope.until ? `until ${scope.until}` : '']
        .filter(Boolean)
        .join(' ');
    case 'mark': {
      const at = scope.mark.at ? ` (marked at the sync of ${scope.mark.at.slice(0, 16).replace('T', ' ')} UTC)` : '';
      return `listed since ${scope.mark.day}, not shown before${at}`;
    }
    case 'latest-day':
      return `listed on ${scope.day} (no mark yet: the latest day)`;
    case 'empty':
      return 'the archive is empty';
  }
}

/** True when the filter narrows anything beyond what every paper passes. */
export function hasFilter(f: PaperFilter): boolean {
  return !!f.since || !!f.until || fieldsSet(f);
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
  return [...listPapers(db, { ...filter, since, limit: undefined, ids: [...ids] })];
}

/** Newest listing day first, then upvotes: how `new` groups its output. */
export function byDay(a: Paper, b: Paper): number {
  return (b.day ?? '').localeCompare(a.day ?? '') || (b.upvotes ?? -1) - (a.upvotes ?? -1) || a.id.localeCompare(b.id);
}

/** Most upvoted first: how a digest orders a section. */
export function byUpvotes(a: Paper, b: Paper): number {
  return (b.upvotes ?? -1) - (a.upvotes ?? -1) || (b.day ?? '').localeCompare(a.day ?? '') || a.id.localeCompare(b.id);
}

/** The papers of a selection inside a window, with what it covered. List's own plan, the window as filters. */
export function readNew(db: DB, sel: Selection, w: NewWindow, limit?: number): { papers: Paper[]; scope: NewScope } {
  const win = windowFilter(db, w);
  if (!win) return { papers: [], scope: { kind: 'empty' } };
  const filter: PaperFilter = { ...sel.filter, ...win.filter };
  const hidden = sel.hidden ? new Set<string>() : hiddenIds(db);
  // With hidden papers, the limit applies after they are left out.
  const fetch = hidden.size ? undefined : limit;
  let papers: Paper[];
  if (sel.query) {
    papers = [...searchSelection(db, sel, filter)];
    papers.sort(byDay);
  } else {
    papers = [...listPapers(db, { ...filter, sort: 'date', limit: fetch })];
  }
  if (hidden.size) papers = papers.filter((p) => !hidden.has(p.id));
  if (limit !== undefined) papers = papers.slice(0, limit);
  return { papers, scope: win.scope };
}

/** How many papers of a selection are inside the window (`watch list`). */
export function countNew(db: DB, sel: Selection, w: NewWindow): number {
  return readNew(db, sel, w).papers.length;
}

/** All matches of a selection: ranked hits for a query, else the list order. */
export function* selectAll(db: DB, sel: Selection, limit?: number): Generator<Paper> {
  if (limit === 0) return;
  if (sel.query) {
    yield* searchSelection(db, sel, sel.filter, limit);
  } else {
    yield* listPapers(db, { ...sel.filter, limit });
  }
}

/** A selection's query, over titles and abstracts or (fullText) the stored full text. */
function* searchSelection(db: DB, sel: Selection, filter: PaperFilter, limit?: number): Generator<Paper> {
  const opts = { ...filter, query: sel.query ?? '', raw: sel.raw, limit };
  if (!sel.fullText) {
    for (const h of searchPapers(db, opts)) yield asPaper(h);
    return;
  }
  // A paper fetched but not in the archive has no listing: no watch window selects it.
  for (const h of searchFullText(db, opts)) if (h.paper) yield h.paper;
}
