/** `papers search QUERY`: ranked full-text search. */
import { filterFromFlags } from '../cmdutil/filters.js';
import { abstractOption, argument, choice, filterOptions, flag, jsonOption, limitOption } from '../cmdutil/options.js';
import { defineCommand } from '../cmdutil/spec.js';
import { asPaper } from '../core/papers.js';
import { countSearch, searchPapers, type Hit } from '../core/query.js';
import { searchFullText } from '../core/fulltext.js';
import { UsageError } from '../errors.js';
import { FULL_TEXT_EMPTY, printFullTextHits } from '../render/fulltext.js';
import { createOutput } from '../render/output.js';
import { renderSnippet } from '../render/papers.js';

const SEARCH_SORTS = ['relevance', 'upvotes', 'date'] as const;

/** Hits by upvotes (then relevance) or by their latest listing day (then upvotes). */
function sortHits(hits: Hit[], sort: 'upvotes' | 'date'): Hit[] {
  const up = (h: Hit) => h.upvotes ?? -1;
  return hits
    .map((h, i) => ({ h, i }))
    .sort((a, b) =>
      sort === 'upvotes'
        ? up(b.h) - up(a.h) || a.i - b.i
        : (b.h.day ?? '').localeCompare(a.h.day ?? '') || up(b.h) - up(a.h) || a.i - b.i,
    )
    .map((x) => x.h);
}

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
    sort: choice(
      '--sort <key>',
      'order of the matches: relevance (BM25), upvotes, or date (newest listing day first)',
      SEARCH_SORTS,
      'relevance',
    ),
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
    'papers search agents --since 7d --sort upvotes -n 10',
  ],
  async run(ctx, o) {
    const query = o.query.join(' ');
    if (!query.trim()) throw new UsageError('the search query is empty', { hint: 'papers search "diffusion models"' });
    const out = createOutput(ctx, o);
    const { sort, ...flags } = o;
    if (o.fullText) {
      const db = await ctx.db();
      const hits = searchFullText(db, { ...filterFromFlags(flags, ctx.now()), query, raw: o.raw, limit: o.limit });
      if (printFullTextHits(ctx.io, out, hits, o.abstract) === 0) out.empty(FULL_TEXT_EMPTY);
      return 0;
    }
    const opts = { ...filterFromFlags(flags, ctx.now()), query, raw: o.raw, snippets: out.tty && !out.json };
    const db = await ctx.db();
    const limit = opts.limit;
    // Another order than relevance ranks every match, then shows the first --limit.
    const hits: Iterable<Hit> =
      sort === 'relevance'
        ? searchPapers(db, opts)
        : sortHits([...searchPapers(db, { ...opts, limit: undefined })], sort).slice(0, limit);
    if (out.tty && !out.json) {
      // A --raw query FTS5 refuses is said by the search itself, with its hint: no count then.
      let total = 0;
      try {
        total = countSearch(db, opts);
      } catch {
        total = 0;
      }
      const shown = limit !== undefined && total > limit ? ` · the first ${limit} by ${sort} (-n for more)` : '';
      if (total > 0) out.title(`${total} paper${total === 1 ? '' : 's'} match${total === 1 ? 'es' : ''}${shown}`);
    }
    const n = out.papers<Hit>(hits, {
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
