/**
 * Sync: decide which days to fetch, fetch them with bounded concurrency through a
 * source adapter, save each day in its own transaction. Never prints: progress goes
 * to callbacks, the result is a summary.
 */
import { addDays, dayOf, dayRange, dayToMs, type Day } from '../dates.js';
import { InterruptedError, NetworkError, PapersError, errorMessage, isAbortError } from '../errors.js';
import { UnreachableError, redactText, redactUrl, type HttpClient } from '../http/client.js';
import type { DB } from '../db/open.js';
import { isSqliteError } from '../db/errors.js';
import { countListings, lastFetchedAt, recordDayFailure, saveDay } from '../db/store.js';
import type { FetchedDay, SourceAdapter } from '../sources/types.js';
import { RunTally } from './run-tally.js';
import type { RunTotals, RunningSync, SourceTask, TaskContext } from './runner.js';

/** Lists keep moving for a few days after the listing day: these are fetched on every run. */
export const SETTLE_DAYS = 3;
/**
 * Upvotes keep climbing for one to two weeks: an incremental sync re-reads listing days up
 * to this many days old, each at most once per UTC day, so settled values reach the archive.
 */
export const UPVOTE_SETTLE_DAYS = 14;
/** Days in a row that fail to reach the host, with none reaching it, before a run stops. */
export const UNREACHABLE_STOP = 3;
export const FIRST_RUN_DAYS = 7;
/** An incremental sync retries the failed days of this many recent days; older ones need a command. */
export const RETRY_FAILED_DAYS = 30;
/** Requests one day may cost, pages and retries together: no retry storms. */
export const MAX_REQUESTS_PER_DAY = 16;

/** `unsettled`: saved, but the list looked cut short; nothing was dropped, a later sync fetches it again. */
export type DayStatus = 'ok' | 'empty' | 'unsettled' | 'failed';

export interface DayOutcome {
  day: Day;
  status: DayStatus;
  papers: number;
  inserted: number;
  updated: number;
  requests: number;
  via?: string;
  error?: string;
  /** Why an `unsettled` day's list is not trusted. */
  warning?: string;
  /** Listings newly marked as no longer on the upstream list. */
  gone?: number;
}

export type SyncEvent =
  | { type: 'plan'; days: Day[]; skipped: Day[] }
  | { type: 'waiting-for-lock'; holder: RunningSync | undefined }
  | { type: 'day'; outcome: DayOutcome; done: number; total: number; papersSeen: number };

export interface SyncSummary {
  source: string;
  days: number;
  ok: number;
  empty: number;
  /** Days saved whose list looked cut short: kept whole, fetched again later. */
  unsettled: number;
  failed: number;
  skipped: number;
  papers: number;
  new: number;
  updated: number;
  requests: number;
  failures: { day: Day; error: string }[];
  warnings: { day: Day; warning: string }[];
  /** Listings marked as no longer on their day's upstream list (kept, not deleted). */
  gone: number;
  interrupted: boolean;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
}

export interface SyncDeps {
  db: DB;
  http: HttpClient;
  endpoint: string;
  now: () => Date;
  pid: number;
  /** The lock file; null skips locking (in-memory archives). */
  lockPath: string | null;
}

export interface SyncOptions {
  source: SourceAdapter;
  /** Explicit days; without them the sync is incremental. */
  days?: Day[];
  /** With explicit days: fetch days that have settled too. */
  force?: boolean;
  concurrency?: number;
  via?: string;
  /** How long to wait for another sync to finish; 0 fails at once. */
  lockWaitMs?: number;
  /**
   * With explicit days: make each day's listings exactly the upstream list, deleting papers
   * that left it. Without it they stay listed, marked gone.
   */
  prune?: boolean;
  /** A budget for the whole run once the lock is held; when it runs out the run stops (SyncDeadlineError). */
  deadlineMs?: number;
  signal?: AbortSignal;
  onEvent?: (e: SyncEvent) => void;
}

