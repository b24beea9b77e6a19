/** `papers stats`: papers per week or month, top AI keywords and organizations per period. */
import { safeJson } from '../render/json.js';
import type { Context } from '../context.js';
import { computeStats, type StatsPeriod } from '../core/stats.js';
import { renderStatsTable, statsTsv } from '../render/stats.js';
import { resolveDayRange } from './options.js';

export interface StatsFlags {
  since?: string;
  until?: string;
  by?: StatsPeriod;
  top?: number;
  json?: boolean;
}

export async function runStats(ctx: Context, flags: StatsFlags): Promise<number> {
  const { since, until } = resolveDayRange({ since: flags.since, until: flags.until }, ctx.now());
  const db = await ctx.db();
  const stats = computeStats(db, { since, until, by: flags.by ?? 'month', top: flags.top ?? 5 });
  const io = ctx.io;
  if (flags.json) io.out(safeJson(stats, 2));
  else if (!io.tty) for (const l of statsTsv(stats)) io.out(l);
  else for (const l of renderStatsTable(io, stats)) io.out(l);
  if (stats.papers === 0 && io.errTty && !ctx.quiet && !flags.json) {
    io.err(io.errColor.dim('no papers in the range; run `papers sync` to fetch more days'));
  }
  return 0;
}
