/**
 * Import saved API bodies or saved pages through the same parse and save path as sync.
 */
import { basename } from 'node:path';
import { isValidDay, listingDayProblem, type Day } from '../dates.js';
import { PapersError, UsageError, checkAborted } from '../errors.js';
import { readInput } from './input.js';
import type { DB } from '../db/open.js';
import { countListings, saveDay } from '../db/store.js';
import { listSuspicion } from './sync.js';
import type { PaperRecord, ParsedDay, SourceAdapter } from '../sources/types.js';

export interface ImportResult {
  file: string;
  day?: Day;
  papers: number;
  inserted: number;
  updated: number;
  skipped: number;
  error?: string;
  /**
   * The entries say they were listed on another day than the one used, the file was skipped,
   * or it shrank the day (or dropped entries) and every listing was kept.
   */
  warning?: string;
  /** Papers the day listed that the file no longer lists: kept, marked gone. */
  gone?: number;
  /** Why nothing was imported: its day cannot be a listing day. */
  notImported?: string;
  /** Where the day came from when not from --date: `name`, `page` or `entries` (submittedOnDailyAt). */
  dayFrom?: 'name' | 'page' | 'entries';
  /** A capture of several days (no date= in it): each entry on its own listing day, papers per day. */
  days?: { day: Day; papers: number }[];
}

type SourceDays = Pick<SourceAdapter, 'name' | 'firstDay'>;

/** A day the user typed for `import`: a usage error when it cannot be a listing day. */
export function checkImportDay(day: Day, now: Date, source: SourceDays): void {
  const problem = listingDayProblem(day, now, source);
  if (problem) throw new UsageError(`--date ${problem}`, { hint: 'pass the listing day the file was saved for' });
}

/** The day a file lists: the flag, else a YYYY-MM-DD in its name, else what the body says. */
function dayFromName(file: string): Day | undefined {
  const m = /(\d{4}-\d{2}-\d{2})/.exec(basename(file));
  return m && isValidDay(m[1]!) ? m[1] : undefined;
}

/**
 * Each entry's own listing day (`submittedOnDailyAt`), when every entry has one: a capture
 * of the API without `date=` holds the latest entries over several days.
 */
function entryDays(raws: string[]): Day[] | undefined {
  const days: Day[] = [];
  for (const raw of raws) {
    try {
      const at = (JSON.parse(raw) as { paper?: { submittedOnDailyAt?: unknown } }).paper?.submittedOnDailyAt;
      const d = typeof at === 'string' ? at.slice(0, 10) : '';
      if (!isValidDay(d)) return undefined;
      days.push(d);
    } catch {
      return undefined;
    }
  }
  return days.length ? days : undefined;
}

/** Post-2025-03 entries carry their listing day in `submittedOnDailyAt`. */
function dayFromEntries(raws: string[]): Day | undefined {
  let day: Day | undefined;
  for (const raw of raws) {
    try {
      const e = JSON.parse(raw) as { paper?: { submittedOnDailyAt?: unknown } };
      const at = e.paper?.submittedOnDailyAt;
      if (typeof at !== 'string') return undefined;
      const d = at.slice(0, 10);
      if (day && d !== day) return undefined;
      day = d;
    } catch {
      return undefined;
    }
  }
  return day && isValidDay(day) ? day : undefined;
}

/** The largest file `import` reads: as large as a body the network may bring (a day is a few MB). */
export const IMPORT_LIMIT = 64 * 1024 * 1024;

/** A saved body to import, read bounded and interruptibly (see readInput). */
export function readImportFile(file: string, signal?: AbortSignal): Promise<string> {
  return readInput(file, {
    limit: IMPORT_LIMIT,
    signal,
    folderHint: `import the files in it: papers import ${file.replace(/\/+$/, '')}/*.json`,
  });
}

