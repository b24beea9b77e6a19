/**
 * From parsed flags to the core's options: day flags to one range, filter flags to a
 * ListOptions. Bad values are UsageErrors (exit 2) naming the flag.
 */
import { filterFields } from '../core/filter-fields.js';
import { addDays, dayOf, parseDay, parseIsoWeek, parseMonth, type Day } from '../dates.js';
import { UsageError } from '../errors.js';
import type { ListOptions, SortKey } from '../core/query.js';
import { parseSourceName } from '../sources/source-name.js';
import { knownCategory, suggestCategories } from '../sources/arxiv/taxonomy.js';
import { quoteArg } from '../text.js';
import type { dayOptions, paperFilterOptions, sourceOptions } from './options.js';
import type { Input } from './spec.js';

/** What the day options parse to (see dayOptions), plus sync's `--days N`. */
export type DayFlags = Partial<Input<typeof dayOptions, {}>> & { days?: number };

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

/** What the filter options parse to (see filterOptions), with the sort and limit of list-like commands. */
export type FilterFlags = DayFlags &
  Partial<Input<typeof paperFilterOptions, {}>> &
  Partial<Input<typeof sourceOptions, {}>> & { sort?: SortKey; limit?: number };

/** `--source`: hf, arxiv (any arXiv source) or a checked arXiv source name, as the filter stores them. */
export function sourcesFromFlags(values: readonly string[] | undefined): string[] | undefined {
  if (!values?.length) return undefined;
  const out = values.map((v) => (/^arxiv$/i.test(v.trim()) ? 'arxiv' : parseSourceName(v).name));
  return [...new Set(out)];
}

/** `--cat`: arXiv's spelling of a category or archive (`cs`, `cs.*`), checked against the taxonomy. */
export function categoriesFromFlags(values: readonly string[] | undefined): string[] | undefined {
  if (!values?.length) return undefined;
  return [
    ...new Set(
      values.map((v) => {
        const s = v.trim();
        const archive = s.endsWith('.*');
        const c = knownCategory(archive ? s.slice(0, -2) : s);
        if (!c) {
          const near = suggestCategories(s.replace(/\.\*$/, ''));
          throw new UsageError(`--cat: arXiv has no category ${quoteArg(v)}`, {
            hint: near.length ? `did you mean ${near.join(', ')}?` : 'see https://arxiv.org/category_taxonomy',
          });
        }
        return archive ? `${c}.*` : c;
      }),
    ),
  ];
}

/** Longest `--author` / `--org`: no name is longer, and SQLite's LIKE refuses patterns past 50,000 bytes. */
const MAX_NAME = 1000;

function nameArg(flag: string, value: string | undefined): string | undefined {
  if (value !== undefined && value.length > MAX_NAME) {
    throw new UsageError(`${flag} is too long (${value.length} characters; at most ${MAX_NAME})`);
  }
  return value;
}

/** The filter fields with the flags' checks (source names, categories, name lengths). */
const FLAG_FIELDS = filterFields({ sources: sourcesFromFlags, categories: categoriesFromFlags, name: nameArg });

export function filterFromFlags(flags: FilterFlags, now: Date): ListOptions {
  const out: Record<string, unknown> = { ...resolveDayRange(flags, now) };
  for (const field of FLAG_FIELDS) {
    const v = field.fromFlag((flags as Record<string, unknown>)[field.flagKey]);
    if (v !== undefined) out[field.key] = v;
  }
  return { ...(out as ListOptions), sort: flags.sort, limit: flags.limit };
}
