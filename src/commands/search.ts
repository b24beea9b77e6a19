/** `papers search QUERY`: ranked full-text search. */
import { filterFromFlags } from '../cmdutil/filters.js';
import { abstractOption, argument, filterOptions, flag, jsonOption, limitOption } from '../cmdutil/options.js';
import { defineCommand } from '../cmdutil/spec.js';
import { asPaper } from '../core/papers.js';
import { searchPapers, type Hit } from '../core/query.js';
import { searchFullText } from '../core/fulltext.js';
import { UsageError } from '../errors.js';
import { FULL_TEXT_EMPTY, printFullTextHits } from '../render/fulltext.js';
import { createOutput } from '../render/output.js';
import { renderSnippet } from '../render/papers.js';

export default defineCommand({
  name: 'search',
  summary: 'ranked full-text search (BM25: title first, then AI summary and keywords, abstract, authors)',
  pager: true,
  access: 'read',
  args: { query: argument('<query...>', 'words to search for; quoted as typed unless --raw') },
  options: {
    ...filterOptions,
    raw: flag('--raw', 'pass FTS5 syntax through: AND/OR/NOT, "phrases", prefix*, NEAR(a b, 5), title:word'),
    fullText: flag('--full-text', "search the papers' full text (after `papers fetch`): best passage and its page"),
    ...limitOption(20),
    ...abstractOption,
    ...jsonOption,
  },
  examples: [
    'papers search diffusion transformer',
    'papers search "mixture of experts" --since 2025-01-01',
    "papers search --raw 'title:agent* NOT survey'",
    'papers search speculative decoding --json | jq -r ".[].id"',
    'papers search --full-text "LoRA rank 16" --since 2025-01-01',
  ],
  async run(ctx, o) {
    const query = o.query.join(' ');
    if (!query.trim()) throw new UsageError('the search query is empty', { hint: 'papers search "diffusion models"' });
    const out = createOutput(ctx, o);
    if (o.fullText) {
      const db = await ctx.db();
      const hits = searchFullText(db, { ...filterFromFlags(o, ctx.now()), query, raw: o.raw, limit: o.limit });
      if (printFullTextHits(ctx.io, out, hits, o.abstract) === 0) out.empty(FULL_TEXT_EMPTY);
      return 0;
    }
    const opts = { ...filterFromFlags(o, ctx.now()), query, raw: o.raw, snippets: out.tty && !out.json };
    const db = await ctx.db();
    const n = out.papers<Hit>(searchPapers(db, opts), {
      numbered: true,
      showDay: true,
      abstract: o.abstract,
      json: asPaper,
      below: (h, width) =>
        h.snippet && !o.abstract ? renderSnippet(ctx.io, h.snippet, width).map((l) => ctx.io.color.dim('│ ') + l) : [],
    });
    if (n === 0) out.empty();
    return 0;
  },
});
