/**
 * Sync: decide which days to fetch, fetch them with bounded concurrency through a
 * source adapter, save each day in its own transaction. Never prints: progress goes
 * to callbacks, the result is a summary.
 */
import { addDays, dayOf, dayRange, dayToMs, type Day } from '../dates.js';
import { InterruptedError, LockedError, errorMessage, isAbortError } from '../errors.js';
import type { HttpClient } from '../http/client.js';
import type { DB } from '../db/open.js';
import { acquireSyncLock, type SyncLock } from '../db/lock.js';
import { countListings, finishRun, recordDayFailure, saveDay, startRun } from '../db/store.js';
import type { SourceAdapter } from '../sources/types.js';

/** Lists and upvotes keep moving for a few days after the listing day. */
export const SETTLE_DAYS = 3;
export const FIRST_RUN_DAYS = 7;
/** An incremental sync retries the failed days of this many recent days; older ones need a command. */
export const RETRY_FAILED_DAYS = 30;
/** Requests one day may cost, pages and retries together: no retry storms. */
export const MAX_REQUESTS_PER_DAY = 16;

export type DayStatus = 'ok' | 'empty' | 'failed';

export interface DayOutcome {
  day: Day;
  status: DayStatus;
  papers: number;
  inserted: number;
  updated: number;
  requests: number;
  via?: string;
  error?: string;
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
  failed: number;
  skipped: number;
  papers: number;
  new: number;
  updated: number;
  requests: number;
  failures: { day: Day; error: string }[];
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
  signal?: AbortSignal;
  onEvent?: (e: SyncEvent) => void;
}

export interface RunningSync {
  pid: number | null;
  startedAt: string;
}

export function runningSync(db: DB): RunningSync | undefined {
  const row = db
    .prepare(`SELECT pid, started_at AS startedAt FROM sync_runs WHERE status = 'running' ORDER BY id DESC LIMIT 1`)
    .get() as RunningSync | undefined;
  return row;
}

/**
 * Incremental plan: from the day after the last synced day through today (the last
 * FIRST_RUN_DAYS on a first run), plus the SETTLE_DAYS most recent synced days again,
 * plus recent days whose last attempt failed, plus recent days never fetched between
 * synced ones (RETRY_FAILED_DAYS back).
 */
export function planIncremental(db: DB, source: string, today: Day): Day[] {
  const last = db
    .prepare(`SELECT max(day) FROM sync_days WHERE source = ? AND outcome IN ('ok', 'empty') AND day <= ?`)
    .pluck()
    .get(source, today) as Day | null;
  if (!last) return dayRange(addDays(today, -(FIRST_RUN_DAYS - 1)), today);
  const days = new Set<Day>();
  const recent = db
    .prepare(`SELECT day FROM sync_days WHERE source = ? AND outcome IN ('ok', 'empty') AND day <= ? ORDER BY day DESC LIMIT ?`)
    .pluck()
    .all(source, last, SETTLE_DAYS) as Day[];
  for (const d of recent) days.add(d);
  if (last < today) for (const d of dayRange(addDays(last, 1), today)) days.add(d);
  const failed = db
    .prepare(`SELECT day FROM sync_days WHERE source = ? AND outcome = 'failed' AND day BETWEEN ? AND ?`)
    .pluck()
    .all(source, addDays(today, -RETRY_FAILED_DAYS), today) as Day[];
  for (const d of failed) days.add(d);
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
  const older = db.prepare('SELECT 1 FROM sync_days WHERE source = ? AND day < ? LIMIT 1').pluck().get(source, windowStart) !== undefined;
  const first = older ? windowStart : [...known].sort()[0];
  if (first) for (const d of dayRange(first, today)) if (!known.has(d)) days.add(d);
  return [...days].sort();
}

