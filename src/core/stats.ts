/**
 * Trends: papers per ISO week or month, with the most frequent AI keywords and
 * organizations of each period. A paper counts once, in the period of its first
 * listing day (a re-listed paper is not a second paper).
 */
import { addDays, isoWeekOf, parseIsoWeek, parseMonth, type Day } from '../dates.js';
import type { DB } from '../db/open.js';
import { cleanLine, foldText } from '../text.js';
import { hasReplacements, listingCondition, type PaperFilter } from './query.js';

export type StatsPeriod = 'week' | 'month';
/** Periods, or arXiv's categories (each paper under its primary one). */
export type StatsBy = StatsPeriod | 'category';

/** Where a paper arXiv has not described is counted with `--by category`. */
export const NO_CATEGORY = '(none)';

export interface StatsOptions {
  since?: Day;
  until?: Day;
  by: StatsBy;
  /** Sources and types count the listings of those only; categories keep papers in any of them. */
  filter?: Pick<PaperFilter, 'sources' | 'categories' | 'types'>;
  /** Keywords and organizations per period. */
  top: number;
  /** Today: the range runs through the current period, which is marked partial. */
  today?: Day;
}

export interface Count {
  name: string;
  papers: number;
}

export interface PeriodStats {
  /** `2025-03` or `2025-W10`, or a category with `--by category`. */
  period: string;
  since: Day;
  until: Day;
  papers: number;
  upvotes: number;
  keywords: Count[];
  organizations: Count[];
  /** The current period, still running: counted through `today`. */
  partial?: boolean;
}

