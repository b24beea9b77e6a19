/**
 * The one runner every sync goes through (issue 21): Hugging Face days, an arXiv feed,
 * an OAI-PMH harvest and `papers add` alike. It owns what every source needs and none
 * should spell again: the sync lock and `--wait` (naming the holder's pid), the deadline,
 * Ctrl-C and SIGTERM (one signal for both, acted on between whole units), one run record
 * per source and run (with its kind and totals, also when the source fails), and the
 * rule that one source's failure never stops the others. A source is a task: it plans
 * its units from the archive, fetches each through the HTTP client, parses it with a
 * pure function and saves it in one transaction (see src/sources/types.ts). Never prints:
 * events go to a callback, results come back per source.
 */
import { LockedError, PapersError, errorMessage, isAbortError } from '../errors.js';
import type { HttpClient } from '../http/client.js';
import { redactText } from '../http/client.js';
import type { DB } from '../db/open.js';
import { isSqliteError } from '../db/errors.js';
import { acquireSyncLock } from '../db/lock.js';
import { finishRun, startRun, type RunKind } from '../db/store.js';

export type { RunKind } from '../db/store.js';

export interface RunTotals {
  /** Units of the run's kind that were saved: listing days (a feed: its day; add: batches). */
  days: number;
  failed: number;
  papers: number;
  newPapers: number;
  updated: number;
}

export interface RunnerDeps {
  db: DB;
  http: HttpClient;
  now: () => Date;
  pid: number;
  /** The lock file; null skips locking (in-memory archives). */
  lockPath: string | null;
}

export interface RunnerOptions {
  /** How long to wait for another sync to finish; 0 fails at once. */
  lockWaitMs?: number;
  /** A budget for the whole run once the lock is held, every source together. */
  deadlineMs?: number;
  /** Ctrl-C or SIGTERM. */
  signal?: AbortSignal;
  onEvent?: (e: RunnerEvent) => void;
}

export interface RunningSync {
  pid: number | null;
  startedAt: string;
  source?: string;
}

export type RunnerEvent =
  | { type: 'waiting-for-lock'; holder: RunningSync | undefined }
  | { type: 'source-start'; source: string; kind: RunKind };

/** What a task sees: the archive, the client, the clock, and when to stop. */
export interface TaskContext {
  db: DB;
  http: HttpClient;
  now: () => Date;
  /** When the run record says the run started: one sync is one observation (signals.ts). */
  startedAt: Date;
  /** Aborted by Ctrl-C, SIGTERM or the deadline: stop before the next unit. */
  signal: AbortSignal;
  /** Aborted by the deadline alone (a task says which days or pages are left). */
  deadline: AbortSignal;
  /** Aborted by the user alone. */
  interrupt: AbortSignal | undefined;
  /** The totals so far: what the run record says if the task then fails. */
  tally(t: Partial<RunTotals>): void;
}

export interface TaskResult<R> {
  result: R;
  totals: RunTotals;
  /** Failed units make a failed run; the others were saved. */
  status: 'ok' | 'failed';
  error?: string;
}

/** One source's work in a run. */
export interface SourceTask<R = unknown> {
  source: string;
  kind: RunKind;
  /** False when there is nothing to ask (a feed fetched this announcement cycle): no run record. */
  due?(db: DB, now: Date): boolean;
  run(ctx: TaskContext): Promise<TaskResult<R>>;
  /** The result when the task was not due. */
  idle?(db: DB): R;
}

export type TaskOutcome<R = unknown> =
  | { source: string; kind: RunKind; ok: true; result: R }
  | { source: string; kind: RunKind; ok: false; error: unknown };

export function runningSync(db: DB): RunningSync | undefined {
  return db
    .prepare(
      `SELECT pid, started_at AS startedAt, source FROM sync_runs WHERE status = 'running' ORDER BY id DESC LIMIT 1`,
    )
    .get() as RunningSync | undefined;
}

/** The run ran out of its `--deadline`: what was saved stays. */
export class DeadlineError extends PapersError {
  constructor(message: string) {
    super(message, { hint: 'the next papers sync continues where this one stopped; --deadline gives it longer' });
  }
}

