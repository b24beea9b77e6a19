/** `papers sync`: fetch listing days into the archive. */
import { resolveDayRange, type DayFlags } from '../cmdutil/filters.js';
import { choice, dayOptions, flag, int, jsonOption, text } from '../cmdutil/options.js';
import { defineCommand } from '../cmdutil/spec.js';
import type { InputOf } from '../cmdutil/build.js';
import type { Context } from '../context.js';
import {
  backfillSource,
  followedSources,
  syncAnnouncement,
  type AnnouncementSummary,
  type BackfillSummary,
  type SourceSyncDeps,
} from '../core/sources.js';
import { RETRY_FAILED_DAYS, sync, type SyncEvent, type SyncSummary } from '../core/sync.js';
import { addDays, dayOf, dayRange, parseDuration, type Day } from '../dates.js';
import { redactUrl } from '../config.js';
import { UsageError } from '../errors.js';
import { createProgress } from '../render/progress.js';
import { safeJson } from '../render/json.js';
import { parseSourceName } from '../sources/arxiv/source-name.js';
import { arxivSource } from '../sources/arxiv/source.js';
import { hfDaily } from '../sources/hf-daily.js';
import type { AnnouncementSource } from '../sources/types.js';
import { visibleControls } from '../text.js';

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
  const days = `${s.days} day${s.days === 1 ? '' : 's'}`;
  const papers = `${s.papers} paper${s.papers === 1 ? '' : 's'}`;
  const unsettled = s.unsettled ? `, ${s.unsettled} unsettled` : '';
  const gone = s.gone ? `, ${s.gone} no longer listed upstream` : '';
  return (
    `synced ${days}: ${papers} (${s.new} new, ${s.updated} updated), ` +
    `${s.failed} failed${unsettled}${gone}${skipped}`
  );
}

/** How the failed days get fetched again: the next plain sync only retries recent ones. */
export function retryAdvice(summary: SyncSummary, today: Day): string {
  const days = summary.failures.map((f) => f.day).sort();
  const first = days[0]!;
  const last = days[days.length - 1]!;
  if (first >= addDays(today, -RETRY_FAILED_DAYS)) return 'failed days are retried by the next `papers sync`';
  return first === last
    ? `retry with \`papers sync --date ${first}\``
    : `retry with \`papers sync --since ${first} --until ${last}\``;
}

interface HfRun {
  summary: SyncSummary;
  hint?: string;
}

type SyncInput = InputOf<typeof syncCommand>;

