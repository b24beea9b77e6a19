/** `papers search QUERY`: ranked full-text search. */
import type { Context } from '../context.js';
import { HIGHLIGHT, searchPapers, type Hit } from '../core/query.js';
import { UsageError } from '../errors.js';
import type { IO } from '../render/io.js';
import { printJsonArray, renderPaperBlock, tsvLine } from '../render/papers.js';
import { wrap } from '../render/text.js';
import { cleanLine } from '../text.js';
import { emptyHint } from './list.js';
import { filterFromFlags, type FilterFlags } from './options.js';

export interface SearchFlags extends FilterFlags {
  raw?: boolean;
  abstract?: boolean;
  json?: boolean;
}

/** A snippet with its match markers turned into our own styling, everything else sanitised. */
export function renderSnippet(io: IO, snippet: string, width: number): string[] {
  // A snippet from the keywords column is a JSON array: show it as a list.
  const plain = cleanLine(snippet)
    .replace(/^(…?)\["/, '$1')
    .replace(/"\](…?)$/, '$1')
    .replace(/",\s*"/g, ', ');
  const lines = wrap(plain, width);
  const open = new RegExp(HIGHLIGHT.open, 'g');
  const close = new RegExp(HIGHLIGHT.close, 'g');
  let inside = false;
  return lines.map((l) => {
    // A highlight may span a wrapped line: reopen it on the next one.
    let out = inside ? HIGHLIGHT.open + l : l;
    const opens = (l.match(open) ?? []).length;
    const closes = (l.match(close) ?? []).length;
    inside = inside ? opens >= closes : opens > closes;
    if (inside) out += HIGHLIGHT.close;
    return out.replace(/\uE000([^\uE001]*)\uE001/g, (_, m: string) => io.color.bold.yellow(m)).replace(/[\uE000\uE001]/g, '');
  });
}

export async function runSearch(ctx: Context, query: string, flags: SearchFlags): Promise<number> {
  if (!query.trim()) throw new UsageError('the search query is empty', { hint: 'papers search "diffusion models"' });
  const opts = { ...filterFromFlags(flags, ctx.now()), query, raw: flags.raw, snippets: ctx.io.tty && !flags.json };
  const db = await ctx.db();
  const io = ctx.io;
  const hits = searchPapers(db, opts);
  let n = 0;
  if (flags.json) {
    n = printJsonArray(
      io,
      (function* () {
        for (const h of hits) {
          const { snippet: _s, score: _r, ...paper } = h;
          yield paper;
        }
      })(),
    );
  } else if (!io.tty) {
    for (const h of hits) {
      io.out(tsvLine(h, { abstract: flags.abstract }));
      n++;
    }
  } else {
    const all: Hit[] = [...hits];
    n = all.length;
    const indent = String(all.length).length + 1 + 1 + 6 + 1;
    all.forEach((h, i) => {
      if (i > 0) io.out('');
      for (const l of renderPaperBlock(io, h, i, all.length, { numbered: true, showDay: true, abstract: flags.abstract })) io.out(l);
      if (h.snippet && !flags.abstract) {
        for (const l of renderSnippet(io, h.snippet, io.width - indent - 1)) io.out(' '.repeat(indent) + io.color.dim('│ ') + l);
      }
    });
  }
  if (n === 0 && io.errTty && !ctx.quiet && !flags.json) emptyHint(ctx);
  return 0;
}