/** A day has settled when its last good fetch came SETTLE_DAYS after the day ended. */
export function settledDays(db: DB, source: string, days: Day[]): Set<Day> {
  const out = new Set<Day>();
  if (days.length === 0) return out;
  const rows = db
    .prepare(`SELECT day, ok_at AS okAt FROM sync_days WHERE source = ? AND outcome IN ('ok', 'empty') AND day BETWEEN ? AND ?`)
    .all(source, days[0], days[days.length - 1]) as { day: Day; okAt: string | null }[];
  for (const r of rows) {
    if (r.okAt && Date.parse(r.okAt) >= dayToMs(addDays(r.day, 1 + SETTLE_DAYS))) out.add(r.day);
  }
  return out;
}

export async function sync(deps: SyncDeps, opts: SyncOptions): Promise<SyncSummary> {
  const { db } = deps;
  const source = opts.source;
  let lock: SyncLock | null = null;
  if (deps.lockPath) {
    lock = await acquireSyncLock(deps.lockPath, {
      waitMs: opts.lockWaitMs ?? 0,
      signal: opts.signal,
      onWait: () => opts.onEvent?.({ type: 'waiting-for-lock', holder: runningSync(db) }),
    });
    if (!lock) {
      const holder = runningSync(db);
      throw new LockedError(
        `another papers sync is running on this archive${holder?.pid ? ` (pid ${holder.pid}, started ${holder.startedAt})` : ''}`,
        { hint: 'it will finish on its own; run again later, or pass --wait 10m to queue behind it' },
      );
    }
  }
  try {
    return await syncLocked(deps, opts, source);
  } finally {
    lock?.release();
  }
}

async function syncLocked(deps: SyncDeps, opts: SyncOptions, source: SourceAdapter): Promise<SyncSummary> {
  const { db, now } = deps;
  const started = now();
  const today = dayOf(started);
  let days: Day[];
  let skipped: Day[] = [];
  if (opts.days) {
    const wanted = [...new Set(opts.days)].sort();
    const settled = opts.force ? new Set<Day>() : settledDays(db, source.name, wanted);
    days = wanted.filter((d) => !settled.has(d));
    skipped = wanted.filter((d) => settled.has(d));
  } else {
    days = planIncremental(db, source.name, today);
  }
  // Days before the source had lists cannot have one (`today --date 2020-01-01` too).
  const first = source.firstDay;
  if (first) days = days.filter((d) => d >= first);
  opts.onEvent?.({ type: 'plan', days, skipped });

  const runId = startRun(db, source.name, started.toISOString(), deps.pid);
  const summary: SyncSummary = {
    source: source.name,
    days: days.length,
    ok: 0,
    empty: 0,
    failed: 0,
    skipped: skipped.length,
    papers: 0,
    new: 0,
    updated: 0,
    requests: 0,
    failures: [],
    interrupted: false,
    startedAt: started.toISOString(),
    finishedAt: '',
    durationMs: 0,
  };
  const seen = new Set<string>();
  const newIds = new Set<string>();
  const updatedIds = new Set<string>();
  let next = 0;
  let done = 0;

  // A fatal error (the archive itself failing) stops the other workers too.
  const stop = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
  const dayOpts = { ...opts, signal };
  const worker = async () => {
    while (next < days.length && !signal.aborted) {
      const day = days[next++]!;
      let result;
      try {
        result = await syncDay(deps, dayOpts, source, day, summary.startedAt);
      } catch (err) {
        stop.abort();
        throw err;
      }
      if (result === null) return; // interrupted: this day was not written
      const { outcome, ids } = result;
      // Count by id, so that a paper listed on two of the synced days counts once.
      for (const id of ids.seen) seen.add(id);
      for (const id of ids.inserted) newIds.add(id);
      for (const id of ids.updated) if (!newIds.has(id)) updatedIds.add(id);
      done++;
      summary.requests += outcome.requests;
      if (outcome.status === 'failed') {
        summary.failed++;
        summary.failures.push({ day, error: outcome.error ?? 'failed' });
      } else {
        if (outcome.status === 'ok') summary.ok++;
        else summary.empty++;
      }
      opts.onEvent?.({ type: 'day', outcome, done, total: days.length, papersSeen: seen.size });
    }
  };
  const n = Math.max(1, Math.min(opts.concurrency ?? 4, days.length));
  const results = await Promise.allSettled(Array.from({ length: n }, worker));
  const fatal = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (fatal) {
    finishRun(db, runId, { status: 'failed', now: now().toISOString(), days: done, failed: summary.failed, papers: seen.size, newPapers: newIds.size, updated: updatedIds.size, error: errorMessage(fatal.reason) });
    throw fatal.reason;
  }

  summary.papers = seen.size;
  summary.new = newIds.size;
  summary.updated = updatedIds.size;
  summary.interrupted = !!opts.signal?.aborted;
  const finished = now();
  summary.finishedAt = finished.toISOString();
  summary.durationMs = finished.getTime() - started.getTime();
  finishRun(db, runId, {
    status: summary.interrupted ? 'interrupted' : summary.failed > 0 ? 'failed' : 'ok',
    now: summary.finishedAt,
    days: done,
    failed: summary.failed,
    papers: summary.papers,
    newPapers: summary.new,
    updated: summary.updated,
    error: summary.failures[0] ? `${summary.failures[0].day}: ${summary.failures[0].error}` : undefined,
  });
  if (summary.interrupted) {
    const err = new InterruptedError(`interrupted: ${done} of ${days.length} days synced, the day in progress was not written`);
    (err as InterruptedError & { summary?: SyncSummary }).summary = summary;
    throw err;
  }
  return summary;
}