/** SQL: a listing day whose last good fetch came before its upvotes settled. */
const UPVOTES_UNSETTLED = `outcome = 'ok' AND ok_at < date(day, '+${UPVOTE_SETTLE_DAYS} days')`;

/**
 * Listing days whose upvotes may still move (last fetched before the day was
 * UPVOTE_SETTLE_DAYS old): `recent` ones the next incremental syncs refresh, `older` ones
 * only a command for their days does.
 */
export function unsettledDays(db: DB, today: Day): { recent: Day[]; older: Day[] } {
  const sql = `SELECT DISTINCT day FROM sync_days WHERE ${UPVOTES_UNSETTLED} ORDER BY day`;
  const days = db.prepare(sql).pluck().all() as Day[];
  const from = addDays(today, -UPVOTE_SETTLE_DAYS);
  return { recent: days.filter((d) => d >= from), older: days.filter((d) => d < from) };
}

/** The run stopped because the host could not be reached: one error for all its days. */
export class HostUnreachableError extends NetworkError {
  summary?: SyncSummary;
}

/** The run used up its `deadlineMs`: what was saved stays, the days left are named. */
export class SyncDeadlineError extends PapersError {
  summary?: SyncSummary;
  constructor(
    message: string,
    readonly left: Day[],
  ) {
    super(message, { hint: 'the next papers sync continues with the days left' });
  }
}

/** Consecutive days as [first, last] runs. */
export function dayRuns(days: Day[]): [Day, Day][] {
  const runs: [Day, Day][] = [];
  for (const d of [...days].sort()) {
    const last = runs[runs.length - 1];
    if (last && addDays(last[1], 1) === d) last[1] = d;
    else runs.push([d, d]);
  }
  return runs;
}

/** `2025-01-01..2025-01-05, 2025-01-09`, cut after eight runs. */
export function describeDays(days: Day[]): string {
  const runs = dayRuns(days);
  const text = runs.slice(0, 8).map(([a, b]) => (a === b ? a : `${a}..${b}`));
  return text.join(', ') + (runs.length > 8 ? ', …' : '');
}

/**
 * Incremental plan: from the day after the last synced day through today (the last
 * FIRST_RUN_DAYS on a first run), plus the SETTLE_DAYS most recent synced days again,
 * plus listing days up to UPVOTE_SETTLE_DAYS old not fetched yet today (UTC), plus
 * recent days whose last attempt failed or whose list looked cut short, plus recent
 * days never fetched between synced ones (RETRY_FAILED_DAYS back).
 */
export function planIncremental(db: DB, source: string, today: Day): Day[] {
  const last = db
    .prepare(`SELECT max(day) FROM sync_days WHERE source = ? AND outcome IN ('ok', 'empty') AND day <= ?`)
    .pluck()
    .get(source, today) as Day | null;
  if (!last) return dayRange(addDays(today, -(FIRST_RUN_DAYS - 1)), today);
  const days = new Set<Day>();
  const recent = db
    .prepare(
      `SELECT day FROM sync_days WHERE source = ? AND outcome IN ('ok', 'empty') AND day <= ?
       ORDER BY day DESC LIMIT ?`,
    )
    .pluck()
    .all(source, last, SETTLE_DAYS) as Day[];
  for (const d of recent) days.add(d);
  if (last < today) for (const d of dayRange(addDays(last, 1), today)) days.add(d);
  const failed = db
    .prepare(
      `SELECT day FROM sync_days
       WHERE source = ? AND (outcome = 'failed' OR warning IS NOT NULL) AND day BETWEEN ? AND ?`,
    )
    .pluck()
    .all(source, addDays(today, -RETRY_FAILED_DAYS), today) as Day[];
  for (const d of failed) days.add(d);
  // Upvotes settle over two weeks: each listing day that young is read again once a day.
  const settling = db
    .prepare(
      `SELECT day FROM sync_days
       WHERE source = ? AND outcome = 'ok' AND day BETWEEN ? AND ? AND substr(ok_at, 1, 10) < ?`,
    )
    .pluck()
    .all(source, addDays(today, -UPVOTE_SETTLE_DAYS), today, today) as Day[];
  for (const d of settling) days.add(d);
  // Holes: `papers today` or `sync --date` may have synced a day ahead of the rest
  // (back from a week away, `today` first, then cron). Recent days never fetched, between
  // the first recent day the archive knows and today, are fetched now.
  const known = new Set(
    db
      .prepare(`SELECT day FROM sync_days WHERE source = ? AND day BETWEEN ? AND ?`)
      .pluck()
      .all(source, addDays(today, -RETRY_FAILED_DAYS), today) as Day[],
  );
  // Back after more than the window: the whole window is due, not only from the first
  // day a recent `papers today` fetched.
  const windowStart = addDays(today, -RETRY_FAILED_DAYS);
  const anyBefore = db.prepare('SELECT 1 FROM sync_days WHERE source = ? AND day < ? LIMIT 1').pluck();
  const older = anyBefore.get(source, windowStart) !== undefined;
  const first = older ? windowStart : [...known].sort()[0];
  if (first) for (const d of dayRange(first, today)) if (!known.has(d)) days.add(d);
  return [...days].sort();
}

