/**
 * Option parsing shared by commands: days and ranges, numbers, list filters. Bad
 * values are UsageErrors (exit 2) naming the flag.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { addDays, dayOf, parseDay, parseIsoWeek, parseMonth, type Day } from '../dates.js';
import { UsageError } from '../errors.js';
import { SORT_KEYS, type ListOptions, type SortKey } from '../core/query.js';

export function intArg(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(
        max === Number.MAX_SAFE_INTEGER ? `${name} must be a whole number of at least ${min}` : `${name} must be a whole number from ${min} to ${max}`,
      );
    }
    return n;
  };
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export interface DayFlags {
  date?: string;
  since?: string;
  until?: string;
  days?: number;
  week?: string;
  month?: string;
}

export interface DayRange {
  since?: Day;
  until?: Day;
}

/**
 * The day flags to one inclusive range. `--date` is one day; `--week`, `--month` and
 * `--days N` (the last N days through today) are ranges that combine with
 * `--since`/`--until` by intersection.
 */
export function resolveDayRange(flags: DayFlags, now: Date): DayRange {
  const today = dayOf(now);
  let since: Day | undefined;
  let until: Day | undefined;
  const narrow = (s: Day | undefined, u: Day | undefined) => {
    if (s && (!since || s > since)) since = s;
    if (u && (!until || u < until)) until = u;
  };
  if (flags.date !== undefined) {
    const d = parseDay(flags.date, now, '--date');
    narrow(d, d);
  }
  if (flags.week !== undefined) {
    const w = parseIsoWeek(flags.week);
    narrow(w.since, w.until);
  }
  if (flags.month !== undefined) {
    const m = parseMonth(flags.month);
    narrow(m.since, m.until);
  }
  if (flags.days !== undefined) narrow(addDays(today, -(flags.days - 1)), today);
  if (flags.since !== undefined) narrow(parseDay(flags.since, now, '--since'), undefined);
  if (flags.until !== undefined) narrow(undefined, parseDay(flags.until, now, '--until'));
  if (flags.since !== undefined && flags.until !== undefined) {
    const s = parseDay(flags.since, now, '--since');
    const u = parseDay(flags.until, now, '--until');
    if (s > u) throw new UsageError(`--since ${s} is after --until ${u}`, { hint: 'swap them, or drop one' });
  }
  if (since && until && since > until) {
    throw new UsageError(`the day options select no days (${since} is after ${until})`);
  }
  return { since, until };
}

/** The day options of list-like commands. */
export function addDayOptions(cmd: Command): Command {
  return cmd
    .option('--date <day>', 'one listing day (YYYY-MM-DD, today, yesterday, 3d)')
    .option('--since <day>', 'from this day on (YYYY-MM-DD, or 7d, 2w: days/weeks ago)')
    .option('--until <day>', 'up to this day, inclusive')
    .option('--week <week>', 'an ISO week, e.g. 2025-W07')
    .option('--month <month>', 'a month, e.g. 2025-03');
}

/** The filter options of list, search and export. */
/** The list filters; `days: false` leaves out the day options (a watch follows new papers). */
export function addFilterOptions(cmd: Command, opts: { days?: boolean } = {}): Command {
  return (opts.days === false ? cmd : addDayOptions(cmd))
    .option('-k, --keyword <text>', 'word or phrase in title, abstract, AI summary or keywords (repeatable; all must match)', collect)
    .option('--any', 'with several --keyword: any one may match')
    .option('--exclude <text>', 'drop papers matching this word or phrase (repeatable)', collect)
    .option('--author <name>', 'an author name contains this (case and accents ignored)')
    .option('--org <name>', 'the organization contains this')
    .option('--min-upvotes <n>', 'at least this many upvotes', intArg('--min-upvotes', 0))
    .option('--has-code', 'only papers with a known GitHub repository');
}

export function sortOption(): Option {
  return new Option('--sort <key>', 'order: date (newest day first, then upvotes), upvotes, stars, rising (upvote growth over --window)').choices(
    SORT_KEYS as string[],
  );
}

export interface FilterFlags extends DayFlags {
  keyword?: string[];
  any?: boolean;
  exclude?: string[];
  author?: string;
  org?: string;
  minUpvotes?: number;
  hasCode?: boolean;
  sort?: SortKey;
  limit?: number;
}

/** Longest `--author` / `--org`: no name is longer, and SQLite's LIKE refuses patterns past 50,000 bytes. */
const MAX_NAME = 1000;

function nameArg(flag: string, value: string | undefined): string | undefined {
  if (value !== undefined && value.length > MAX_NAME) {
    throw new UsageError(`${flag} is too long (${value.length} characters; at most ${MAX_NAME})`);
  }
  return value;
}

export function filterFromFlags(flags: FilterFlags, now: Date): ListOptions {
  const range = resolveDayRange(flags, now);
  return {
    ...range,
    keywords: flags.keyword,
    any: flags.any,
    exclude: flags.exclude,
    author: nameArg('--author', flags.author),
    org: nameArg('--org', flags.org),
    minUpvotes: flags.minUpvotes,
    hasCode: flags.hasCode,
    sort: flags.sort,
    limit: flags.limit,
  };
}
