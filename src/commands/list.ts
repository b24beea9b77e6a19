/** `papers list`: the archive, filtered. */
import type { Context } from '../context.js';
import { listPapers } from '../core/query.js';
import type { Paper } from '../core/papers.js';
import { risingPapers } from '../core/signals.js';
import { parseDuration } from '../dates.js';
import { printJsonArray, printPaperList } from '../render/papers.js';
import { filterFromFlags, type FilterFlags } from './options.js';

export interface ListFlags extends FilterFlags {
  abstract?: boolean;
  json?: boolean;
  window?: string;
}

export async function runList(ctx: Context, flags: ListFlags): Promise<number> {
  const now = ctx.now();
  const opts = filterFromFlags(flags, now);
  const db = await ctx.db();
  const papers: Iterable<Paper> =
    opts.sort === 'rising'
      ? risingPapers(db, { ...opts, windowMs: parseDuration(flags.window ?? '3d', '--window'), now })
      : listPapers(db, opts);
  const n = flags.json ? printJsonArray(ctx.io, papers) : printPaperList(ctx.io, papers, { abstract: flags.abstract, showDay: true });
  if (n === 0 && ctx.io.errTty && !ctx.quiet && !flags.json) {
    if (opts.sort === 'rising') {
      ctx.io.err(ctx.io.errColor.dim(`no upvote growth seen in the last ${flags.window ?? '3d'}: rising compares the upvotes of successive syncs (cron \`papers sync\` collects them)`));
    } else emptyHint(ctx);
  }
  return 0;
}

export function emptyHint(ctx: Context): void {
  ctx.io.err(ctx.io.errColor.dim('no papers match; widen the filters, or run `papers sync` to fetch more days'));
}