/**
 * What `papers today` refreshes before showing `day`: nothing when the day has settled or
 * was fetched within `maxAgeMs`; the first-run window when the archive has nothing recent
 * (its unsettled days and the day itself); else the day alone.
 */
export function daysToRefresh(db: DB, source: string, day: Day, now: Date, maxAgeMs: number): Day[] {
  if (settledDays(db, source, [day]).has(day)) return [];
  const at = lastFetchedAt(db, source, day);
  if (at && now.getTime() - Date.parse(at) < maxAgeMs) return [];
  const latest = db.prepare('SELECT max(day) FROM listings WHERE day <= ?').pluck().get(day) as Day | null;
  if (!latest || latest < addDays(day, -FIRST_RUN_DAYS)) {
    const window = dayRange(addDays(day, -(FIRST_RUN_DAYS - 1)), day);
    const settled = settledDays(db, source, window);
    return window.filter((d) => d === day || !settled.has(d));
  }
  return [day];
}

/**
 * A day has settled when its last good fetch came SETTLE_DAYS after the day ended and its
 * list looked whole.
 */
export function settledDays(db: DB, source: string, days: Day[]): Set<Day> {
  const out = new Set<Day>();
  if (days.length === 0) return out;
  const rows = db
    .prepare(
      `SELECT day, ok_at AS okAt FROM sync_days
       WHERE source = ? AND outcome IN ('ok', 'empty') AND warning IS NULL AND day BETWEEN ? AND ?`,
    )
    .all(source, days[0], days[days.length - 1]) as { day: Day; okAt: string | null }[];
  for (const r of rows) {
    if (r.okAt && Date.parse(r.okAt) >= dayToMs(addDays(r.day, 1 + SETTLE_DAYS))) out.add(r.day);
  }
  return out;
}

/** Listing days of a source as a runner task (kind `days`). */
export function daysTask(endpoint: string, opts: SyncOptions): SourceTask<SyncSummary> {
  return {
    source: opts.source.name,
    kind: 'days',
    async run(ctx) {
      const summary = await syncDays(ctx, endpoint, opts);
      const first = summary.failures[0];
      return {
        result: summary,
        totals: runTotals(summary),
        status: summary.failed > 0 ? 'failed' : 'ok',
        error: first ? `${first.day}: ${first.error}` : undefined,
      };
    },
  };
}

const runTotals = (s: SyncSummary): RunTotals => ({
  days: s.ok + s.empty + s.unsettled + s.failed,
  failed: s.failed,
  papers: s.papers,
  newPapers: s.new,
  updated: s.updated,
});

