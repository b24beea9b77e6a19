/** `papers today`: the current UTC day's list, refreshed when stale. */
import { addDays, dayOf, parseDay, parseDuration, weekday, type Day } from '../dates.js';
import type { Context } from '../context.js';
import { countDay, dayPapers, latestListingDay } from '../core/query.js';
import { settledDays, sync } from '../core/sync.js';
import { lockPathFor } from '../db/lock.js';
import type { DB } from '../db/open.js';
import { LockedError, UsageError, errorMessage } from '../errors.js';
import { hfDaily } from '../sources/hf-daily.js';
import { printJsonArray, printPaperList } from '../render/papers.js';
import { createProgress } from '../render/progress.js';
import { visibleControls } from '../text.js';
import { httpLogger } from './sync.js';

export interface TodayFlags {
  date?: string;
  offline?: boolean;
  maxAge: string;
  abstract?: boolean;
  json?: boolean;
  limit?: number;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function lastFetched(db: DB, day: Day): string | undefined {
  return (db.prepare(`SELECT ok_at FROM sync_days WHERE source = ? AND day = ?`).pluck().get(hfDaily.name, day) as string | null) ?? undefined;
}

/** Days to refresh before showing `day`: none when fresh, a week when the archive has nothing recent. */
export function daysToRefresh(db: DB, day: Day, now: Date, maxAgeMs: number): Day[] {
  if (settledDays(db, hfDaily.name, [day]).has(day)) return [];
  const at = lastFetched(db, day);
  if (at && now.getTime() - Date.parse(at) < maxAgeMs) return [];
  const latest = latestListingDay(db, day);
  if (!latest || latest < addDays(day, -7)) {
    const week: Day[] = [];
    for (let i = 6; i >= 0; i--) week.push(addDays(day, -i));
    const settled = settledDays(db, hfDaily.name, week);
    return week.filter((d) => d === day || !settled.has(d));
  }
  return [day];
}

export async function runToday(ctx: Context, flags: TodayFlags): Promise<number> {
  const now = ctx.now();
  const io = ctx.io;
  const today = dayOf(now);
  const day = flags.date !== undefined ? parseDay(flags.date, now, '--date') : today;
  if (day > today) throw new UsageError(`${day} is in the future (today is ${today} UTC)`);
  const maxAgeMs = parseDuration(flags.maxAge, '--max-age');
  // A read-only archive is still worth showing: opened read-only, it is just not refreshed.
  const db = await ctx.db({ readonly: true });
  // The message may carry a server's words.
  const warn = (msg: string) => io.err(`${io.errColor.yellow('warning:')} ${visibleControls(msg)}`);

  if (!flags.offline && day <= today) {
    const days = daysToRefresh(db, day, now, maxAgeMs);
    if (days.length && db.readonly) {
      warn(`the archive is read-only, so ${day} was not refreshed; showing the archive as it is`);
    } else if (days.length) {
      const progress = await createProgress(io, { quiet: ctx.quiet, json: flags.json, text: `fetching the list of ${day}…` });
      try {
        const http = await ctx.http({ onEvent: httpLogger(ctx) });
        const s = await sync(
          { db, http, endpoint: ctx.config.endpoint, now: ctx.now, pid: ctx.pid, lockPath: lockPathFor(ctx.config.dbPath) },
          { source: hfDaily, days, force: true, concurrency: 4, lockWaitMs: 0, signal: ctx.signal },
        );
        progress.stop();
        const f = s.failures.find((x) => x.day === day) ?? s.failures[0];
        if (f) warn(`could not refresh ${f.day} (${f.error}); showing the archive as it is`);
      } catch (err) {
        progress.stop();
        if (err instanceof LockedError) warn('a sync is running; showing the archive as it is');
        else if ((err as { exitCode?: number }).exitCode === 130) throw err;
        else warn(`could not refresh ${day} (${errorMessage(err)}); showing the archive as it is`);
      }
    }
  }

  // Whether the day has a list is asked of the archive, not of the (--limit'ed) result.
  let shown = day;
  const latest = latestListingDay(db, day);
  if (latest !== day) {
    const why = day === today ? `no list for ${day} yet` : `no papers listed on ${day}`;
    if (flags.date !== undefined) {
      // A day asked for by name is that day: an empty answer, and where the nearest list is.
      if (!ctx.quiet) io.err(`${why}${latest ? `; the latest earlier day with a list is ${latest} (papers today --date ${latest})` : ''}`);
      if (flags.json) io.out('[]');
      return 0;
    }
    if (!latest) {
      io.err(`${why}, and the archive has no earlier day${flags.offline ? '; run `papers sync`' : ''}`);
      if (flags.json) io.out('[]');
      return 0;
    }
    if (!ctx.quiet) io.err(`${why}; showing ${latest}, the latest day with a list`);
    shown = latest;
  }
  const papers = dayPapers(db, shown, flags.limit);
  if (flags.json) {
    printJsonArray(io, papers);
    return 0;
  }
  if (io.tty) {
    const c = io.color;
    const total = countDay(db, shown);
    const count = papers.length < total ? `top ${papers.length} of ${total} papers` : `${total} paper${total === 1 ? '' : 's'}`;
    io.out(c.bold(`Hugging Face Daily Papers · ${shown} (${WEEKDAYS[weekday(shown)]}) · ${count}`));
    io.out('');
  }
  printPaperList(io, papers, { abstract: flags.abstract, numbered: true });
  return 0;
}
