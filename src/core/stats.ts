/**
 * Trends: papers per ISO week or month, with the most frequent AI keywords and
 * organizations of each period. A paper counts once, in the period of its first
 * listing day (a re-listed paper is not a second paper).
 */
import { addDays, isoWeekOf, parseIsoWeek, parseMonth, type Day } from '../dates.js';
import type { DB } from '../db/open.js';
import { cleanLine, foldText } from '../text.js';

export type StatsPeriod = 'week' | 'month';

export interface StatsOptions {
  since?: Day;
  until?: Day;
  by: StatsPeriod;
  /** Keywords and organizations per period. */
  top: number;
}

export interface Count {
  name: string;
  papers: number;
}

export interface PeriodStats {
  /** `2025-03` or `2025-W10`. */
  period: string;
  since: Day;
  until: Day;
  papers: number;
  upvotes: number;
  keywords: Count[];
  organizations: Count[];
}

export interface Stats {
  by: StatsPeriod;
  since: Day | null;
  until: Day | null;
  papers: number;
  periods: PeriodStats[];
  /** Over the whole range. */
  keywords: Count[];
  organizations: Count[];
}

export function periodOf(day: Day, by: StatsPeriod): string {
  return by === 'month' ? day.slice(0, 7) : isoWeekOf(day);
}

export function periodBounds(period: string, by: StatsPeriod): { since: Day; until: Day } {
  return by === 'month' ? parseMonth(period) : parseIsoWeek(period);
}

const collator = new Intl.Collator('en');

/** A display name and its case- and accent-folded key; memoised, as names repeat a lot. */
const names = new Map<string, { name: string; key: string }>();
function nameOf(raw: string): { name: string; key: string } {
  let n = names.get(raw);
  if (!n) {
    const name = cleanLine(raw);
    n = { name, key: foldText(name) };
    if (names.size > 100_000) names.clear();
    names.set(raw, n);
  }
  return n;
}

/** Counts names case- and accent-insensitively, shown in their most frequent spelling. */
class Tally {
  private counts = new Map<string, { n: number; spellings: Map<string, number> }>();
  add({ name, key }: { name: string; key: string }): void {
    if (!name) return;
    let e = this.counts.get(key);
    if (!e) this.counts.set(key, (e = { n: 0, spellings: new Map() }));
    e.n++;
    e.spellings.set(name, (e.spellings.get(name) ?? 0) + 1);
  }
  top(k: number): Count[] {
    const all = [...this.counts.values()].map((e) => {
      let best = '';
      let bestN = -1;
      for (const [s, n] of e.spellings) if (n > bestN || (n === bestN && s < best)) [best, bestN] = [s, n];
      return { name: best, papers: e.n };
    });
    all.sort((a, b) => b.papers - a.papers || collator.compare(a.name, b.name));
    return all.slice(0, k);
  }
}

interface Acc {
  papers: number;
  upvotes: number;
  keywords: Tally;
  orgs: Tally;
}

const newAcc = (): Acc => ({ papers: 0, upvotes: 0, keywords: new Tally(), orgs: new Tally() });

function keywordsOf(json: string): string[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export function computeStats(db: DB, opts: StatsOptions): Stats {
  const rows = db
    .prepare(
      `SELECT f.day AS day, p.ai_keywords AS keywords, p.organization AS org, p.upvotes AS upvotes
       FROM (SELECT paper_id, min(day) AS day FROM listings GROUP BY paper_id) f
       JOIN papers p ON p.id = f.paper_id
       WHERE f.day BETWEEN ? AND ?`,
    )
    .all(opts.since ?? '0000-00-00', opts.until ?? '9999-99-99') as {
    day: Day;
    keywords: string;
    org: string | null;
    upvotes: number;
  }[];
  const byPeriod = new Map<string, Acc>();
  const total = newAcc();
  let first: Day | undefined;
  let last: Day | undefined;
  for (const r of rows) {
    if (!first || r.day < first) first = r.day;
    if (!last || r.day > last) last = r.day;
    const key = periodOf(r.day, opts.by);
    let acc = byPeriod.get(key);
    if (!acc) byPeriod.set(key, (acc = newAcc()));
    // A keyword listed twice on one paper counts once.
    const kws = new Map(keywordsOf(r.keywords).map((k) => nameOf(k)).map((n) => [n.key, n]));
    const org = r.org ? nameOf(r.org) : null;
    for (const a of [acc, total]) {
      a.papers++;
      a.upvotes += r.upvotes;
      for (const k of kws.values()) a.keywords.add(k);
      if (org) a.orgs.add(org);
    }
  }
  // Every period of the range, empty ones included, so gaps show.
  const start = opts.since ?? first;
  const end = opts.until ?? last ?? start;
  const periods: PeriodStats[] = [];
  if (start && end) {
    let p = periodOf(start, opts.by);
    const endP = periodOf(end, opts.by);
    for (let guard = 0; guard < 100_000; guard++) {
      const b = periodBounds(p, opts.by);
      const acc = byPeriod.get(p) ?? newAcc();
      periods.push({
        period: p,
        since: b.since,
        until: b.until,
        papers: acc.papers,
        upvotes: acc.upvotes,
        keywords: acc.keywords.top(opts.top),
        organizations: acc.orgs.top(opts.top),
      });
      if (p === endP) break;
      p = periodOf(addDays(b.until, 1), opts.by);
    }
  }
  return {
    by: opts.by,
    since: opts.since ?? null,
    until: opts.until ?? null,
    papers: total.papers,
    periods,
    keywords: total.keywords.top(opts.top),
    organizations: total.orgs.top(opts.top),
  };
}
