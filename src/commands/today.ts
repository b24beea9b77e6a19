/** `papers today`: the current UTC day's list, refreshed when stale. */
import { abstractOption, flag, jsonOption, limitOption, text } from '../cmdutil/options.js';
import { defineCommand } from '../cmdutil/spec.js';
import { countDay, dayPapers, latestListingDay } from '../core/query.js';
import { daysToRefresh, sync } from '../core/sync.js';
import { dayOf, parseDay, parseDuration, weekday } from '../dates.js';
import { LockedError, UsageError, errorMessage } from '../errors.js';
import { createOutput } from '../render/output.js';
import { createProgress } from '../render/progress.js';
import { hfDaily } from '../sources/hf-daily.js';
import { visibleControls } from '../text.js';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export default defineCommand({
  name: 'today',
  summary: "the current UTC day's list, ranked by upvotes (synced first when older than --max-age)",
  description:
    'When today has no list yet (early UTC morning, weekends), the latest day with one is\n' +
    'shown, and named on stderr. A day given with --date is that day only.',
  pager: true,
  access: 'write',
  options: {
    date: text('--date <day>', 'show another day (YYYY-MM-DD, yesterday, 3d)'),
    offline: flag('--offline', 'never touch the network'),
    maxAge: text('--max-age <duration>', 'refresh the day when its last sync is older than this', { default: '30m' }),
    ...abstractOption,
    ...limitOption(),
    ...jsonOption,
  },
  examples: [
    'papers today',
    'papers today --date yesterday --abstract',
    'papers today --offline --json | jq ".[0].title"',
    'papers today | cut -f1,4',
  ],
  async run(ctx, o) {
    const now = ctx.now();
    const io = ctx.io;
    const out = createOutput(ctx, o);
    const today = dayOf(now);
    const day = o.date !== undefined ? parseDay(o.date, now, '--date') : today;
    if (day > today) throw new UsageError(`${day} is in the future (today is ${today} UTC)`);
    const maxAgeMs = parseDuration(o.maxAge, '--max-age');
    // A read-only archive is still worth showing: opened read-only, it is just not refreshed.
    const db = await ctx.db({ readonly: true });
    // The message may carry a server's words.
    const warn = (msg: string) => io.err(`${io.errColor.yellow('warning:')} ${visibleControls(msg)}`);

    if (!o.offline) {
      const days = daysToRefresh(db, hfDaily.name, day, now, maxAgeMs);
      if (days.length && db.readonly) {
        warn(`the archive is read-only, so ${day} was not refreshed; showing the archive as it is`);
      } else if (days.length) {
        const progress = await createProgress(io, { quiet: ctx.quiet, json: o.json, text: `fetching the list of ${day}…` });
        try {
          const s = await sync(await ctx.syncDeps(), {
            source: hfDaily,
            days,
            force: true,
            concurrency: 4,
            lockWaitMs: 0,
            signal: ctx.signal,
          });
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
      if (o.date !== undefined) {
        // A day asked for by name is that day: an empty answer, and where the nearest list is.
        if (!ctx.quiet) io.err(`${why}${latest ? `; the latest earlier day with a list is ${latest} (papers today --date ${latest})` : ''}`);
        if (o.json) out.jsonArray([]);
        return 0;
      }
      if (!latest) {
        io.err(`${why}, and the archive has no earlier day${o.offline ? '; run `papers sync`' : ''}`);
        if (o.json) out.jsonArray([]);
        return 0;
      }
      if (!ctx.quiet) io.err(`${why}; showing ${latest}, the latest day with a list`);
      shown = latest;
    }
    const papers = dayPapers(db, shown, o.limit);
    if (out.tty && !out.json) {
      const total = countDay(db, shown);
      const count =
        papers.length < total ? `top ${papers.length} of ${total} papers` : `${total} paper${total === 1 ? '' : 's'}`;
      out.title(`Hugging Face Daily Papers · ${shown} (${WEEKDAYS[weekday(shown)]}) · ${count}`);
    }
    out.papers(papers, { abstract: o.abstract, numbered: true });
    return 0;
  },
});