/** The days a run fetches: the ones asked for that have not settled, or the incremental plan. */
function planDays(db: DB, opts: SyncOptions, today: Day): { days: Day[]; skipped: Day[] } {
  let days: Day[];
  let skipped: Day[] = [];
  if (opts.days) {
    const wanted = [...new Set(opts.days)].sort();
    const settled = opts.force ? new Set<Day>() : settledDays(db, opts.source.name, wanted);
    days = wanted.filter((d) => !settled.has(d));
    skipped = wanted.filter((d) => settled.has(d));
  } else {
    days = planIncremental(db, opts.source.name, today);
  }
  // Days before the source had lists cannot have one (`today --date 2020-01-01` too).
  const first = opts.source.firstDay;
  if (first) days = days.filter((d) => d >= first);
  return { days, skipped };
}

function emptySummary(source: string, days: number, skipped: number, startedAt: string): SyncSummary {
  return {
    ...{ source, days, ok: 0, empty: 0, unsettled: 0, failed: 0, skipped },
    ...{ papers: 0, new: 0, updated: 0, requests: 0, failures: [], warnings: [], gone: 0 },
    ...{ interrupted: false, startedAt, finishedAt: '', durationMs: 0 },
  };
}

/** Adds a day's outcome to the summary. */
function count(summary: SyncSummary, outcome: DayOutcome): void {
  summary.requests += outcome.requests;
  summary.gone += outcome.gone ?? 0;
  if (outcome.status === 'failed') {
    summary.failed++;
    summary.failures.push({ day: outcome.day, error: outcome.error ?? 'failed' });
  } else {
    summary[outcome.status]++;
    if (outcome.warning) summary.warnings.push({ day: outcome.day, warning: outcome.warning });
  }
}

/**
 * Failures to reach the host since the last day that reached it are held back, so that a
 * host that is down ends the run with one error instead of one per day.
 */
class Reachability {
  held: { outcome: DayOutcome; err: UnreachableError }[] = [];
  reached = false;
  down: UnreachableError | undefined;

  constructor(
    private readonly emit: (o: DayOutcome) => void,
    private readonly stop: () => void,
  ) {}

  /** A saved or failed day; false while its failure to reach the host is held back. */
  seen(outcome: DayOutcome, unreachable: UnreachableError | undefined): void {
    if (unreachable) {
      this.held.push({ outcome, err: unreachable });
      if (this.held.length >= UNREACHABLE_STOP) {
        this.down = unreachable;
        this.stop();
      }
      return;
    }
    this.reached = true;
    this.release();
    this.emit(outcome);
  }

  /** At the end: days that failed to reach the host, none having reached it, mean it is down. */
  settle(interrupted: boolean): UnreachableError | undefined {
    if (!this.down && this.held.length > 0 && !this.reached && !interrupted) this.down = this.held.at(-1)!.err;
    if (!this.down) this.release();
    return this.down;
  }

  private release(): void {
    for (const h of this.held) this.emit(h.outcome);
    this.held = [];
  }
}