/** Hugging Face through the day sync, as before there were other sources (cron sees the same line). */
async function syncHf(ctx: Context, o: SyncInput, now: Date): Promise<HfRun> {
  let days = daysFromFlags(o, now);
  const first = hfDaily.firstDay;
  if (days && first && days[0]! < first) {
    const kept = days.filter((d) => d >= first);
    if (kept.length === 0) {
      throw new UsageError(`${days[days.length - 1]} is before the first Daily Papers list (${first})`, {
        hint: `papers sync --since ${first}`,
      });
    }
    if (!ctx.quiet && !o.json) {
      const skipped = days.length - kept.length;
      ctx.io.err(`note: Daily Papers lists start in ${first.slice(0, 7)}: skipping ${skipped} days before ${first}`);
    }
    days = kept;
  }
  const lockWaitMs = parseDuration(o.wait, '--wait');
  const deadlineMs = parseDuration(o.deadline, '--deadline');
  if (o.prune && !days) {
    throw new UsageError('--prune needs the days it prunes: --date, --since or a range', {
      hint: 'papers sync --date 2025-02-04 --prune',
    });
  }
  const deps = await ctx.syncDeps({ timeoutMs: o.timeout === undefined ? undefined : o.timeout * 1000 });
  const io = ctx.io;
  const progress = await createProgress(io, { quiet: ctx.quiet, json: o.json, text: 'syncing…' });
  const onEvent = (e: SyncEvent) => {
    if (e.type === 'waiting-for-lock') {
      if (!ctx.quiet && !o.json) {
        progress.clear();
        io.err(`waiting for another sync${e.holder?.pid ? ` (pid ${e.holder.pid})` : ''} to finish…`);
      }
    } else if (e.type === 'plan') {
      progress.update(`syncing ${e.days.length} day${e.days.length === 1 ? '' : 's'}…`);
    } else if (e.type === 'day') {
      if (e.outcome.status === 'failed') {
        progress.clear();
        io.err(`${io.errColor.red('error:')} ${e.outcome.day}: ${visibleControls(e.outcome.error ?? 'failed')}`);
      } else if (e.outcome.status === 'unsettled' && e.outcome.warning && !o.json) {
        // A list that looks cut short was kept whole: said even with -q, as an error would be.
        progress.clear();
        io.err(`${io.errColor.yellow('warning:')} ${e.outcome.day}: ${visibleControls(e.outcome.warning)}`);
      }
      progress.update(`syncing: ${e.done}/${e.total} days, ${e.papersSeen} papers`);
    }
  };
  let summary: SyncSummary;
  try {
    summary = await sync(deps, {
      source: hfDaily,
      days,
      force: o.force || o.date !== undefined,
      concurrency: o.concurrency,
      via: o.via,
      lockWaitMs,
      deadlineMs: deadlineMs > 0 ? deadlineMs : undefined,
      prune: o.prune,
      signal: ctx.signal,
      onEvent,
    });
  } finally {
    progress.stop();
  }
  const hint =
    summary.failed > 0 && !o.json && summary.failures.some((f) => /fetch|answer|timed out|refused/.test(f.error))
      ? `hint: HF_ENDPOINT is ${visibleControls(redactUrl(ctx.config.endpoint))}; ` +
        `${retryAdvice(summary, dayOf(ctx.now()))}`
      : undefined;
  return { summary, hint };
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** One announcement's summary, as a line. */
export function announcementLine(s: AnnouncementSummary): string {
  const counts = `${plural(s.papers, 'paper')} (${s.new} new, ${s.updated} updated)`;
  switch (s.outcome) {
    case 'saved':
      return `announcement of ${s.day}: ${counts}${s.gone ? `, ${s.gone} no longer listed upstream` : ''}`;
    case 'fresh':
      return `announcement of ${s.day ?? 'the day'} already synced; the next is after 20:00 US Eastern`;
    case 'not-modified':
      return `no new announcement (the feed is unchanged)${s.day ? `; the latest is ${s.day}` : ''}`;
    case 'repeat':
      return `the feed repeats the announcement of ${s.day}; no new day`;
    case 'empty':
      return 'no announcement (weekend or holiday)';
    case 'skipped':
      return 'the feed was skipped: its day cannot be an announcement day';
    case 'failed':
      return `announcement${s.day ? ` of ${s.day}` : ''} failed`;
  }
}

export function backfillLine(b: BackfillSummary): string {
  const resumed = b.resumed ? ', resumed' : '';
  const restarts = b.restarts ? `, restarted ${plural(b.restarts, 'time')}` : '';
  return (
    `backfilled since ${b.since}: ${plural(b.days, 'day')}, ${plural(b.papers, 'paper')} ` +
    `(${b.new} new, ${b.updated} updated) in ${plural(b.pages, 'page')}${resumed}${restarts}`
  );
}

interface ArxivRun {
  lines: string[];
  json: { announcement: AnnouncementSummary; backfill?: BackfillSummary };
  /** The error of a failed announcement. */
  failed?: string;
  /** What was skipped, said even with -q or --json. */
  warnings: string[];
}

/** An arXiv source: its latest announcement, then (with --since) the days before it from the harvest. */
async function syncArxiv(
  ctx: Context,
  deps: SourceSyncDeps,
  source: AnnouncementSource,
  since: Day | undefined,
  json: boolean | undefined,
): Promise<ArxivRun> {
  const text = `${source.name}: fetching the announcement…`;
  const progress = await createProgress(ctx.io, { quiet: ctx.quiet, json, text });
  try {
    const announcement = await syncAnnouncement(deps, source);
    const lines = [announcementLine(announcement)];
    const run: ArxivRun = { lines, json: { announcement }, warnings: [] };
    if (announcement.outcome === 'failed') run.failed = announcement.error ?? 'failed';
    if (announcement.warning) run.warnings.push(announcement.warning);
    if (since !== undefined) {
      progress.update(`${source.name}: harvesting since ${since}…`);
      const backfill = await backfillSource(deps, source, since, (e) =>
        progress.update(`${source.name}: harvesting since ${since}: ${plural(e.pages, 'page')}, ${e.staged} papers`),
      );
      lines.push(backfillLine(backfill));
      run.json.backfill = backfill;
      if (backfill.refused) {
        const { count, example } = backfill.refused;
        run.warnings.push(`${plural(count, 'record')} left out, with days that cannot be listing days (${example})`);
      }
    }
    return run;
  } finally {
    progress.stop();
  }
}

const syncCommand = defineCommand({
  name: 'sync',
  summary: 'fetch listing days into the archive: incremental by default, or the days you name',
  description: `Without day options, sync is incremental: from the day after the last synced day
(the last 7 days on a first run) through today, plus the 3 most recent synced days
again, because lists and upvotes settle late, plus days of the last 30 that failed or
were skipped (after \`papers today\` synced a later day). Ranges skip days that have settled;
--date always refetches its day. One transaction per day: an interrupted sync
leaves whole days, and the next one completes the rest. If another sync is running
on the same archive, this one waits for it (--wait).`,
  access: 'write',
  options: {
    ...dayOptions,
    days: int('--days <n>', 'the last N days through today', { min: 1, max: 100_000 }),
    concurrency: int('-c, --concurrency <n>', 'days fetched at once', { min: 1, max: 32, default: 4 }),
    via: choice('--via <how>', 'fetch through the JSON API or the HTML page', ['api', 'html'] as const),
    force: flag('--force', 'refetch days that have settled too (synced at least 3 days after they ended)'),
    wait: text('--wait <duration>', 'wait this long for another running sync (0: fail at once)', { default: '10m' }),
    deadline: text('--deadline <duration>', 'stop the run after this long, naming the days left (0: no limit)', {
      default: '10m',
    }),
    prune: flag(
      '--prune',
      "with days: make each day's listings exactly the upstream list " +
        '(without it, papers that left it stay, marked gone)',
    ),
    timeout: int('--timeout <seconds>', 'deadline for each request', { min: 1, max: 3600 }),
    source: text(
      '--source <name>',
      'sync this source only, followed or not: hf, arxiv:CATS, or arxiv for every followed one (--since: backfill)',
    ),
    ...jsonOption,
  },
  examples: [
    'papers sync',
    'papers sync --date 2025-03-14',
    'papers sync --since 2024-06-01 --until 2024-12-31',
    'papers sync --days 30 --concurrency 8',
    'papers sync -q             # in cron: errors only',
    'papers sync --since 2024-06-01 --deadline 2h   # a long backfill (the default budget is 10m)',
    'papers sync --date 2025-02-04 --prune          # accept a shorter list for that day',
    '0 7 * * * papers sync -q',
    'papers sync --source arxiv:cs.CL            # its latest announcement',
    'papers sync --source arxiv:cs.CL --since 2025-03-01   # and the days since (OAI-PMH)',
  ],
  async run(ctx, o) {
    const now = ctx.now();
    // Flags first: a bad day or source name creates no archive.
    const explicitDays = daysFromFlags(o, now) !== undefined;
    // `--source arxiv`: every followed arXiv source, as on the read commands.
    const everyArxiv = o.source?.trim().toLowerCase() === 'arxiv';
    const named = o.source !== undefined ? (everyArxiv ? 'arxiv' : parseSourceName(o.source).name) : undefined;
    let since: Day | undefined;
    if (named !== undefined && named !== 'hf') {
      const other = o.date ?? o.until ?? o.days ?? o.week ?? o.month;
      if (other !== undefined) {
        throw new UsageError('an arXiv source takes --since only: the feed holds the latest announcement', {
          hint: `papers sync --source ${named} --since 2025-01-01`,
        });
      }
      if (o.since !== undefined) since = resolveDayRange(o, now).since;
    }
    const db = await ctx.db();
    const names = everyArxiv
      ? followedSources(db).filter((n) => n !== 'hf')
      : named !== undefined
        ? [named]
        : followedSources(db);
    if (everyArxiv && names.length === 0) {
      throw new UsageError('no arXiv source is followed', { hint: 'papers source add arxiv:cs.CL' });
    }
    if (names.length === 0) {
      throw new UsageError('no source is followed', { hint: 'papers source add hf, or papers sync --source NAME' });
    }
    const arxivNames = names.filter((n) => n !== 'hf');
    const several = names.length > 1;
    const prefix = (name: string) => (several ? `${name}: ` : '');
    const results: unknown[] = [];
    let exit = 0;
    if (names.includes('hf')) {
      const r = await syncHf(ctx, o, now);
      results.push(r.summary);
      if (!o.json && !ctx.quiet) ctx.io.err(`${prefix('hf')}${summaryLine(r.summary)}`);
      if (r.hint) ctx.io.err(r.hint);
      if (r.summary.failed > 0) exit = 1;
    } else if (explicitDays && o.source === undefined && !ctx.quiet && !o.json) {
      ctx.io.err('note: day options pick Hugging Face days, and hf is not followed (arXiv: --source NAME --since D)');
    }
    if (arxivNames.length) {
      const deps = await ctx.sourceDeps({ timeoutMs: o.timeout === undefined ? undefined : o.timeout * 1000 });
      const arxiv = await ctx.arxiv();
      let usage: unknown;
      for (const name of arxivNames) {
        const r = await syncArxiv(ctx, deps, arxivSource(name, arxiv), since, o.json).catch((err: unknown) => {
          // A refused category is the user's to fix (exit 2), after the other sources had their turn.
          if (err instanceof UsageError) {
            usage ??= err;
            return undefined;
          }
          throw err;
        });
        if (!r) continue;
        results.push(r.json);
        if (!o.json && !ctx.quiet) for (const line of r.lines) ctx.io.err(`${name}: ${line}`);
        for (const w of r.warnings) ctx.io.err(`${ctx.io.errColor.yellow('warning:')} ${name}: ${visibleControls(w)}`);
        if (r.failed) {
          exit = 1;
          if (!o.json) ctx.io.err(`${ctx.io.errColor.red('error:')} ${name}: ${visibleControls(r.failed)}`);
        }
      }
      if (usage) throw usage;
    }
    if (o.json) ctx.io.out(safeJson(results.length === 1 ? results[0] : results, 2));
    return exit;
  },
});

export default syncCommand;
