/** `papers list`: the archive, filtered. */
import { filterFromFlags } from '../cmdutil/filters.js';
import { abstractOption, filterOptions, jsonOption, limitOption, sortOptionForYou, text } from '../cmdutil/options.js';
import { defineCommand } from '../cmdutil/spec.js';
import type { Paper } from '../core/papers.js';
import { listPapers } from '../core/query.js';
import { MIN_STARS, orderForYou, type ForYou } from '../core/recommend.js';
import { PapersError } from '../errors.js';
import { type RisingPaper, risingEmptyReason, risingPapers } from '../core/signals.js';
import { parseDuration } from '../dates.js';
import { createOutput, type PaperView } from '../render/output.js';

/**
 * `--sort rising` shows what it sorts by: the growth over the window takes the upvote
 * column on a terminal (with the count now beside it), and two columns after the title
 * when piped (growth, window); JSON carries both.
 */
export function risingView(window: string): PaperView<RisingPaper> {
  return {
    badge: (p) => `+${(p as RisingPaper).growth}`,
    meta: (p) => [`+${(p as RisingPaper).growth} upvotes in ${window} (▲${p.upvotes ?? 0} now)`],
    tsv: (p) => [p.growth, window],
    json: (p) => ({ ...p, window }),
  };
}

export default defineCommand({
  name: 'list',
  summary: 'papers in the archive, filtered; newest day first, then upvotes',
  pager: true,
  access: 'read',
  options: {
    ...filterOptions,
    ...sortOptionForYou,
    window: text('--window <duration>', 'with --sort rising: the span over which upvote growth counts', {
      default: '3d',
    }),
    ...limitOption(),
    ...abstractOption,
    ...jsonOption,
  },
  examples: [
    'papers list --since 7d',
    'papers list --week 2025-W10 --sort upvotes --limit 10',
    'papers list -k "diffusion" -k "video" --min-upvotes 20',
    'papers list -k agent -k agents --any --exclude survey --has-code',
    'papers list --author "hinton" --json | jq -r ".[].title"',
    'papers list --month 2025-03 | cut -f1,4',
    'papers list --sort rising --window 3d --limit 10',
    'papers list --source arxiv --date yesterday --sort for-you --limit 20',
  ],
  async run(ctx, o) {
    const now = ctx.now();
    const forYou = o.sort === 'for-you';
    const opts = filterFromFlags({ ...o, sort: o.sort === 'for-you' ? undefined : o.sort }, now);
    const db = await ctx.db();
    const out = createOutput(ctx, o);
    if (forYou) {
      const ranked = orderForYou(db, [...listPapers(db, { ...opts, limit: undefined })], {
        limit: opts.limit,
        hidden: true,
      });
      if (!ranked) {
        throw new PapersError(`--sort for-you learns from your stars: at least ${MIN_STARS} needed`, {
          hint: 'star papers you liked (papers star ID...), or bring your library (papers library import FILE.bib)',
        });
      }
      const rel = (p: Paper) => (p as ForYou<Paper>).relevance.toFixed(2);
      const n = out.papers(ranked, {
        abstract: o.abstract,
        showDay: true,
        tsv: (p) => [rel(p)],
        below: (p) => [out.color.magenta(`relevance ${rel(p)}`)],
      });
      if (n === 0) out.empty();
      return 0;
    }
    const shown =
      opts.sort === 'rising'
        ? out.papers(risingPapers(db, { ...opts, windowMs: parseDuration(o.window, '--window'), now }), {
            ...risingView(o.window),
            abstract: o.abstract,
            showDay: true,
          })
        : out.papers(listPapers(db, opts), { abstract: o.abstract, showDay: true });
    if (shown === 0) {
      out.empty(opts.sort === 'rising' ? risingEmptyReason(db, { now, window: o.window }) : undefined);
    }
    return 0;
  },
});