/** Plan, pool, reachability, finish: the days of one run, each saved whole. */
async function syncDays(ctx: TaskContext, endpoint: string, opts: SyncOptions): Promise<SyncSummary> {
  const { db } = ctx;
  const started = ctx.startedAt;
  const { days, skipped } = planDays(db, opts, dayOf(started));
  opts.onEvent?.({ type: 'plan', days, skipped });
  const summary = emptySummary(opts.source.name, days.length, skipped.length, started.toISOString());
  const tally = new RunTally(db);
  const stop = new AbortController();
  const signal = AbortSignal.any([stop.signal, ctx.signal]);
  const reach = new Reachability(
    (outcome) => opts.onEvent?.({ type: 'day', outcome, done, total: days.length, papersSeen: tally.seen }),
    () => stop.abort(),
  );
  const finished = new Set<Day>();
  let done = 0;
  const fatal = await pool(days, opts.concurrency ?? 4, signal, async (day) => {
    const result = await syncDay({ ...ctx, endpoint }, { ...opts, signal }, day, summary.startedAt).catch((err) => {
      stop.abort(); // the archive itself failing: the other workers stop too
      throw err;
    });
    if (result === null) return; // interrupted: this day was not written
    tally.record(result.ids); // by id: a paper listed on two of the synced days counts once
    done++;
    finished.add(day);
    count(summary, result.outcome);
    ctx.tally({ ...runTotals(summary), papers: tally.seen, newPapers: tally.added });
    reach.seen(result.outcome, result.unreachable);
  });
  let updated = 0;
  try {
    updated = tally.updated();
    tally.close();
  } catch (err) {
    if (!fatal) throw err; // the archive failing: the run ends failed
  }
  if (fatal) throw fatal;
  const down = reach.settle(!!ctx.interrupt?.aborted);
  Object.assign(summary, { papers: tally.seen, new: tally.added, updated, interrupted: !!ctx.interrupt?.aborted });
  const end = ctx.now();
  summary.finishedAt = end.toISOString();
  summary.durationMs = end.getTime() - started.getTime();
  ctx.tally(runTotals(summary));
  const failure = daysFailure(summary, days, finished, down, ctx.deadline.aborted, endpoint);
  if (failure) {
    failure.summary = summary;
    throw failure;
  }
  return summary;
}

/** Runs `work` over `items` with `n` workers until done or aborted; the first error, if any. */
async function pool<T>(items: T[], n: number, signal: AbortSignal, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal.aborted) await work(items[next++]!);
  };
  const workers = Array.from({ length: Math.max(1, Math.min(n, items.length)) }, worker);
  const results = await Promise.allSettled(workers);
  return results.find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason as unknown;
}

/** Why a run of days ended early: interrupted, the host down, or out of time. */
function daysFailure(
  summary: SyncSummary,
  days: Day[],
  finished: Set<Day>,
  down: UnreachableError | undefined,
  outOfTime: boolean,
  endpoint: string,
): (PapersError & { summary?: SyncSummary }) | undefined {
  const saved = summary.ok + summary.empty + summary.unsettled;
  const done = finished.size;
  if (summary.interrupted) {
    return new InterruptedError(
      `interrupted: ${done} of ${days.length} days synced, the day in progress was not written`,
    );
  }
  if (down) {
    const notFetched = days.length - saved;
    return new HostUnreachableError(
      `cannot reach ${down.host} (${down.reason}): ${notFetched} day${notFetched === 1 ? '' : 's'} not fetched`,
      { url: down.url, cause: down, hint: `check HF_ENDPOINT (${redactUrl(endpoint)}) and the network` },
    );
  }
  if (outOfTime) {
    const left = days.filter((d) => !finished.has(d));
    return new SyncDeadlineError(
      `the sync ran out of its time budget: ${saved} of ${days.length} days synced, ` +
        `${left.length} left (${describeDays(left)})`,
      left,
    );
  }
  return undefined;
}

interface DayIds {
  seen: string[];
  inserted: string[];
  updated: string[];
}
const NO_IDS: DayIds = { seen: [], inserted: [], updated: [] };

/**
 * Why a list cannot be trusted to replace what the archive has for its day: it shrank by
 * more than half, it came in several pages and is shorter (a page cut short), or entries
 * were dropped for lacking an id or a title. Undefined when it looks whole.
 */
export function listSuspicion(
  fetched: Pick<FetchedDay, 'entries' | 'skipped' | 'pages'>,
  listed: number,
  day: Day,
  prune = false,
  /** HF's: the next sync fetches the day again, `sync --date DAY --prune` accepts it; false for a feed. */
  acceptHint: boolean = true,
): string | undefined {
  const n = fetched.entries.length;
  const why: string[] = [];
  if (prune) {
    // asked for: the list replaces the day whatever its length
  } else if (n * 2 < listed) why.push(`upstream lists ${n} of the ${listed} papers the archive has for ${day}`);
  else if (n < listed && (fetched.pages ?? 1) > 1) {
    why.push(
      `the list for ${day} ended on page ${fetched.pages} with ${n} papers, fewer than the ${listed} the archive has`,
    );
  }
  if (fetched.skipped > 0) {
    const one = fetched.skipped === 1;
    const what = `${fetched.skipped} entr${one ? 'y' : 'ies'} for ${day}`;
    why.push(`${what} had no id or title and ${one ? 'was' : 'were'} left out`);
  }
  if (why.length === 0) return undefined;
  const kept = prune ? '' : ': kept every listing';
  const again = acceptHint ? ', the next sync fetches it again' : '';
  const accept =
    acceptHint && !prune && n < listed ? `; \`papers sync --date ${day} --prune\` accepts the shorter list` : '';
  return `${why.join('; ')}${kept}${again}${accept}`;
}

