/** The archive at a glance. */
import { statSync } from 'node:fs';
import type { DB } from '../db/open.js';
import { SCHEMA_VERSION } from '../db/migrations.js';
import { dayOf } from '../dates.js';
import { fullTextStatus, type FullTextStatus } from './fulltext.js';
import { unsettledDays } from './sync.js';

export interface Status {
  db: string;
  size: number;
  schema: number;
  papers: number;
  listings: number;
  days: number;
  firstDay: string | null;
  lastDay: string | null;
  lastSync: RunView | null;
  failedDays: { source: string; day: string; at: string; error: string | null }[];
  /** Days saved whole whose last list looked cut short: fetched again by later syncs. */
  suspectDays: { source: string; day: string; at: string; warning: string }[];
  /** Listing days whose upvotes may still move (last fetched before they were two weeks old). */
  unsettledDays: number;
  /** Papers with their full text (papers fetch), and the space it takes. */
  fullText: FullTextStatus;
  /** The last run of each source and kind, from the run records (a backfill counts). */
  sources: SourceRun[];
}

/** A run record as status shows it. */
export interface RunView {
  startedAt: string;
  finishedAt: string | null;
  status: string;
  days: number;
  failedDays: number;
  papers: number;
  newPapers: number;
  updated: number;
  error: string | null;
}

/** One source's last run of one kind: listing days (HF), feed, harvest (backfill) or add. */
export interface SourceRun extends RunView {
  source: string;
  kind: string;
  /** What is not settled yet: days whose last fetch failed, lists that looked cut short, a harvest left halfway. */
  unsettled: string[];
}

/**
 * The last run of each source and kind (one run record each, written by the runner), with
 * what is left unsettled for the source. A run marked running whose lock is free was killed.
 */
export function sourceRuns(db: DB, syncRunning: () => boolean = () => true): SourceRun[] {
  const runs = db
    .prepare(
      `SELECT source, coalesce(kind, 'days') AS kind, status, started_at AS startedAt, finished_at AS finishedAt,
              days, failed_days AS failedDays, papers, new_papers AS newPapers, updated, error
       FROM sync_runs r
       WHERE id = (SELECT max(id) FROM sync_runs r2 WHERE r2.source = r.source AND r2.kind IS r.kind)
       ORDER BY source, kind`,
    )
    .all() as Omit<SourceRun, 'unsettled'>[];
  const failed = db.prepare(`SELECT count(*) FROM sync_days WHERE source = ? AND outcome = 'failed'`).pluck();
  const suspect = db.prepare('SELECT count(*) FROM sync_days WHERE source = ? AND warning IS NOT NULL').pluck();
  const harvest = db.prepare('SELECT since, pages FROM harvests WHERE source = ?');
  return runs.map((run) => {
    const unsettled: string[] = [];
    const nFailed = failed.get(run.source) as number;
    const nSuspect = suspect.get(run.source) as number;
    if (nFailed) unsettled.push(`${nFailed} day${nFailed === 1 ? '' : 's'} whose last fetch failed`);
    if (nSuspect) unsettled.push(`${nSuspect} day${nSuspect === 1 ? '' : 's'} whose list looked cut short`);
    const h = harvest.get(run.source) as { since: string; pages: number } | undefined;
    if (h && run.kind === 'harvest') unsettled.push(`a backfill since ${h.since} stopped after ${h.pages} pages`);
    const status = run.status === 'running' && !syncRunning() ? 'interrupted' : run.status;
    return { ...run, status, unsettled };
  });
}

function fileSize(path: string): number {
  let total = 0;
  for (const suffix of ['', '-wal']) {
    try {
      total += statSync(path + suffix).size;
    } catch {
      /* absent */
    }
  }
  return total;
}

/** `syncRunning` asks the sync lock whether a run marked running is still alive. */
export function archiveStatus(db: DB, path: string, syncRunning: () => boolean = () => true, now = new Date()): Status {
  const one = (sql: string, ...args: unknown[]) =>
    db
      .prepare(sql)
      .pluck()
      .get(...args);
  const rangeSql = 'SELECT min(day) AS firstDay, max(day) AS lastDay, count(DISTINCT day) AS days FROM listings';
  const range = db.prepare(rangeSql).get() as {
    firstDay: string | null;
    lastDay: string | null;
    days: number;
  };
  const last = db
    .prepare(
      `SELECT started_at AS startedAt, finished_at AS finishedAt, status, days, failed_days AS failedDays,
              papers, new_papers AS newPapers, updated, error, source
       FROM sync_runs ORDER BY id DESC LIMIT 1`,
    )
    .get() as (Status['lastSync'] & { source?: string }) | undefined;
  const source = last?.source ?? '';
  if (last) delete last.source;
  if (last?.status === 'running') {
    // Its totals are written when it ends; until then, count the days it has saved so far
    // (each day commits on its own, so this is what a reader can already see).
    const sofar = db
      .prepare(
        `SELECT count(*) FILTER (WHERE outcome <> 'failed') AS days,
                count(*) FILTER (WHERE outcome = 'failed') AS failedDays,
                (SELECT count(DISTINCT l.paper_id)
                 FROM listings l JOIN sync_days s ON s.source = l.source AND s.day = l.day
                 WHERE s.source = @source AND s.fetched_at >= @since AND s.outcome <> 'failed') AS papers
         FROM sync_days WHERE source = @source AND fetched_at >= @since`,
      )
      .get({ source, since: last.startedAt }) as { days: number; failedDays: number; papers: number };
    const newPapers = one('SELECT count(*) FROM papers WHERE first_seen >= ?', last.startedAt) as number;
    Object.assign(last, sofar, { newPapers });
    // A sync killed outright (power off, SIGKILL) stays marked running until the next one;
    // the lock it held was dropped by the kernel.
    if (!syncRunning()) last.status = 'interrupted';
  }
  const unsettled = unsettledDays(db, dayOf(now));
  const failed = db
    .prepare(`SELECT source, day, fetched_at AS at, error FROM sync_days WHERE outcome = 'failed' ORDER BY day`)
    .all() as Status['failedDays'];
  return {
    db: path,
    size: fileSize(path),
    schema: SCHEMA_VERSION,
    papers: one('SELECT count(*) FROM papers') as number,
    listings: one('SELECT count(*) FROM listings') as number,
    days: range.days,
    firstDay: range.firstDay,
    lastDay: range.lastDay,
    lastSync: last ?? null,
    failedDays: failed,
    suspectDays: db
      .prepare(`SELECT source, day, fetched_at AS at, warning FROM sync_days WHERE warning IS NOT NULL ORDER BY day`)
      .all() as Status['suspectDays'],
    unsettledDays: unsettled.recent.length + unsettled.older.length,
    fullText: fullTextStatus(db),
    sources: sourceRuns(db, syncRunning),
  };
}
