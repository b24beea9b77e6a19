/** `papers sync`: fetch listing days into the archive. */
import { safeJson } from '../render/json.js';
import { addDays, dayOf, dayRange, parseDuration, type Day } from '../dates.js';
import { UsageError } from '../errors.js';
import type { Context } from '../context.js';
import { RETRY_FAILED_DAYS, sync, type SyncEvent, type SyncSummary } from '../core/sync.js';
import { lockPathFor } from '../db/lock.js';
import { hfDaily } from '../sources/hf-daily.js';
import type { HttpEvent } from '../http/client.js';
import { createProgress } from '../render/progress.js';
import { visibleControls } from '../text.js';
import { resolveDayRange, type DayFlags } from './options.js';

export interface SyncFlags extends DayFlags {
  concurrency: number;
  via?: string;
  force?: boolean;
  wait?: string;
  timeout?: number;
  json?: boolean;
}

/** The explicit days the flags ask for, or undefined for an incremental sync. */
export function daysFromFlags(flags: DayFlags, now: Date): Day[] | undefined {
  const explicit = flags.date ?? flags.since ?? flags.until ?? flags.days ?? flags.week ?? flags.month;
  if (explicit === undefined) return undefined;
  const today = dayOf(now);
  if (
    flags.until !== undefined &&
    flags.since === undefined &&
    flags.days === undefined &&
    flags.date === undefined &&
    flags.week === undefined &&
    flags.month === undefined
  ) {
    throw new UsageError('--until needs --since', { hint: 'papers sync --since 2025-01-01 --until 2025-01-31' });
  }
  const range = resolveDayRange(flags, now);
  const since = range.since!;
  if (since > today) throw new UsageError(`${since} is in the future (today is ${today} UTC)`);
  const until = !range.until || range.until > today ? today : range.until;
  return dayRange(since, until);
}

export function summaryLine(s: SyncSummary): string {
  const skipped = s.skipped ? `, ${s.skipped} settled day${s.skipped === 1 ? '' : 's'} skipped` : '';
  return `synced ${s.days} day${s.days === 1 ? '' : 's'}: ${s.papers} paper${s.papers === 1 ? '' : 's'} (${s.new} new, ${s.updated} updated), ${s.failed} failed${skipped}`;
}

export function httpLogger(ctx: Context): ((e: HttpEvent) => void) | undefined {
  if (!ctx.verbose) return undefined;
  return (e) => {
    const what = e.error ? `${e.status ? `HTTP ${e.status}` : e.error}` : `HTTP ${e.status}`;
    const retry = e.retryInMs !== undefined ? `, retry in ${(e.retryInMs / 1000).toFixed(1)}s` : '';
    ctx.io.err(ctx.io.errColor.dim(`GET ${visibleControls(e.url)} → ${visibleControls(what)} (${e.ms} ms, attempt ${e.attempt}${retry})`));
  };
}

export async function runSync(ctx: Context, flags: SyncFlags): Promise<number> {
  const now = ctx.now();
  let days = daysFromFlags(flags, now);
  const first = hfDaily.firstDay;
  if (days && first && days[0]! < first) {
    const kept = days.filter((d) => d >= first);
    if (kept.length === 0) {
      throw new UsageError(`${days[days.length - 1]} is before the first Daily Papers list (${first})`, { hint: `papers sync --since ${first}` });
    }
    if (!ctx.quiet && !flags.json) ctx.io.err(`note: Daily Papers lists start in ${first.slice(0, 7)}: skipping ${days.length - kept.length} days before ${first}`);
    days = kept;
  }
  if (flags.via && !hfDaily.vias.includes(flags.via)) {
    throw new UsageError(`unknown --via ${JSON.stringify(flags.via)}`, { hint: `use one of: ${hfDaily.vias.join(', ')}` });
  }
  const lockWaitMs = flags.wait !== undefined ? parseDuration(flags.wait, '--wait') : 10 * 60_000;
  const http = await ctx.http({ onEvent: httpLogger(ctx), timeoutMs: flags.timeout === undefined ? undefined : flags.timeout * 1000 });
  const db = await ctx.db();
  const io = ctx.io;
  const progress = await createProgress(io, { quiet: ctx.quiet, json: flags.json, text: 'syncing…' });
  const onEvent = (e: SyncEvent) => {
    if (e.type === 'waiting-for-lock') {
      if (!ctx.quiet && !flags.json) {
        progress.clear();
        io.err(`waiting for another sync${e.holder?.pid ? ` (pid ${e.holder.pid})` : ''} to finish…`);
      }
    } else if (e.type === 'plan') {
      progress.update(`syncing ${e.days.length} day${e.days.length === 1 ? '' : 's'}…`);
    } else if (e.type === 'day') {
      if (e.outcome.status === 'failed') {
        progress.clear();
        io.err(`${io.errColor.red('error:')} ${e.outcome.day}: ${visibleControls(e.outcome.error ?? 'failed')}`);
      }
      progress.update(`syncing: ${e.done}/${e.total} days, ${e.papersSeen} papers`);
    }
  };
  let summary: SyncSummary;
  try {
    summary = await sync(
      { db, http, endpoint: ctx.config.endpoint, now: ctx.now, pid: ctx.pid, lockPath: lockPathFor(ctx.config.dbPath) },
      { source: hfDaily, days, force: flags.force || flags.date !== undefined, concurrency: flags.concurrency, via: flags.via, lockWaitMs, signal: ctx.signal, onEvent },
    );
  } finally {
    progress.stop();
  }
  if (flags.json) io.out(safeJson(summary, 2));
  else if (!ctx.quiet) io.err(summaryLine(summary));
  if (summary.failed > 0 && !flags.json && summary.failures.some((f) => /fetch|answer|timed out|refused/.test(f.error))) {
    io.err(`hint: HF_ENDPOINT is ${visibleControls(ctx.config.endpoint)}; ${retryAdvice(summary, dayOf(ctx.now()))}`);
  }
  return summary.failed > 0 ? 1 : 0;
}

/** How the failed days get fetched again: the next plain sync only retries recent ones. */
export function retryAdvice(summary: SyncSummary, today: Day): string {
  const days = summary.failures.map((f) => f.day).sort();
  const first = days[0]!;
  const last = days[days.length - 1]!;
  if (first >= addDays(today, -RETRY_FAILED_DAYS)) return 'failed days are retried by the next `papers sync`';
  return first === last ? `retry with \`papers sync --date ${first}\`` : `retry with \`papers sync --since ${first} --until ${last}\``;
}
