/** `papers watch add|list|rm|show`: saved searches with their own new-mark. */
import { safeJson } from '../render/json.js';
import type { Context } from '../context.js';
import type { DB } from '../db/open.js';
import { latestFirstSeen, selectAll, selectNew } from '../core/new.js';
import { addWatch, describeWatch, listWatches, removeWatch, requireWatch, watchSelection, type Watch } from '../core/watch.js';
import { emptyHint } from './list.js';
import { printJsonArray, printPaperList } from '../render/papers.js';
import { padEnd, relativeTime, truncate } from '../render/text.js';
import { cleanLine } from '../text.js';
import { filterFromFlags, type FilterFlags } from './options.js';

export interface WatchAddFlags extends FilterFlags {
  query?: string;
  raw?: boolean;
  force?: boolean;
}

export async function runWatchAdd(ctx: Context, name: string, flags: WatchAddFlags): Promise<number> {
  const db = await ctx.db();
  const { sort: _s, limit: _l, ...filter } = filterFromFlags(flags, ctx.now());
  const w = addWatch(db, { name, filter, query: flags.query, raw: flags.raw }, { force: flags.force, now: ctx.now() });
  if (!ctx.quiet) {
    const n = countNew(db, w);
    ctx.io.err(`saved watch ${w.name}: ${describeWatch(w)} (${n} match${n === 1 ? '' : 'es'} in the archive)`);
  }
  return 0;
}

/** Matches the watch has not reported yet. */
function countNew(db: DB, w: Watch): number {
  return selectNew(db, watchSelection(w), { after: w.seenAt, upTo: latestFirstSeen(db) }).length;
}

export async function runWatchList(ctx: Context, flags: { json?: boolean }): Promise<number> {
  const db = await ctx.db();
  const watches = listWatches(db);
  const io = ctx.io;
  const rows = watches.map((w) => ({ w, n: countNew(db, w) }));
  if (flags.json) {
    io.out(safeJson(rows.map(({ w, n }) => ({ ...w, description: describeWatch(w), new: n })), 2));
    return 0;
  }
  if (!io.tty) {
    for (const { w, n } of rows) io.out([w.name, describeWatch(w), n, w.seenAt ?? ''].map((x) => cleanLine(String(x)).replace(/\t/g, ' ')).join('\t'));
    return 0;
  }
  if (rows.length === 0) {
    if (io.errTty && !ctx.quiet) io.err(io.errColor.dim('no watches yet; add one: papers watch add agents -k agent -k agents --any'));
    return 0;
  }
  const c = io.color;
  const nameW = Math.max(...rows.map(({ w }) => w.name.length));
  const now = ctx.now();
  for (const { w, n } of rows) {
    const seen = w.seenAt ? `seen ${relativeTime(w.seenAt, now)}` : 'never marked';
    const tail = `  ${String(n).padStart(4)} new  ${seen}`;
    const descW = Math.max(10, io.width - nameW - 2 - tail.length);
    io.out(`${c.bold(padEnd(w.name, nameW))}  ${padEnd(truncate(cleanLine(describeWatch(w)), descW), descW)}${n ? c.yellow(tail) : c.dim(tail)}`);
  }
  return 0;
}

export async function runWatchRm(ctx: Context, name: string, _flags: object): Promise<number> {
  const db = await ctx.db();
  removeWatch(db, name);
  if (!ctx.quiet) ctx.io.err(`removed watch ${name}`);
  return 0;
}

export async function runWatchShow(ctx: Context, name: string, flags: { limit?: number; json?: boolean }): Promise<number> {
  const db = await ctx.db();
  const w = requireWatch(db, name);
  const io = ctx.io;
  const papers = selectAll(db, watchSelection(w), flags.limit);
  if (io.tty && io.errTty && !ctx.quiet && !flags.json) io.err(io.errColor.dim(`watch ${w.name}: ${describeWatch(w)}`));
  const n = flags.json ? printJsonArray(io, papers) : printPaperList(io, papers, { showDay: true, numbered: !!w.query });
  if (n === 0 && io.errTty && !ctx.quiet && !flags.json) emptyHint(ctx);
  return 0;
}