export interface Stats {
  by: StatsBy;
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

/** A word in the singular: "models" -> "model", "LLMs" -> "llm", "studies" -> "study". */
function singular(w: string): string {
  if (w.length > 4 && w.endsWith('ies')) return w.slice(0, -3) + 'y';
  if (w.length > 3 && w.endsWith('s') && !/(ss|us|is)$/.test(w)) return w.slice(0, -1);
  return w;
}

const ACRONYM = /^(.*\S)\s*\(([^()]+)\)$/;

/** A keyword's key: folded, hyphens as spaces, each word singular, a trailing "(ACRONYM)" dropped. */
export function keywordKey(folded: string): { key: string; acronym: string | null } {
  const words = (s: string) =>
    s
      .replace(/[-\s]+/g, ' ')
      .trim()
      .split(' ')
      .map(singular)
      .join(' ');
  const m = ACRONYM.exec(folded);
  return m ? { key: words(m[1]!), acronym: words(m[2]!) } : { key: words(folded), acronym: null };
}

/**
 * Keyword keys that mean one thing: "Large Language Models (LLMs)", "large language
 * models" and "LLMs" all become "large language model" once some keyword of the range
 * spells the acronym out.
 */
export class KeywordMerger {
  private aliases = new Map<string, string>();
  learn(folded: string): void {
    const k = keywordKey(folded);
    if (k.acronym && !this.aliases.has(k.acronym)) this.aliases.set(k.acronym, k.key);
  }
  key(folded: string): string {
    const k = keywordKey(folded).key;
    return this.aliases.get(k) ?? k;
  }
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

/** Whether a category is among `wanted` (`cs` and `cs.*` are the whole archive). */
function categoryWanted(category: string, wanted: readonly string[]): boolean {
  const archive = category.split('.')[0]!;
  const archiveOf = (w: string) => (w.endsWith('.*') ? w.slice(0, -2) : w.includes('.') ? null : w);
  return wanted.some((w) => w === category || archiveOf(w) === archive);
}

function categoriesOf(json: string | null): string[] {
  try {
    const v = JSON.parse(json ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export function computeStats(db: DB, opts: StatsOptions): Stats {
  const f = opts.filter ?? {};
  // The first listing day among the listings the filter keeps (replacements are not papers of a day).
  const cond = listingCondition(f, 'l', hasReplacements(db)).replace(/^ AND /, 'WHERE ');
  let rows = db
    .prepare(
      `SELECT f.day AS day, p.ai_keywords AS keywords, p.organization AS org, p.upvotes AS upvotes,
         p.categories AS categories
       FROM (SELECT paper_id, min(day) AS day FROM listings l ${cond} GROUP BY paper_id) f
       JOIN papers p ON p.id = f.paper_id
       WHERE f.day BETWEEN ? AND ?`,
    )
    .all(opts.since ?? '0000-00-00', opts.until ?? '9999-99-99') as {
    day: Day;
    keywords: string;
    org: string | null;
    upvotes: number;
    categories: string | null;
  }[];
  const wanted = f.categories;
  if (wanted?.length) rows = rows.filter((r) => categoriesOf(r.categories).some((c) => categoryWanted(c, wanted)));
  const by = opts.by;
  const groupOf = (r: (typeof rows)[number]): string =>
    by === 'category' ? (categoriesOf(r.categories)[0] ?? NO_CATEGORY) : periodOf(r.day, by);
  // Keywords merge across case, plurals and a spelled-out acronym (KeywordMerger).
  const merger = new KeywordMerger();
  const rowKeywords = rows.map((r) => keywordsOf(r.keywords).map((k) => nameOf(k)));
  for (const list of rowKeywords) for (const k of list) merger.learn(k.key);
  const byPeriod = new Map<string, Acc>();
  const total = newAcc();
  let first: Day | undefined;
  let last: Day | undefined;
  rows.forEach((r, i) => {
    if (!first || r.day < first) first = r.day;
    if (!last || r.day > last) last = r.day;
    const key = groupOf(r);
    let acc = byPeriod.get(key);
    if (!acc) byPeriod.set(key, (acc = newAcc()));
    // A keyword listed twice on one paper counts once.
    const kws = new Map(rowKeywords[i]!.map((n) => [merger.key(n.key), n]));
    const org = r.org ? nameOf(r.org) : null;
    for (const a of [acc, total]) {
      a.papers++;
      a.upvotes += r.upvotes;
      for (const [key, k] of kws) a.keywords.add({ name: k.name, key });
      if (org) a.orgs.add(org);
    }
  });
  if (by === 'category') {
    return {
      by,
      since: opts.since ?? null,
      until: opts.until ?? null,
      papers: total.papers,
      periods: categoryPeriods(byPeriod, opts.top, opts.since ?? first, opts.until ?? last),
      keywords: total.keywords.top(opts.top),
      organizations: total.orgs.top(opts.top),
    };
  }
  // Every period of the range, empty ones included, so gaps show.
  const start = opts.since ?? first;
  const period = by;
  // Through the current period when today is known (it shows, marked partial), else the last day.
  const end = opts.until ?? (opts.today && (!last || opts.today > last) ? opts.today : last) ?? start;
  const periods: PeriodStats[] = [];
  if (start && end) {
    let p = periodOf(start, period);
    const endP = periodOf(end, period);
    for (let guard = 0; guard < 100_000; guard++) {
      const b = periodBounds(p, period);
      const acc = byPeriod.get(p) ?? newAcc();
      periods.push({
        period: p,
        since: b.since,
        until: b.until,
        papers: acc.papers,
        upvotes: acc.upvotes,
        keywords: acc.keywords.top(opts.top),
        organizations: acc.orgs.top(opts.top),
        ...(opts.today && b.since <= opts.today && opts.today < b.until ? { partial: true } : {}),
      });
      if (p === endP) break;
      p = periodOf(addDays(b.until, 1), period);
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

/** The categories with papers, most papers first (ties by name), papers without one last. */
function categoryPeriods(
  groups: Map<string, Acc>,
  top: number,
  since: Day | undefined,
  until: Day | undefined,
): PeriodStats[] {
  return [...groups.entries()]
    .sort(([a, x], [b, y]) => {
      const none = +(a === NO_CATEGORY) - +(b === NO_CATEGORY);
      return none || y.papers - x.papers || collator.compare(a, b);
    })
    .map(([category, acc]) => ({
      period: category,
      since: since ?? '',
      until: until ?? '',
      papers: acc.papers,
      upvotes: acc.upvotes,
      keywords: acc.keywords.top(top),
      organizations: acc.orgs.top(top),
    }));
}
