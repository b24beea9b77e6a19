/**
 * `papers new`: papers first seen since the mark (`--mark-seen` moves it after
 * printing), or first seen in the days the day options name. `--watch NAME` uses that
 * watch's query and filters and its own mark.
 */
import { filterFromFlags } from '../cmdutil/filters.js';
import { abstractOption, filterOptions, flag, jsonOption, limitOption, text } from '../cmdutil/options.js';
import { defineCommand } from '../cmdutil/spec.js';
import { dayWindow, getNewMark, hasFilter, latestFirstSeen, selectNew, setNewMark, type NewWindow, type Selection } from '../core/new.js';
import { requireWatch, setWatchSeen, watchSelection } from '../core/watch.js';
import { UsageError } from '../errors.js';
import { createOutput } from '../render/output.js';
import { relativeTime } from '../render/text.js';

export default defineCommand({
  name: 'new',
  summary: 'papers first seen since your last --mark-seen (or --since), grouped by day',
  description:
    'Day options (--since, --until, --date, --week, --month) pick papers by the day they were\n' +
    "first seen instead of the mark. --watch NAME uses that watch's own filters and mark.",
  access: (o) => (o.markSeen ? 'write' : 'read'),
  options: {
    ...filterOptions,
    watch: text('--watch <name>', "only this watch's matches it has not shown yet"),
    markSeen: flag('--mark-seen', 'after printing, move the mark past everything new (filters too; not with --limit)'),
    ...limitOption(),
    ...abstractOption,
    ...jsonOption,
  },
  examples: ['papers new', 'papers new --mark-seen', 'papers new --watch agents --mark-seen', 'papers new --since 3d --json'],
  async run(ctx, o) {
    const now = ctx.now();
    // Day options pick papers by the day they were first seen, instead of the mark.
    const { since, until, sort: _sort, limit, ...filter } = filterFromFlags(o, now);
    const byDays = [o.date, o.since, o.until, o.week, o.month].some((x) => x !== undefined);
    if (o.markSeen && limit !== undefined) {
      // The mark is a point in time: it cannot pass the papers shown and not the others.
      throw new UsageError('--mark-seen cannot be combined with --limit: it would mark papers that were not shown as seen', {
        hint: 'drop --limit (pipe to head to read fewer), then mark with `papers new --mark-seen`',
      });
    }
    const db = await ctx.db();
    let sel: Selection;
    let mark: string | null;
    if (o.watch !== undefined) {
      if (hasFilter(filter)) {
        throw new UsageError('--watch uses the filters saved with the watch; drop the other filters', {
          hint: `papers watch show ${o.watch} shows what it matches; papers watch add ${o.watch} --force ... changes it`,
        });
      }
      const w = requireWatch(db, o.watch);
      sel = watchSelection(w);
      mark = w.seenAt;
    } else {
      sel = { filter };
      mark = getNewMark(db);
    }
    const markTo = latestFirstSeen(db);
    const window: NewWindow = { ...(byDays ? dayWindow(since, until) : { after: mark }), upTo: markTo };
    const all = selectNew(db, sel, window);
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
    const who = o.watch !== undefined ? `watch ${o.watch}: ` : '';
    const scope = byDays
      ? `first seen ${since ? `since ${since}` : ''}${since && until ? ' ' : ''}${until ? `until ${until}` : ''}`
      : mark
        ? `since ${relativeTime(mark, now)} (${mark.slice(0, 16).replace('T', ' ')} UTC)`
        : 'no mark yet: everything counts as new';
    const count =
      papers.length < all.length
        ? `${papers.length} of ${all.length} new papers`
        : `${papers.length} new paper${papers.length === 1 ? '' : 's'}`;
    out.note(`${who}${count}, ${scope}`);
    if (o.markSeen && markTo) out.note('marked as seen');
    else if (papers.length && !byDays) {
      out.note(`\`papers new${o.watch !== undefined ? ` --watch ${o.watch}` : ''} --mark-seen\` marks them as seen`);
    }
    return 0;
  },
});
