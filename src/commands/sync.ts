/** `papers sync`: fetch listing days into the archive. */
import { resolveDayRange, type DayFlags } from '../cmdutil/filters.js';
import { choice, dayOptions, flag, int, jsonOption, text } from '../cmdutil/options.js';
import { defineCommand } from '../cmdutil/spec.js';
import type { InputOf } from '../cmdutil/build.js';
import type { Context } from '../context.js';
import { followedSources, type AnnouncementSummary, type BackfillSummary } from '../core/sources.js';
import { runSources, type SourceTask, type TaskOutcome } from '../core/runner.js';
import { RETRY_FAILED_DAYS, type SyncEvent, type SyncSummary } from '../core/sync.js';
import { addDays, dayOf, dayRange, parseDuration, type Day } from '../dates.js';
import { redactUrl } from '../config.js';
import { PapersError, UsageError, errorMessage } from '../errors.js';
import { createProgress, type Progress } from '../render/progress.js';
import { safeJson } from '../render/json.js';
import { sourceDef, type SyncRequest } from '../sources/registry.js';
import { HF_SOURCE, parseSourceName } from '../sources/source-name.js';
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

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** The counts of a run, said so that `new` cannot be read as arXiv's `new` listing type. */
function counts(papers: number, added: number, updated: number): string {
  return `${plural(papers, 'paper')} (${plural(added, 'paper')} new to the archive, ${updated} updated)`;
}

