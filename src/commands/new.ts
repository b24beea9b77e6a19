/**
 * `papers new`: papers first seen since the mark (`--mark-seen` moves it after
 * printing), or first seen in the days the day options name. `--watch NAME` uses that
 * watch's query and filters and its own mark.
 */
import type { Context } from '../context.js';
import { dayWindow, getNewMark, hasFilter, latestFirstSeen, selectNew, setNewMark, type NewWindow, type Selection } from '../core/new.js';
import type { Paper } from '../core/papers.js';
import { requireWatch, setWatchSeen, watchSelection } from '../core/watch.js';
import { UsageError } from '../errors.js';
import type { IO } from '../render/io.js';
import { printJsonArray, renderPaperBlock, tsvLine } from '../render/papers.js';
import { relativeTime } from '../render/text.js';
import { filterFromFlags, type FilterFlags } from './options.js';

export interface NewFlags extends FilterFlags {
  watch?: string;
  markSeen?: boolean;
  abstract?: boolean;
  json?: boolean;
}

const hasDayFlags = (f: FilterFlags) =>
  f.date !== undefined || f.since !== undefined || f.until !== undefined || f.week !== undefined || f.month !== undefined || f.days !== undefined;

export async function runNew(ctx: Context, flags: NewFlags): Promise<number> {
  const now = ctx.now();
  // Day options pick papers by the day they were first seen, instead of the mark.
  const { since, until, sort: _sort, limit, ...filter } = filterFromFlags(flags, now);
  const byDays = hasDayFlags(flags);
  if (flags.markSeen && limit !== undefined) {
    // The mark is a point in time: it cannot pass the papers shown and not the others.
    throw new UsageError('--mark-seen cannot be combined with --limit: it would mark papers that were not shown as seen', {
      hint: 'drop --limit (pipe to head to read fewer), then mark with `papers new --mark-seen`',
    });
  }
  const db = await ctx.db();
  let sel: Selection;
  let mark: string | null;
  if (flags.watch !== undefined) {
    if (hasFilter(filter)) {
      throw new UsageError('--watch uses the filters saved with the watch; drop the other filters', {
        hint: `papers watch show ${flags.watch} shows what it matches; papers watch add ${flags.watch} --force ... changes it`,
      });
    }
    const w = requireWatch(db, flags.watch);
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

  const io = ctx.io;
  if (flags.json) printJsonArray(io, papers);
  else if (!io.tty) for (const p of papers) io.out(tsvLine(p, { abstract: flags.abstract }));
  else printGrouped(io, papers, flags.abstract);

  if (flags.markSeen && markTo) {
    if (flags.watch !== undefined) setWatchSeen(db, flags.watch, markTo);
    else setNewMark(db, markTo);
  }
  if (io.errTty && !ctx.quiet && !flags.json) {
    const c = io.errColor;
    const who = flags.watch !== undefined ? `watch ${flags.watch}: ` : '';
    const scope = byDays
      ? `first seen ${since ? `since ${since}` : ''}${since && until ? ' ' : ''}${until ? `until ${until}` : ''}`
      : mark
        ? `since ${relativeTime(mark, now)} (${mark.slice(0, 16).replace('T', ' ')} UTC)`
        : 'no mark yet: everything counts as new';
    const count = papers.length < all.length ? `${papers.length} of ${all.length} new papers` : `${papers.length} new paper${papers.length === 1 ? '' : 's'}`;
    io.err(c.dim(`${who}${count}, ${scope}`));
    if (flags.markSeen && markTo) io.err(c.dim('marked as seen'));
    else if (papers.length && !byDays) io.err(c.dim(`\`papers new${flags.watch !== undefined ? ` --watch ${flags.watch}` : ''} --mark-seen\` marks them as seen`));
  }
  return 0;
}

/** TTY: a heading per listing day, then its papers. */
function printGrouped(io: IO, papers: Paper[], abstract?: boolean): void {
  const c = io.color;
  let i = 0;
  while (i < papers.length) {
    const day = papers[i]!.day;
    let j = i;
    while (j < papers.length && papers[j]!.day === day) j++;
    if (i > 0) io.out('');
    io.out(c.bold.underline(day ?? 'unknown day') + c.dim(` · ${j - i} new`));
    for (let k = i; k < j; k++) {
      io.out('');
      for (const l of renderPaperBlock(io, papers[k]!, k - i, j - i, { abstract })) io.out(l);
    }
    i = j;
  }
}