const ZERO: RunTotals = { days: 0, failed: 0, papers: 0, newPapers: 0, updated: 0 };

/**
 * Runs the tasks one after the other under one lock. A task that fails is recorded and
 * reported in its outcome, and the next one runs; Ctrl-C, SIGTERM and the archive itself
 * failing end the run at once (thrown, after the run record is written).
 */
export async function runSources(
  deps: RunnerDeps,
  tasks: readonly SourceTask[],
  opts: RunnerOptions = {},
): Promise<TaskOutcome[]> {
  const { db } = deps;
  const lock = deps.lockPath
    ? await acquireSyncLock(deps.lockPath, {
        waitMs: opts.lockWaitMs ?? 0,
        signal: opts.signal,
        onWait: () => opts.onEvent?.({ type: 'waiting-for-lock', holder: runningSync(db) }),
      })
    : null;
  if (deps.lockPath && !lock) {
    const holder = runningSync(db);
    throw new LockedError(
      'another papers sync is running on this archive' +
        (holder?.pid
          ? ` (pid ${holder.pid}, started ${holder.startedAt}, syncing ${holder.source ?? 'a source'})`
          : ''),
      { hint: 'it will finish on its own; run again later, or pass --wait 10m to queue behind it' },
    );
  }
  const deadline = new AbortController();
  const timer = opts.deadlineMs ? setTimeout(() => deadline.abort(), opts.deadlineMs) : undefined;
  const signal = opts.signal ? AbortSignal.any([opts.signal, deadline.signal]) : deadline.signal;
  const outcomes: TaskOutcome[] = [];
  try {
    for (const task of tasks) {
      const { source, kind } = task;
      if (opts.signal?.aborted) break;
      if (deadline.signal.aborted) {
        outcomes.push({ source, kind, ok: false, error: new DeadlineError(`${source}: not synced, no time left`) });
        continue;
      }
      if (task.due && !task.due(db, deps.now())) {
        outcomes.push({ source, kind, ok: true, result: task.idle?.(db) });
        continue;
      }
      opts.onEvent?.({ type: 'source-start', source, kind });
      outcomes.push(await runTask(deps, task, { signal, deadline: deadline.signal, interrupt: opts.signal }));
    }
  } finally {
    clearTimeout(timer);
    lock?.release();
  }
  return outcomes;
}

async function runTask(
  deps: RunnerDeps,
  task: SourceTask,
  signals: { signal: AbortSignal; deadline: AbortSignal; interrupt: AbortSignal | undefined },
): Promise<TaskOutcome> {
  const { db, now } = deps;
  const { source, kind } = task;
  const startedAt = now();
  const runId = startRun(db, source, kind, startedAt.toISOString(), deps.pid);
  let totals: RunTotals = { ...ZERO };
  const ctx: TaskContext = {
    db,
    http: deps.http,
    now,
    startedAt,
    ...signals,
    tally: (t) => {
      totals = { ...totals, ...t };
    },
  };
  try {
    const r = await task.run(ctx);
    finishRun(db, runId, { status: r.status, now: now().toISOString(), ...r.totals, error: r.error });
    return { source, kind, ok: true, result: r.result };
  } catch (err) {
    const interrupted = !!signals.interrupt?.aborted;
    const error =
      signals.deadline.aborted && !interrupted && isAbortError(err)
        ? new DeadlineError(`${source}: the sync ran out of its time budget`)
        : err;
    finishRun(db, runId, {
      status: interrupted ? 'interrupted' : 'failed',
      now: now().toISOString(),
      ...totals,
      error: interrupted ? undefined : redactText(errorMessage(error)),
    });
    // Nothing else can succeed: the user stopped it, or the archive itself is failing.
    if (interrupted || isSqliteError(err)) throw err;
    return { source, kind, ok: false, error };
  }
}

/** The first error of the outcomes, thrown: for callers that run one task. */
export function resultOf<R>(outcome: TaskOutcome<R> | undefined): R {
  if (!outcome) throw new PapersError('the sync did not run');
  if (!outcome.ok) throw outcome.error;
  return outcome.result;
}
