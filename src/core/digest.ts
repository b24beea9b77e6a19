/**
 * The digest: for each watch, the matches it has not shown yet (or those listed on the
 * days asked for), most upvoted first. With no watches at all, one section of every new
 * paper against the global mark, so `papers sync && papers digest` works out of the box.
 * Marks are listing-day marks (new.ts): with none yet, a section covers the latest day.
 * With stars, a "For you" section comes first: the top new papers by a model of the stars
 * (recommend.ts), with its own mark so that a daily digest ranks each day's papers once.
 * Pure data; render/digest-*.ts turn it into Markdown or HTML.
 */
import type { Day } from '../dates.js';
import type { DB } from '../db/open.js';
import type { Paper } from './papers.js';
import type { PaperFilter } from './query.js';
import {
  byUpvotes,
  describeScope,
  getNewMark,
  latestFirstSeen,
  markAdvances,
  readNew,
  scopeNotice,
  setNewMark,
  type NewScope,
  type NewWindow,
  windowFilter,
} from './new.js';
import { FOR_YOU_RELEVANCE, recommendPapers } from './recommend.js';
import { describeWatch, listWatches, requireWatch, setWatchSeen, type Watch, type WatchFilter } from './watch.js';

/** The mark of the "For you" section: what the last delivered digest ranked. */
export const FOR_YOU_MARK_KEY = 'digest.for-you.seen_at';

export interface DigestSection {
  /** The watch, or null for the all-papers section of an archive without watches, and for "For you". */
  watch: string | null;
  /** The "For you" section: papers ranked by a model of the stars (each with a score), not a watch. */
  forYou?: boolean;
  /** "For you": how many papers the model ranked (those shown reach FOR_YOU_RELEVANCE). */
  considered?: number;
  title: string;
  /** The watch's flags, e.g. `-k agent --min-upvotes 10`. */
  description: string;
  filter: WatchFilter;
  query: string | null;
  raw: boolean;
  /** The mark the section counted from, encoded (null: none yet, or a day range was asked for). */
  seenAt: string | null;
  /** What the section covers, in listing days. */
  scope: NewScope;
  papers: Paper[];
}

export interface Digest {
  generatedAt: string;
  /** `--since`/`--date`: listed on or after this day, instead of since each mark. */
  since: Day | null;
  /** `--date`/`--until`: listed on or before this day. */
  until: Day | null;
  /** The archive as the digest read it (encoded mark): what --mark-seen moves marks to. */
  markTo: string | null;
  sections: DigestSection[];
}

export interface DigestOptions {
  /** Only these watches, in this order; default: all, by name. */
  watches?: string[];
  since?: Day;
  until?: Day;
  /** How many papers "For you" ranks (0 or none: no section). */
  forYou?: number;
  /** `--source`/`--cat`/`--type`: applied to every section (in place of a watch's own). */
  filter?: Pick<PaperFilter, 'sources' | 'categories' | 'types'>;
  now: Date;
}

const pick = ({ filter, query, raw, seenAt }: Watch) => ({ filter, query, raw, seenAt });

export function buildDigest(db: DB, opts: DigestOptions): Digest {
  const markTo = latestFirstSeen(db);
  const names = opts.watches?.length ? [...new Set(opts.watches)] : undefined;
  const watches: Watch[] = names ? names.map((n) => requireWatch(db, n)) : listWatches(db);
  const days = !!(opts.since || opts.until);
  const given = Object.fromEntries(Object.entries(opts.filter ?? {}).filter(([, v]) => v !== undefined));
  const window = (mark: string | null): NewWindow =>
    days ? { since: opts.since, until: opts.until, upTo: markTo } : { after: mark, upTo: markTo };
  const section = (w: Omit<DigestSection, 'scope' | 'papers'>): DigestSection => {
    const filter = { ...w.filter, ...given };
    const { papers, scope } = readNew(db, { filter, query: w.query, raw: w.raw }, window(w.seenAt));
    return { ...w, seenAt: days ? null : w.seenAt, scope, papers: papers.sort(byUpvotes) };
  };
  const sections: DigestSection[] = watches.map((w) =>
    section({ watch: w.name, title: w.name, description: describeWatch(w), ...pick(w) }),
  );
  if (!names && watches.length === 0) {
    const all = { watch: null, title: 'New papers', description: '', filter: {}, query: null, raw: false };
    sections.push(section({ ...all, seenAt: getNewMark(db) }));
  }
  const forYou = forYouSection(db, opts.forYou ?? 0, window, days);
  if (forYou) sections.unshift(forYou);
  const { since = null, until = null } = opts;
  return { generatedAt: opts.now.toISOString(), since, until, markTo, sections };
}

