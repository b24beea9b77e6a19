/**
 * The digest: for each watch, the matches it has not reported yet (or those first seen
 * since a day), most upvoted first. With no watches at all, one section of every new
 * paper against the global mark, so `papers sync && papers digest` works out of the box.
 * Pure data; render/digest-*.ts turn it into Markdown or HTML.
 */
import type { Day } from '../dates.js';
import type { DB } from '../db/open.js';
import type { Paper } from './papers.js';
import { byUpvotes, dayWindow, getNewMark, latestFirstSeen, selectNew, setNewMark, type NewWindow } from './new.js';
import { describeWatch, listWatches, requireWatch, setWatchSeen, watchSelection, type Watch, type WatchFilter } from './watch.js';

export interface DigestSection {
  /** The watch, or null for the all-papers section of an archive without watches. */
  watch: string | null;
  title: string;
  /** The watch's flags, e.g. `-k agent --min-upvotes 10`. */
  description: string;
  filter: WatchFilter;
  query: string | null;
  raw: boolean;
  /** The mark the section counted from (null: nothing reported yet, or --since). */
  seenAt: string | null;
  papers: Paper[];
}

export interface Digest {
  generatedAt: string;
  /** `--since`: first seen on or after this day, instead of since each mark. */
  since: Day | null;
  /** The newest first_seen when the digest was read: what --mark-seen moves marks to. */
  markTo: string | null;
  sections: DigestSection[];
}

export interface DigestOptions {
  /** Only these watches, in this order; default: all, by name. */
  watches?: string[];
  since?: Day;
  now: Date;
}

export function buildDigest(db: DB, opts: DigestOptions): Digest {
  const markTo = latestFirstSeen(db);
  const names = opts.watches?.length ? [...new Set(opts.watches)] : undefined;
  const watches: Watch[] = names ? names.map((n) => requireWatch(db, n)) : listWatches(db);
  const since = opts.since ?? null;
  const window = (mark: string | null): NewWindow => ({ ...(since ? dayWindow(since, undefined) : { after: mark }), upTo: markTo });
  const sections: DigestSection[] = watches.map((w) => ({
    watch: w.name,
    title: w.name,
    description: describeWatch(w),
    filter: w.filter,
    query: w.query,
    raw: w.raw,
    seenAt: since ? null : w.seenAt,
    papers: selectNew(db, watchSelection(w), window(w.seenAt)).sort(byUpvotes),
  }));
  if (!names && watches.length === 0) {
    const mark = getNewMark(db);
    sections.push({
      watch: null,
      title: 'New papers',
      description: '',
      filter: {},
      query: null,
      raw: false,
      seenAt: since ? null : mark,
      papers: selectNew(db, { filter: {} }, window(mark)).sort(byUpvotes),
    });
  }
  return { generatedAt: opts.now.toISOString(), since, markTo, sections };
}

/** After a digest was delivered: each section's mark moves to what the digest read. */
export function markDigestSeen(db: DB, d: Digest): void {
  if (!d.markTo) return;
  const at = d.markTo;
  db.transaction(() => {
    for (const s of d.sections) {
      if (s.watch === null) setNewMark(db, at);
      else setWatchSeen(db, s.watch, at);
    }
  })();
}

export function digestPaperCount(d: Digest): number {
  return d.sections.reduce((n, s) => n + s.papers.length, 0);
}

/** The `--format json` shape. */
export function digestJson(d: Digest): unknown {
  return {
    generatedAt: d.generatedAt,
    since: d.since,
    sections: d.sections.map((s) => ({
      watch: s.watch,
      title: s.title,
      description: s.description,
      filter: s.filter,
      query: s.query,
      raw: s.raw,
      seenAt: s.seenAt,
      papers: s.papers,
    })),
  };
}