type DayDeps = Pick<SyncDeps, 'db' | 'http' | 'now' | 'endpoint'>;

async function syncDay(
  deps: DayDeps,
  opts: SyncOptions,
  day: Day,
  observedAt: string,
): Promise<{ outcome: DayOutcome; ids: DayIds; unreachable?: UnreachableError } | null> {
  const source = opts.source;
  const budget = { used: 0, max: MAX_REQUESTS_PER_DAY };
  const via = opts.via ?? source.vias[0]!;
  try {
    const fetchDeps = { http: deps.http, endpoint: deps.endpoint, signal: opts.signal, budget };
    const fetched = await source.fetchDay(day, fetchDeps, via);
    if (opts.signal?.aborted) return null;
    const nowIso = deps.now().toISOString();
    const had = countListings(deps.db, source.name, day);
    if (fetched.entries.length === 0 && had > 0) {
      // An upstream glitch must not wipe a day we have: keep it, and say so.
      const error = `upstream returned an empty list for ${day}, which has ${had} papers in the archive; kept them`;
      return failed(deps, source, day, error, budget.used, fetched.via, nowIso);
    }
    // A shorter list is trusted only when asked (`--prune`); an untrusted one removes nothing.
    const warning = listSuspicion(fetched, had, day, opts.prune);
    const r = saveDay(deps.db, {
      source: source.name,
      day,
      entries: fetched.entries,
      skipped: fetched.skipped,
      requests: budget.used,
      via: fetched.via,
      // One sync is one observation (signals.ts): every day of the run is stamped with its start.
      now: observedAt,
      missing: opts.prune ? 'prune' : warning ? 'keep' : 'gone',
      warning,
    });
    const status: DayStatus = warning ? 'unsettled' : fetched.entries.length > 0 ? 'ok' : 'empty';
    return {
      outcome: {
        day,
        status,
        papers: fetched.entries.length,
        inserted: r.inserted.length,
        updated: r.updated.length,
        requests: budget.used,
        via: fetched.via,
        ...(warning ? { warning } : {}),
        ...(r.listingsGone ? { gone: r.listingsGone } : {}),
      },
      ids: { seen: fetched.entries.map((e) => e.id), inserted: r.inserted, updated: r.updated },
    };
  } catch (err) {
    if (opts.signal?.aborted || isAbortError(err)) return null;
    // The archive itself failing (disk full, read-only) is not one day's problem:
    // nothing else can succeed, so it ends the sync.
    if (isSqliteError(err)) throw err;
    const out = failed(deps, source, day, redactText(errorMessage(err)), budget.used, via, deps.now().toISOString());
    return { ...out, ...(err instanceof UnreachableError ? { unreachable: err } : {}) };
  }
}

/** Records a day that could not be saved; its papers and listings stay as they were. */
function failed(
  deps: DayDeps,
  src: SourceAdapter,
  day: Day,
  error: string,
  requests: number,
  via: string,
  now: string,
): { outcome: DayOutcome; ids: DayIds } {
  recordDayFailure(deps.db, { source: src.name, day, error, requests, via, now });
  const outcome: DayOutcome = { day, status: 'failed', papers: 0, inserted: 0, updated: 0, requests, via, error };
  return { outcome, ids: NO_IDS };
}