export async function importFile(
  deps: { db: DB; now: () => Date },
  source: SourceAdapter,
  file: string,
  opts: { day?: Day; body?: string; signal?: AbortSignal },
): Promise<ImportResult> {
  if (opts.day) checkImportDay(opts.day, deps.now(), source);
  const body = opts.body ?? (await readImportFile(file, opts.signal));
  const parsed = await source.parseSaved(body, file);
  const listed = dayFromEntries(parsed.entries.map((e) => e.raw));
  const named = dayFromName(file);
  if (!opts.day && !named && !parsed.day && !listed) {
    const days = entryDays(parsed.entries.map((e) => e.raw));
    if (days && new Set(days).size > 1) return importDays(deps, source, file, parsed, days);
  }
  const day = opts.day ?? named ?? parsed.day ?? listed;
  if (!day) {
    throw new UsageError(`cannot tell which day ${file} lists`, {
      hint: 'pass --date YYYY-MM-DD, or name the file after its day',
    });
  }
  const problem = listingDayProblem(day, deps.now(), source);
  if (problem) {
    const from = named ? 'its name' : parsed.day ? 'the page' : 'its entries';
    const why = `not imported: ${problem} (the day from ${from})`;
    return {
      file,
      day,
      papers: 0,
      inserted: 0,
      updated: 0,
      skipped: parsed.skipped,
      warning: why,
      notImported: problem,
    };
  }
  if (parsed.entries.length === 0 && countListings(deps.db, source.name, day) > 0) {
    throw new PapersError(`${file} lists no papers, but ${day} has papers in the archive; kept them`);
  }
  checkAborted(opts.signal);
  // As a sync of the day would (issue 23.9): a file that shrinks the day by half or dropped
  // entries keeps every listing and says so; papers that left a whole-looking list are marked
  // gone, and counted.
  const suspicion = listSuspicion(parsed, countListings(deps.db, source.name, day), day);
  const r = saveDay(deps.db, {
    source: source.name,
    day,
    entries: parsed.entries,
    skipped: parsed.skipped,
    requests: 0,
    via: 'import',
    now: deps.now().toISOString(),
    missing: suspicion ? 'keep' : 'gone',
    warning: suspicion,
  });
  const from = opts.day ? '--date' : named ? 'the file name' : 'the page';
  const moved =
    listed && listed !== day ? `its entries were listed on ${listed}, imported as ${day} (from ${from})` : undefined;
  const warning = [moved, suspicion].filter(Boolean).join('; ');
  return {
    file,
    day,
    papers: parsed.entries.length,
    inserted: r.inserted.length,
    updated: r.updated.length,
    skipped: parsed.skipped,
    ...(opts.day ? {} : { dayFrom: named ? 'name' : parsed.day ? 'page' : 'entries' }),
    ...(r.listingsGone ? { gone: r.listingsGone } : {}),
    ...(warning ? { warning } : {}),
  };
}

/**
 * A capture that spans several listing days: each entry goes on its own day. Such a body
 * holds the latest entries, so its oldest day may be cut short: each day's listings are
 * added (the day's others kept, none marked gone) and no day is recorded as synced.
 */
function importDays(
  deps: { db: DB; now: () => Date },
  source: SourceAdapter,
  file: string,
  parsed: ParsedDay,
  days: Day[],
): ImportResult {
  const byDay = new Map<Day, PaperRecord[]>();
  parsed.entries.forEach((e, i) => {
    const list = byDay.get(days[i]!) ?? [];
    list.push(e);
    byDay.set(days[i]!, list);
  });
  const result: ImportResult = {
    file,
    day: [...byDay.keys()].sort().at(-1),
    papers: 0,
    inserted: 0,
    updated: 0,
    skipped: parsed.skipped,
    dayFrom: 'entries',
    days: [],
  };
  const refused: string[] = [];
  for (const day of [...byDay.keys()].sort()) {
    const entries = byDay.get(day)!;
    const problem = listingDayProblem(day, deps.now(), source);
    if (problem) {
      refused.push(problem);
      continue;
    }
    const r = saveDay(deps.db, {
      source: source.name,
      day,
      entries,
      skipped: 0,
      requests: 0,
      via: 'import',
      now: deps.now().toISOString(),
      additive: true,
    });
    result.papers += entries.length;
    result.inserted += r.inserted.length;
    result.updated += r.updated.length;
    result.days!.push({ day, papers: entries.length });
  }
  if (refused.length) result.warning = `not imported: ${refused.join('; ')} (the day from its entries)`;
  if (!result.days!.length) result.notImported = refused.join('; ');
  return result;
}
