/**
 * Watches: saved list filters and/or a search query, stored in the archive, each with
 * its own new-mark (`seen_at`, an encoded new.ts Mark: what it has reported; null: none yet).
 */
import type { DB } from '../db/open.js';
import { PapersError, UsageError } from '../errors.js';
import { quoteArg } from '../text.js';
import { searchFullText } from './fulltext.js';
import { quoteFts, searchPapers, type PaperFilter } from './query.js';
import { hasFilter, markAdvances, type Selection } from './new.js';
import { describeFields, loadFields, shellArg, storeFields } from './filter-fields.js';

export const WATCH_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** The list filters a watch may keep: everything but day ranges (a watch follows new papers). */
export type WatchFilter = Omit<PaperFilter, 'since' | 'until' | 'ids'>;

export interface Watch {
  name: string;
  filter: WatchFilter;
  query: string | null;
  raw: boolean;
  /** The query is matched against the papers' full text (papers fetch), not their titles and abstracts. */
  fullText: boolean;
  createdAt: string;
  seenAt: string | null;
}

export interface WatchInput {
  name: string;
  filter: PaperFilter;
  query?: string | null;
  raw?: boolean;
  fullText?: boolean;
}

interface WatchRow {
  name: string;
  filter: string;
  query: string | null;
  raw: number;
  full_text?: number;
  created_at: string;
  seen_at: string | null;
}

export function checkWatchName(name: string): void {
  if (!WATCH_NAME.test(name)) {
    throw new UsageError(`invalid watch name ${quoteArg(name)}`, {
      hint: 'use 1 to 64 letters, digits, "_", "." or "-", e.g. agents or moe-2025',
    });
  }
}

/** The filter a watch stores: blank values dropped, day ranges refused. */
export function watchFilter(f: PaperFilter): WatchFilter {
  if (f.since || f.until) {
    throw new UsageError(
      'a watch follows new papers; day options (--date, --since, --until, --week, --month) do not apply',
      {
        hint: 'save the filters without days; pick days when you read: papers new --watch NAME --since 7d',
      },
    );
  }
  return storeFields(f);
}

function parseFilter(json: string): WatchFilter {
  try {
    const v = JSON.parse(json) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return {};
    return loadFields(v as Record<string, unknown>);
  } catch {
    return {};
  }
}

function toWatch(r: WatchRow): Watch {
  return {
    name: r.name,
    filter: parseFilter(r.filter),
    query: r.query,
    raw: r.raw === 1,
    fullText: r.full_text === 1,
    createdAt: r.created_at,
    seenAt: r.seen_at,
  };
}

/** The selection a watch stands for. */
export function watchSelection(w: Watch): Selection {
  return { filter: w.filter, query: w.query, raw: w.raw, fullText: w.fullText };
}

/**
 * Validates and saves a watch. A name already taken is a usage error unless `force`,
 * which replaces the watch (a new definition starts with no mark).
 */
export function addWatch(db: DB, input: WatchInput, opts: { force?: boolean; now: Date }): Watch {
  checkWatchName(input.name);
  const filter = watchFilter(input.filter);
  const query = input.query?.trim() ? input.query.trim() : null;
  if (input.fullText && !query) {
    throw new UsageError('--full-text needs --query', {
      hint: 'papers watch add gsm8k --query "GSM8K" --full-text',
    });
  }
  if (input.raw && !query)
    throw new UsageError('--raw needs --query', { hint: "papers watch add moe --query 'mixture NEAR(experts)' --raw" });
  if (!query && !hasFilter(filter)) {
    throw new UsageError('a watch needs at least one filter or --query', {
      hint:
        'e.g. papers watch add agents -k agent -k agents --any, ' +
        'or papers watch add moe --query "mixture of experts"',
    });
  }
  if (query) {
    if (!input.raw && quoteFts(query) === null)
      throw new UsageError(`the query ${quoteArg(query)} has no words to search for`);
    // Run it once so a bad --raw query fails now, not in tomorrow's cron digest.
    const search = input.fullText ? searchFullText : searchPapers;
    for (const _ of search(db, { query, raw: input.raw, limit: 1 })) break;
  }
  const row = {
    name: input.name,
    filter: JSON.stringify(filter),
    query,
    raw: input.raw && query ? 1 : 0,
    full_text: input.fullText && query ? 1 : 0,
    created_at: opts.now.toISOString(),
  };
  db.transaction(() => {
    const exists = db.prepare('SELECT 1 FROM watches WHERE name = ?').get(input.name) !== undefined;
    if (exists && !opts.force) {
      throw new UsageError(`a watch named ${input.name} already exists`, {
        hint: `pick another name, or replace it with --force (papers watch show ${input.name} shows what it matches)`,
      });
    }
    db.prepare(
      `INSERT INTO watches (name, filter, query, raw, full_text, created_at, seen_at)
       VALUES (@name, @filter, @query, @raw, @full_text, @created_at, NULL)
       ON CONFLICT(name) DO UPDATE SET filter = excluded.filter, query = excluded.query, raw = excluded.raw,
         full_text = excluded.full_text, created_at = excluded.created_at, seen_at = NULL`,
    ).run(row);
  }).immediate();
  return getWatch(db, input.name)!;
}

export function getWatch(db: DB, name: string): Watch | undefined {
  const r = db.prepare('SELECT * FROM watches WHERE name = ?').get(name) as WatchRow | undefined;
  return r ? toWatch(r) : undefined;
}

export function listWatches(db: DB): Watch[] {
  return (db.prepare('SELECT * FROM watches ORDER BY name').all() as WatchRow[]).map(toWatch);
}

function unknownWatch(db: DB, name: string): PapersError {
  const names = listWatches(db).map((w) => w.name);
  const near = names.filter(
    (n) => n.toLowerCase() === name.toLowerCase() || n.toLowerCase().startsWith(name.toLowerCase().slice(0, 3)),
  );
  const hint =
    names.length === 0
      ? 'there are no watches yet; add one with papers watch add NAME -k WORD'
      : near.length
        ? `did you mean ${near.slice(0, 3).join(', ')}? papers watch list shows them all`
        : `papers watch list shows the ${names.length} saved watch${names.length === 1 ? '' : 'es'}`;
  return new PapersError(`no watch named ${quoteArg(name)}`, { hint });
}

/** The watch, or a runtime error (exit 1) with a hint naming the watches there are. */
export function requireWatch(db: DB, name: string): Watch {
  const w = getWatch(db, name);
  if (!w) throw unknownWatch(db, name);
  return w;
}

export function removeWatch(db: DB, name: string): void {
  if (db.prepare('DELETE FROM watches WHERE name = ?').run(name).changes === 0) throw unknownWatch(db, name);
}

/** Moves a watch's mark (an encoded new.ts Mark) forward, never back. */
export function setWatchSeen(db: DB, name: string, mark: string): void {
  db.transaction(() => {
    const w = getWatch(db, name);
    if (!w || !markAdvances(db, w.seenAt, mark)) return;
    db.prepare('UPDATE watches SET seen_at = ? WHERE name = ?').run(mark, name);
  }).immediate();
}

/** The watch as the command-line flags that would define it. */
export function describeWatch(w: Pick<Watch, 'filter' | 'query' | 'raw'> & { fullText?: boolean }): string {
  const f = w.filter;
  const parts: string[] = [];
  if (w.query) parts.push(`--query ${shellArg(w.query)}`);
  if (w.raw) parts.push('--raw');
  if (w.fullText) parts.push('--full-text');
  parts.push(...describeFields(f));
  return parts.join(' ');
}