function forYouMark(db: DB): string | null {
  const value = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(FOR_YOU_MARK_KEY);
  return (value as string | undefined) ?? null;
}

/**
 * "For you": the top `limit` papers of the digest's window (its days, or since the section's own
 * mark) by a model of all the stars, among those whose relevance reaches FOR_YOU_RELEVANCE (so
 * it may be empty: nothing looks like the stars); null with fewer than MIN_STARS stars or
 * nothing to rank.
 */
function forYouSection(
  db: DB,
  limit: number,
  window: (mark: string | null) => NewWindow,
  days: boolean,
): DigestSection | null {
  if (limit <= 0) return null;
  const seenAt = days ? null : forYouMark(db);
  const w = window(seenAt);
  const r = recommendPapers(db, { window: w });
  if (r.notice || !r.candidates) return null;
  const papers = r.papers.filter((p) => p.relevance >= FOR_YOU_RELEVANCE).slice(0, limit);
  const scope = windowFilter(db, w)?.scope ?? { kind: 'empty' };
  const base = { watch: null, forYou: true, title: 'For you', description: 'papers recommend', filter: {} };
  return { ...base, query: null, raw: false, seenAt, scope, papers, considered: r.candidates };
}

/** After a digest was delivered: each section's mark moves to what the digest read. */
export function markDigestSeen(db: DB, d: Digest): void {
  if (!d.markTo) return;
  const at = d.markTo;
  db.transaction(() => {
    for (const s of d.sections) {
      if (s.forYou) {
        if (!markAdvances(db, forYouMark(db), at)) continue;
        db.prepare(
          'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
        ).run(FOR_YOU_MARK_KEY, at);
      } else if (s.watch === null) setNewMark(db, at);
      else setWatchSeen(db, s.watch, at);
    }
  })();
}

/** Distinct papers: one in two watches is listed in both sections and counted once. */
export function digestPaperCount(d: Digest): number {
  return new Set(d.sections.flatMap((s) => s.papers.map((p) => p.id))).size;
}

/** The watches a digest has sections for. */
export function digestWatchCount(d: Digest): number {
  return d.sections.filter((s) => s.watch !== null).length;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * What the digest covers, in listing days, and how many papers: "42 papers, 3 watches:
 * listed since 2025-03-10, not shown before". Sections that differ in scope say so.
 */
export function digestSummary(d: Digest): string {
  const watches = digestWatchCount(d);
  const count = [plural(digestPaperCount(d), 'paper'), ...(watches ? [plural(watches, 'watch', 'watches')] : [])];
  const scopes = [...new Set(d.sections.map((s) => describeScope(s.scope)))];
  const scope = scopes.length === 1 ? scopes[0]! : 'each watch since its own mark (below)';
  return `${count.join(', ')}: ${scope}`;
}

/** What the CLI says on stderr about a digest (no mark yet), or null. */
export function digestNotice(d: Digest, opts: { markSeen?: boolean } = {}): string | null {
  // "For you" follows the watches' days; its own first run is not worth a notice.
  const first = d.sections.find((s) => s.scope.kind === 'latest-day' && !s.forYou);
  if (!first) return null;
  const notice = scopeNotice(first.scope, opts);
  const unmarked = d.sections.filter((s) => s.scope.kind === 'latest-day' && s.watch !== null).map((s) => s.watch);
  return unmarked.length && unmarked.length < d.sections.length ? `${notice} (${unmarked.join(', ')})` : notice;
}

/** What an empty "For you" says, or the line above a full one: how many papers were considered. */
export function forYouNote(s: DigestSection): string | null {
  if (!s.forYou || s.considered === undefined) return null;
  const n = plural(s.considered, 'paper');
  return s.papers.length
    ? `${n} considered; shown: relevance to your stars at least ${FOR_YOU_RELEVANCE}`
    : `Nothing today looks like your stars (${n} considered).`;
}

/** The `--format json` shape. */
export function digestJson(d: Digest): unknown {
  return {
    generatedAt: d.generatedAt,
    since: d.since,
    until: d.until,
    summary: digestSummary(d),
    papers: digestPaperCount(d),
    sections: d.sections.map((s) => ({
      watch: s.watch,
      forYou: !!s.forYou,
      ...(s.considered !== undefined ? { considered: s.considered } : {}),
      title: s.title,
      description: s.description,
      filter: s.filter,
      query: s.query,
      raw: s.raw,
      seenAt: s.seenAt,
      scope: describeScope(s.scope),
      papers: s.papers,
    })),
  };
}
