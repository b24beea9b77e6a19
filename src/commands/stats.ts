/** `papers stats`: papers per week or month, top AI keywords and organizations per period. */
import { filterFromFlags, resolveDayRange } from '../cmdutil/filters.js';
import { choice, int, jsonOption, sourceOptions, text } from '../cmdutil/options.js';
import { defineCommand } from '../cmdutil/spec.js';
import { computeStats } from '../core/stats.js';
import { dayOf } from '../dates.js';
import { createOutput } from '../render/output.js';
import { renderStatsTable, statsTsv } from '../render/stats.js';

export default defineCommand({
  name: 'stats',
  summary: 'trends: papers per week, month or arXiv category, top AI keywords and organizations',
  pager: true,
  access: 'read',
  options: {
    since: text('--since <day>', 'from this day on'),
    until: text('--until <day>', 'up to this day'),
    by: choice(
      '--by <period>',
      'period, or arXiv category (a paper under its primary one)',
      ['week', 'month', 'category'] as const,
      'month',
    ),
    top: int('--top <n>', 'keywords and organizations per period', { min: 1, max: 100, default: 5 }),
    ...sourceOptions,
    ...jsonOption,
  },
  examples: [
    'papers stats',
    'papers stats --since 2025-01-01 --by week',
    'papers stats --json',
    'papers stats --source arxiv --by category --since 30d',
    'papers stats --cat cs.* --by week',
  ],
  async run(ctx, o) {
    const { since, until } = resolveDayRange({ since: o.since, until: o.until }, ctx.now());
    const db = await ctx.db();
    const { sources, categories, types } = filterFromFlags({ source: o.source, cat: o.cat, type: o.type }, ctx.now());
    const filter = { sources, categories, types };
    const stats = computeStats(db, { since, until, by: o.by, top: o.top, today: dayOf(ctx.now()), filter });
    const out = createOutput(ctx, o);
    if (out.json) out.value(stats);
    else for (const l of out.tty ? renderStatsTable(ctx.io, stats) : statsTsv(stats)) out.line(l);
    if (stats.papers === 0) out.empty('no papers in the range; run `papers sync` to fetch more days');
    return 0;
  },
});
