/**
 * `papers new`: papers listed since the mark that were not shown (`--mark-seen` moves it
 * after printing), or listed on the days the day options name. `--watch NAME` uses that
 * watch's query and filters and its own mark. The meaning of a mark is core/new.ts's.
 */
import { filterFromFlags } from '../cmdutil/filters.js';
import { abstractOption, filterOptions, flag, jsonOption, limitOption, text } from '../cmdutil/options.js';
import { defineCommand } from '../cmdutil/spec.js';
import {
  describeScope,
  getNewMark,
  hasFilter,
  latestFirstSeen,
  readNew,
  scopeNotice,
  setNewMark,
  type NewWindow,
  type Selection,
} from '../core/new.js';
import { requireWatch, setWatchSeen, watchSelection } from '../core/watch.js';
import { UsageError } from '../errors.js';
import { createOutput } from '../render/output.js';
import { plural } from '../text.js';

export default defineCommand({
  name: 'new',
  summary: 'papers listed since your last --mark-seen that you have not been shown, grouped by listing day',
  description: `The mark records what you were shown: papers listed after it, or listed again after it
without having been shown, are new; a backfill of older days is not. With no mark yet, only
the latest listing day counts (a first run after a backfill shows one day, not the archive).
Day options (--date, --since, --until, --week, --month) pick listing days instead of the
mark, as on \`papers list\`. --watch NAME uses that watch's own filters and mark.`,
  access: (o) => (o.markSeen ? 'update' : 'read'),
  options: {
    ...filterOptions,
    watch: text('--watch <name>', "only this watch's matches it has not shown yet"),
    hidden: flag('--hidden', 'show the papers you hid (papers hide) too'),
    markSeen: flag('--mark-seen', 'after printing, move the mark past everything new (filters too; not with --limit)'),
    ...limitOption(),
    ...abstractOption,
    ...jsonOption,
  },
  examples: [
    'papers new',
    'papers new --mark-seen',
    'papers new --watch agents --mark-seen',
    'papers new --since 7d',
    'papers new --date 2026-08-21 --json',
  ],
  async run(ctx, o) {
    const now = ctx.now();
    // Day options pick papers by the day they were first seen, instead of the mark.
    const { since, until, sort: _sort, limit, ...filter } = filterFromFlags(o, now);
    const byDays = [o.date, o.since, o.until, o.week, o.month].some((x) => x !== undefined);
    if (o.markSeen && limit !== undefined) {
      // The mark is a point in time: it cannot pass the papers shown and not the others.
      throw new UsageError(
        '--mark-seen cannot be combined with --limit: it would mark papers that were not shown as seen',
        {
          hint: 'drop --limit (pipe to head to read fewer), then mark with `papers new --mark-seen`',
        },
      );
    }
    const db = await ctx.db();
    let sel: Selection;
    let mark: string | null;
    if (o.watch !== undefined) {
      if (hasFilter(filter)) {
        throw new UsageError('--watch uses the filters saved with the watch; drop the other filters', {
          hint:
            `papers watch show ${o.watch} shows what it matches; ` +
            `papers watch add ${o.watch} --force ... changes it`,
        });
      }
      const w = requireWatch(db, o.watch);
      sel = { ...watchSelection(w), hidden: o.hidden };
      mark = w.seenAt;
    } else {
      sel = { filter, hidden: o.hidden };
      mark = getNewMark(db);
    }
    const markTo = latestFirstSeen(db);
    const window: NewWindow = byDays ? { since, until, upTo: markTo } : { after: mark, upTo: markTo };
    const { papers: all, scope } = readNew(db, sel, window);
    const papers = limit === undefined ? all : all.slice(0, limit);

    const out = createOutput(ctx, o);
    const c = out.color;
    out.papers(papers, {
      abstract: o.abstract,
      dayHeading: (day, n) => c.bold.underline(day ?? 'unknown day') + c.dim(` · ${n} new`),
    });

    if (o.markSeen && markTo) {
      if (o.watch !== undefined) setWatchSeen(db, o.watch, markTo);
      else setNewMark(db, markTo);
    }
    // A first run shows one day: say so wherever stderr goes (cron mails it once).
    const notice = scopeNotice(scope, { markSeen: o.markSeen });
    if (notice && !ctx.quiet && !o.json) ctx.io.err(notice);
    const who = o.watch !== undefined ? `watch ${o.watch}: ` : '';
    const count =
      papers.length < all.length
        ? `${papers.length} of ${plural(all.length, 'new paper')}`
        : plural(papers.length, 'new paper');
    out.note(`${who}${count}, ${describeScope(scope)}`);
    if (o.markSeen && markTo) out.note('marked as seen');
    else if (papers.length && !byDays) {
      out.note(`\`papers new${o.watch !== undefined ? ` --watch ${o.watch}` : ''} --mark-seen\` marks them as seen`);
    }
    return 0;
  },
});
