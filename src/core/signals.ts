/**
 * Signals over time, from the `snapshots` table (a row per paper whenever a sync saw
 * its upvotes, comments or GitHub stars change, and one when it arrived): the history
 * of one paper, a sparkline of it, and papers ranked by upvote growth over a window.
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

/** A paper's snapshots, oldest first. */
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

export interface Growth {
  /** Latest upvotes at or before `now`. */
  upvotes: number;
  /** The baseline: the last snapshot at or before the window start, else the first one inside it. */
  before: number;
  growth: number;
}

/**
 * Upvote growth over (now - window, now] of every paper with a snapshot in the window
 * (any other paper did not change: growth 0). Growth is the latest snapshot minus the
 * latest one at or before the window start; a paper that arrived during the window
 * counts from its first snapshot.
 */
export function upvoteGrowth(db: DB, opts: { windowMs: number; now: Date }): Map<string, Growth> {
  const end = opts.now.toISOString();
  const start = new Date(opts.now.getTime() - opts.windowMs).toISOString();
  const rows = db
    .prepare(
      `WITH c AS (SELECT DISTINCT paper_id AS id FROM snapshots WHERE at > @start AND at <= @end)
       SELECT c.id AS id,
         (SELECT upvotes FROM snapshots s WHERE s.paper_id = c.id AND s.at <= @end ORDER BY s.at DESC LIMIT 1) AS upvotes,
         coalesce(
           (SELECT upvotes FROM snapshots s WHERE s.paper_id = c.id AND s.at <= @start ORDER BY s.at DESC LIMIT 1),
           (SELECT upvotes FROM snapshots s WHERE s.paper_id = c.id AND s.at > @start ORDER BY s.at LIMIT 1)) AS before
       FROM c`,
    )
    .all({ start, end }) as { id: string; upvotes: number; before: number }[];
  const out = new Map<string, Growth>();
  for (const r of rows) out.set(r.id, { upvotes: r.upvotes, before: r.before, growth: r.upvotes - r.before });
  return out;
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
  papers.sort((a, b) => b.growth - a.growth || b.upvotes - a.upvotes || a.id.localeCompare(b.id));
  return opts.limit === undefined ? papers : papers.slice(0, opts.limit);
}
