/** `papers watch add|list|rm|show`: saved searches with their own new-mark. */
import { filterFromFlags } from '../cmdutil/filters.js';
import { argument, flag, jsonOption, limitOption, paperFilterOptions, text } from '../cmdutil/options.js';
import { defineCommand } from '../cmdutil/spec.js';
import { countNew, decodeMark, latestFirstSeen, selectAll } from '../core/new.js';
import {
  addWatch,
  describeWatch,
  listWatches,
  removeWatch,
  requireWatch,
  watchSelection,
  type Watch,
} from '../core/watch.js';
import type { DB } from '../db/open.js';
import { createOutput } from '../render/output.js';
import { relativeTime } from '../render/text.js';
import { plural } from '../text.js';

/** Matches the watch has not reported yet, against the archive as it stands (`upTo`). */
function newMatches(db: DB, w: Watch, upTo = latestFirstSeen(db)): number {
  return countNew(db, watchSelection(w), { after: w.seenAt, upTo });
}

const add = defineCommand({
  name: 'add',
  summary: 'save a watch: list filters and/or a search query',
  access: 'write',
  args: { name: argument('<name>', 'a short name') },
  options: {
    ...paperFilterOptions,
    query: text('--query <text>', 'a search query (search syntax)'),
    raw: flag('--raw', 'the query is FTS5 syntax'),
    fullText: flag('--full-text', "match the query against fetched papers' full text (papers fetch)"),
    force: flag('--force', 'replace a watch of the same name'),
  },
  examples: [
    'papers watch add agents -k agent -k agents --any --min-upvotes 10',
    'papers watch add moe --query "mixture of experts"',
    'papers watch add hinton --author hinton',
    'papers watch add gsm8k --query GSM8K --full-text  # in fetched full text',
  ],
  async run(ctx, o) {
    const db = await ctx.db();
    const { sort: _s, limit: _l, ...filter } = filterFromFlags(o, ctx.now());
    const input = { name: o.name, filter, query: o.query, raw: o.raw, fullText: o.fullText };
    const w = addWatch(db, input, { force: o.force, now: ctx.now() });
    if (!ctx.quiet) {
      // Every match it has in the archive; `watch list` counts those not yet reported.
      let n = 0;
      for (const _ of selectAll(db, watchSelection(w))) n++;
      const fresh = newMatches(db, w);
      ctx.io.err(
        `saved watch ${w.name}: ${describeWatch(w)} (${plural(n, 'match', 'matches')} in the archive, ` +
          `${fresh} new: papers watch show ${w.name})`,
      );
    }
    return 0;
  },
});

const list = defineCommand({
  name: 'list',
  summary: 'the saved watches',
  access: 'read',
  options: { ...jsonOption },
  examples: ['papers watch list'],
  async run(ctx, o) {
    const db = await ctx.db();
    const upTo = latestFirstSeen(db);
    const rows = listWatches(db).map((w) => ({ w, n: newMatches(db, w, upTo), seen: decodeMark(db, w.seenAt)?.at }));
    const out = createOutput(ctx, o);
    if (out.json) {
      out.value(rows.map(({ w, n, seen }) => ({ ...w, seenAt: seen ?? null, description: describeWatch(w), new: n })));
      return 0;
    }
    if (rows.length === 0) {
      if (out.tty) out.note('no watches yet; add one: papers watch add agents -k agent -k agents --any');
      return 0;
    }
    const now = ctx.now();
    const c = out.color;
    const style = (r: (typeof rows)[number]) => (r.n ? c.yellow : c.dim);
    out.table(rows, [
      { value: (r) => r.w.name, style: () => c.bold },
      { value: (r) => describeWatch(r.w), flex: true },
      { value: (r) => r.n, tty: (r) => `${String(r.n).padStart(4)} new`, style },
      {
        // Piped: the mark's time, or `never` (a row does not end in an empty cell; --json has null).
        value: (r) => r.seen ?? 'never',
        tty: (r) => (r.seen ? `seen ${relativeTime(r.seen, now)}` : 'never marked'),
        style,
      },
    ]);
    return 0;
  },
});

const rm = defineCommand({
  name: 'rm',
  aliases: ['remove'],
  summary: 'delete a watch',
  access: 'update',
  args: { name: argument('<name>', 'the watch') },
  examples: ['papers watch rm agents'],
  async run(ctx, o) {
    removeWatch(await ctx.db(), o.name);
    if (!ctx.quiet) ctx.io.err(`removed watch ${o.name}`);
    return 0;
  },
});

const show = defineCommand({
  name: 'show',
  summary: "a watch's matches in the archive",
  access: 'read',
  args: { name: argument('<name>', 'the watch') },
  options: { ...limitOption(), ...jsonOption },
  examples: ['papers watch show agents', 'papers watch show agents --json'],
  async run(ctx, o) {
    const db = await ctx.db();
    const w = requireWatch(db, o.name);
    const out = createOutput(ctx, o);
    if (out.tty) out.note(`watch ${w.name}: ${describeWatch(w)}`);
    if (out.papers(selectAll(db, watchSelection(w), o.limit), { showDay: true, numbered: !!w.query }) === 0)
      out.empty();
    return 0;
  },
});

export default defineCommand({
  name: 'watch',
  summary: 'saved searches: watches you follow with `papers new --watch` and `papers digest`',
  subcommands: [add, list, rm, show],
});
