/** `papers similar ID`: the archive ranked by textual similarity to one paper, offline. */
import type { Context } from '../context.js';
import { similarPapers } from '../core/similar.js';
import { canonicalId, parsePaperId } from '../ids.js';
import { getPaper } from '../core/query.js';
import { printJsonArray, renderPaperBlock, tsvLine } from '../render/papers.js';
import { wrap } from '../render/text.js';
import { cleanLine } from '../text.js';
import { filterFromFlags, type FilterFlags } from './options.js';

export interface SimilarFlags extends FilterFlags {
  json?: boolean;
}

export async function runSimilar(ctx: Context, input: string, flags: SimilarFlags): Promise<number> {
  canonicalId(input) ?? parsePaperId(input); // a malformed id fails before the archive opens
  const { sort: _s, limit, ...filter } = filterFromFlags(flags, ctx.now());
  const db = await ctx.db();
  const id = parsePaperId(input, (x) => getPaper(db, x) !== undefined);
  const r = similarPapers(db, id, { ...filter, limit });
  const io = ctx.io;
  if (flags.json) {
    printJsonArray(io, r.hits);
  } else if (!io.tty) {
    for (const h of r.hits) io.out(tsvLine(h));
  } else {
    const c = io.color;
    for (const l of wrap(`Similar to ${r.paper.id}: ${cleanLine(r.paper.title)}`, io.width)) io.out(c.bold(l));
    const indent = String(r.hits.length).length + 1 + 1 + 6 + 1;
    r.hits.forEach((h, i) => {
      io.out('');
      for (const l of renderPaperBlock(io, h, i, r.hits.length, { numbered: true, showDay: true })) io.out(l);
      io.out(' '.repeat(indent) + c.dim(`similarity ${Math.round(h.similarity * 100)}%`));
    });
  }
  if (r.hits.length === 0 && io.errTty && !ctx.quiet && !flags.json) {
    io.err(io.errColor.dim('no similar papers: the archive has no other paper sharing its distinctive terms (or none passes the filters)'));
  }
  return 0;
}
