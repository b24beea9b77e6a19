/**
 * Signals over time, from the `snapshots` table: an observation per paper and sync (a
 * row when a sync saw its upvotes, comments or GitHub stars change, and one when it
 * arrived, all at the sync's start time): the history of one paper, a sparkline of it,
 * and papers ranked by upvote growth over a window.
 */
import type { DB } from '../db/open.js';
import type { Paper } from './papers.js';
import type { ListOptions } from './query.js';
import { papersAmong } from './new.js';

export interface Snapshot {
  at: string;
  upvotes: number;
  comments: number | null;
  githubStars: number | null;
}

/** A paper's observations, oldest first: one per sync that changed a value. */
export function upvoteHistory(db: DB, id: string): Snapshot[] {
  return db
    .prepare('SELECT at, upvotes, comments, github_stars AS githubStars FROM snapshots WHERE paper_id = ? ORDER BY at')
    .all(id) as Snapshot[];
}

const BLOCKS = '▁▂▃▄▅▆▇█';

/**
 * A Unicode sparkline, one block per value scaled between the minimum and the maximum.
 * A flat series is a flat mid line; non-finite values are skipped. With `width`, a
 * longer series is bucketed (the last value of each bucket) to fit.
 */
export function sparkline(values: number[], width?: number): string {
  let v = values.filter((x) => Number.isFinite(x));
  if (v.length === 0) return '';
  if (width !== undefined && width > 0 && v.length > width) {
    const step = v.length / width;
    const src = v;
    v = Array.from({ length: width }, (_, i) => src[Math.min(src.length - 1, Math.ceil((i + 1) * step) - 1)]!);
  }
  let min = Infinity;
  let max = -Infinity;
  for (const x of v) {
    if (x < min) min = x;
    if (x > max) max = x;
  }
  if (max === min) return BLOCKS[3]!.repeat(v.length);
  return v.map((x) => BLOCKS[Math.round(((x - min) / (max - min)) * (BLOCKS.length - 1))]!).join('');
}

/** Growth is only measured between observations at least this far apart (the SQL says -3600 seconds). */
export const MIN_OBSERVATION_GAP_MS = 3_600_000;

export interface Growth {
  /** Latest upvotes at or before `now`. */
  upvotes: number;
  /** The baseline: the last observation at or before the window start, else the first one inside it. */
  before: number;
  growth: number;
}

/**
 * Upvote growth over (now - window, now] of every paper observed in the window. An
 * observation is a sync (sync.ts stamps all of a run's days with its start; the
 * snapshot triggers keep a row when a value changed), so a sync that saw a paper on two
 * days counts once. Growth is the latest observation minus a baseline at least
 * MIN_OBSERVATION_GAP_MS older: the last observation at or before the window start,
 * else the paper's first one inside the window. A paper with no such pair (seen by one
 * sync only, or by syncs minutes apart) has no growth yet, so a single backfill ranks
 * nothing.
 */
export function upvoteGrowth(db: DB, opts: { windowMs: number; now: Date }): Map<string, Growth> {
  const end = opts.now.toISOString();
  const start = new Date(opts.now.getTime() - opts.windowMs).toISOString();
  const rows = db
    .prepare(
      `WITH c AS (SELECT DISTINCT paper_id AS id FROM snapshots WHERE at > @start AND at <= @end),
       l AS (
         SELECT c.id AS id, s.upvotes AS upvotes, strftime('%Y-%m-%dT%H:%M:%fZ', s.at, '-3600 seconds') AS gap
         FROM c JOIN snapshots s ON s.paper_id = c.id
         AND s.at = (SELECT max(at) FROM snapshots x WHERE x.paper_id = c.id AND x.at <= @end))
       SELECT l.id AS id, l.upvotes AS upvotes,
         coalesce(
           (SELECT upvotes FROM snapshots s WHERE s.paper_id = l.id AND s.at <= @start AND s.at <= l.gap
            ORDER BY s.at DESC LIMIT 1),
           (SELECT upvotes FROM snapshots s WHERE s.paper_id = l.id AND s.at > @start AND s.at <= l.gap
            ORDER BY s.at LIMIT 1)) AS before
       FROM l`,
    )
    .all({ start, end }) as { id: string; upvotes: number; before: number | null }[];
  const out = new Map<string, Growth>();
  for (const r of rows) {
    if (r.before === null) continue;
    out.set(r.id, { upvotes: r.upvotes, before: r.before, growth: r.upvotes - r.before });
  }
  return out;
}

/**
 * Why rising found nothing, for the CLI to say on stderr: the archive has been observed
 * on one occasion only (a single sync or backfill), or the syncs saw no growth.
 */
export function risingEmptyReason(db: DB, opts: { now: Date; window: string }): string {
  const r = db
    .prepare(
      `SELECT min(at) AS first, max(at) AS last FROM (
         SELECT at FROM snapshots WHERE at <= @end
         UNION ALL SELECT started_at FROM sync_runs WHERE started_at <= @end AND status <> 'running')`,
    )
    .get({ end: opts.now.toISOString() }) as { first: string | null; last: string | null };
  const two = 'rising needs syncs on two different occasions, at least an hour apart';
  if (!r.first || !r.last) return `${two}; this archive has none yet`;
  if (Date.parse(r.last) - Date.parse(r.first) < MIN_OBSERVATION_GAP_MS) {
    const at = r.last.slice(0, 16).replace('T', ' ');
    return `${two}; this archive was synced once (${at} UTC): run \`papers sync\` again later (cron does)`;
  }
  return `no upvote growth between syncs in the last ${opts.window}`;
}

export interface RisingPaper extends Paper {
  /** Upvotes gained over the window. */
  growth: number;
}

export interface RisingOptions extends ListOptions {
  windowMs: number;
  now: Date;
}

/**
 * Papers that gained upvotes over the window, most growth first (then upvotes, then
 * id), with the list filters and day range applied. Papers that did not grow are left
 * out: "rising" would otherwise list the whole archive in arbitrary order.
 */
export function risingPapers(db: DB, opts: RisingOptions): RisingPaper[] {
  const growth = upvoteGrowth(db, opts);
  const ids = new Set([...growth].filter(([, g]) => g.growth > 0).map(([id]) => id));
  const papers = papersAmong(db, ids, { ...opts, sort: 'date', limit: undefined }).map(
    (p): RisingPaper => ({ ...p, growth: growth.get(p.id)!.growth }),
  );
  papers.sort((a, b) => b.growth - a.growth || (b.upvotes ?? -1) - (a.upvotes ?? -1) || a.id.localeCompare(b.id));
  return opts.limit === undefined ? papers : papers.slice(0, opts.limit);
}