export function summaryLine(s: SyncSummary): string {
  const skipped = s.skipped ? `, ${s.skipped} settled day${s.skipped === 1 ? '' : 's'} skipped` : '';
  const unsettled = s.unsettled ? `, ${s.unsettled} unsettled` : '';
  const gone = s.gone ? `, ${s.gone} no longer listed upstream` : '';
  const synced = `synced ${plural(s.days, 'day')}: ${counts(s.papers, s.new, s.updated)}`;
  return `${synced}, ${s.failed} failed${unsettled}${gone}${skipped}`;
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

type SyncInput = InputOf<typeof syncCommand>;

/** Progress of HF days on stderr: failures and cut-short lists said as they come. */
function dayEvents(ctx: Context, o: SyncInput, progress: Progress) {
  const io = ctx.io;
  return (e: SyncEvent) => {
    if (e.type === 'plan') {
      progress.update(`syncing ${plural(e.days.length, 'day')}…`);
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
}

/** One announcement's summary, as a line. */
export function announcementLine(s: AnnouncementSummary): string {
  switch (s.outcome) {
    case 'saved':
      return (
        `announcement of ${s.day}: ${counts(s.papers, s.new, s.updated)}` +
        (s.gone ? `, ${s.gone} no longer listed upstream` : '')
      );
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
    `backfilled since ${b.since}: ${plural(b.days, 'day')}, ${counts(b.papers, b.new, b.updated)} ` +
    `in ${plural(b.pages, 'page')}${resumed}${restarts}`
  );
}

/** What `--source` names: one source, `arxiv` (every followed arXiv source), or none (every followed one). */
function namedSource(o: SyncInput): { named?: string; pick: (followed: string[]) => string[] } {
  const everyArxiv = o.source?.trim().toLowerCase() === 'arxiv';
  const named = o.source !== undefined ? (everyArxiv ? 'arxiv' : parseSourceName(o.source).name) : undefined;
  // HF first, as before there were other sources (cron sees its line first).
  const pick = (followed: string[]) => {
    const all = [...followed.filter((n) => n === HF_SOURCE), ...followed.filter((n) => n !== HF_SOURCE)];
    return named === undefined ? all : everyArxiv ? all.filter((n) => n !== HF_SOURCE) : [named];
  };
  return { named, pick };
}

/** The request the flags make, for a source named with --source or followed. */
function syncRequest(o: SyncInput, now: Date, named: boolean): SyncRequest {
  const days = daysFromFlags(o, now);
  const sinceOnly = o.since !== undefined && (o.date ?? o.until ?? o.days ?? o.week ?? o.month) === undefined;
  const since = sinceOnly ? resolveDayRange(o, now).since : undefined;
  const force = o.force || o.date !== undefined;
  const { concurrency, via, prune } = o;
  return { days, explicitDays: days !== undefined, sinceOnly, since, named, force, concurrency, via, prune };
}

/** What each outcome says on stderr and in JSON; the exit status and the error to throw. */
function report(ctx: Context, o: SyncInput, outcomes: TaskOutcome[], several: boolean) {
  const io = ctx.io;
  const prefix = (name: string) => (several ? `${name}: ` : '');
  const json = new Map<string, unknown>();
  let exit = 0;
  let usage: unknown;
  const warn = (source: string, msg: string) =>
    io.err(`${io.errColor.yellow('warning:')} ${source}: ${visibleControls(msg)}`);
  for (const out of outcomes) {
    if (!out.ok) {
      // A refused category is the user's to fix (exit 2), after the other sources had their turn.
      if (out.error instanceof UsageError) usage ??= out.error;
      else if (outcomes.length === 1) throw out.error;
      else {
        exit = 1;
        const hint = out.error instanceof PapersError && out.error.hint ? `\nhint: ${out.error.hint}` : '';
        io.err(`${io.errColor.red('error:')} ${out.source}: ${visibleControls(errorMessage(out.error))}${hint}`);
      }
      continue;
    }
    if (out.kind === 'days') {
      const summary = out.result as SyncSummary;
      json.set(out.source, summary);
      if (!o.json && !ctx.quiet) io.err(`${prefix(out.source)}${summaryLine(summary)}`);
      if (summary.failed > 0) {
        exit = 1;
        const network = summary.failures.some((f) => /fetch|answer|timed out|refused/.test(f.error));
        if (network && !o.json) {
          const endpoint = visibleControls(redactUrl(ctx.config.endpoint));
          io.err(`hint: HF_ENDPOINT is ${endpoint}; ${retryAdvice(summary, dayOf(ctx.now()))}`);
        }
      }
    } else if (out.kind === 'feed') {
      const announcement = out.result as AnnouncementSummary;
      json.set(out.source, { announcement });
      if (!o.json && !ctx.quiet) io.err(`${out.source}: ${announcementLine(announcement)}`);
      // What was skipped is said even with -q or --json.
      if (announcement.warning) warn(out.source, announcement.warning);
      if (announcement.outcome === 'failed') {
        exit = 1;
        if (!o.json) io.err(`${io.errColor.red('error:')} ${out.source}: ${visibleControls(announcement.error ?? '')}`);
      }
    } else if (out.kind === 'harvest') {
      const backfill = out.result as BackfillSummary;
      const entry = (json.get(out.source) ?? {}) as Record<string, unknown>;
      json.set(out.source, { ...entry, backfill });
      if (!o.json && !ctx.quiet) io.err(`${out.source}: ${backfillLine(backfill)}`);
      if (backfill.refused) {
        const { count, example } = backfill.refused;
        warn(out.source, `${plural(count, 'record')} left out, with days that cannot be listing days (${example})`);
      }
    }
  }
  return { exit, usage, json: [...json.values()] };
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
    // Flags first: a bad day or source name, wait or deadline creates no archive.
    const { named, pick } = namedSource(o);
    const req = syncRequest(o, now, named !== undefined);
    if (named !== undefined && named !== 'arxiv') sourceDef(named).check(named, req);
    const lockWaitMs = parseDuration(o.wait, '--wait');
    const deadlineMs = parseDuration(o.deadline, '--deadline');
    const db = await ctx.db();
    const names = pick(followedSources(db));
    if (named === 'arxiv' && names.length === 0) {
      throw new UsageError('no arXiv source is followed', { hint: 'papers source add arxiv:cs.CL' });
    }
    if (names.length === 0) {
      throw new UsageError('no source is followed', { hint: 'papers source add hf, or papers sync --source NAME' });
    }
    if (req.explicitDays && named === undefined && !names.includes(HF_SOURCE) && !ctx.quiet && !o.json) {
      ctx.io.err('note: day options pick Hugging Face days, and hf is not followed (arXiv: --source NAME --since D)');
    }
    const progress = await createProgress(ctx.io, { quiet: ctx.quiet, json: o.json, text: 'syncing…' });
    req.onDays = dayEvents(ctx, o, progress);
    req.onPages = (name, e) =>
      progress.update(`${name}: harvesting since ${req.since}: ${plural(e.pages, 'page')}, ${e.staged} papers`);
    const env = { endpoint: ctx.config.endpoint, arxiv: () => ctx.arxiv() };
    const tasks: SourceTask[] = [];
    for (const name of names) {
      const def = sourceDef(name);
      def.check(name, req);
      const planned = await def.syncTasks(name, req, env);
      if (!ctx.quiet && !o.json) for (const note of planned.notes) ctx.io.err(note);
      tasks.push(...planned.tasks);
    }
    const deps = await ctx.runnerDeps({ timeoutMs: o.timeout === undefined ? undefined : o.timeout * 1000 });
    let outcomes: TaskOutcome[];
    try {
      outcomes = await runSources(deps, tasks, {
        lockWaitMs,
        deadlineMs: deadlineMs > 0 ? deadlineMs : undefined,
        signal: ctx.signal,
        onEvent: (e) => {
          if (e.type === 'waiting-for-lock' && !ctx.quiet && !o.json) {
            progress.clear();
            const holder = e.holder?.pid
              ? ` (pid ${e.holder.pid}${e.holder.source ? `, ${e.holder.source}` : ''})`
              : '';
            ctx.io.err(`waiting for another sync${holder} to finish…`);
          } else if (e.type === 'source-start') {
            progress.update(`${e.source}: ${e.kind === 'harvest' ? `harvesting since ${req.since}` : 'syncing'}…`);
          }
        },
      });
    } finally {
      progress.stop();
    }
    const r = report(ctx, o, outcomes, names.length > 1);
    if (r.usage) throw r.usage;
    if (o.json) ctx.io.out(safeJson(r.json.length === 1 ? r.json[0] : r.json, 2));
    return r.exit;
  },
});

export default syncCommand;