interface DayIds {
  seen: string[];
  inserted: string[];
  updated: string[];
}
const NO_IDS: DayIds = { seen: [], inserted: [], updated: [] };

async function syncDay(
  deps: SyncDeps,
  opts: SyncOptions,
  source: SourceAdapter,
  day: Day,
  observedAt: string,
): Promise<{ outcome: DayOutcome; ids: DayIds } | null> {
  const budget = { used: 0, max: MAX_REQUESTS_PER_DAY };
  const via = opts.via ?? source.vias[0]!;
  try {
    const fetched = await source.fetchDay(day, { http: deps.http, endpoint: deps.endpoint, signal: opts.signal, budget }, via);
    if (opts.signal?.aborted) return null;
    const nowIso = deps.now().toISOString();
    if (fetched.entries.length === 0) {
      const had = countListings(deps.db, source.name, day);
      if (had > 0) {
        // An upstream glitch must not wipe a day we have: keep it, and say so.
        const error = `upstream returned an empty list for ${day}, which has ${had} papers in the archive; kept them`;
        recordDayFailure(deps.db, { source: source.name, day, error, requests: budget.used, via: fetched.via, now: nowIso });
        return { outcome: { day, status: 'failed', papers: 0, inserted: 0, updated: 0, requests: budget.used, via: fetched.via, error }, ids: NO_IDS };
      }
    }
    const r = saveDay(deps.db, {
      source: source.name,
      day,
      entries: fetched.entries,
      skipped: fetched.skipped,
      requests: budget.used,
      via: fetched.via,
      // One sync is one observation (signals.ts): every day of the run is stamped with its start.
      now: observedAt,
    });
    return {
      outcome: {
        day,
        status: fetched.entries.length > 0 ? 'ok' : 'empty',
        papers: fetched.entries.length,
        inserted: r.inserted.length,
        updated: r.updated.length,
        requests: budget.used,
        via: fetched.via,
      },
      ids: { seen: fetched.entries.map((e) => e.id), inserted: r.inserted, updated: r.updated },
    };
  } catch (err) {
    if (opts.signal?.aborted || isAbortError(err)) return null;
    // The archive itself failing (disk full, read-only) is not one day's problem:
    // nothing else can succeed, so it ends the sync.
    if (String((err as { code?: unknown })?.code ?? '').startsWith('SQLITE_')) throw err;
    const error = errorMessage(err);
    recordDayFailure(deps.db, { source: source.name, day, error, requests: budget.used, via, now: deps.now().toISOString() });
    return { outcome: { day, status: 'failed', papers: 0, inserted: 0, updated: 0, requests: budget.used, via, error }, ids: NO_IDS };
  }
}
