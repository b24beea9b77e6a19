/** `papers similar ID`: the archive ranked by textual similarity to one paper, offline. */
import { filterFromFlags } from '../cmdutil/filters.js';
import { argument, filterOptions, jsonOption, limitOption } from '../cmdutil/options.js';
import { defineCommand } from '../cmdutil/spec.js';
import { getPaper } from '../core/query.js';
import { similarPapers } from '../core/similar.js';
import { checkPaperIds, parsePaperId } from '../ids.js';
import { createOutput } from '../render/output.js';

export default defineCommand({
  name: 'similar',
  summary: 'papers in the archive most similar in text to one paper (offline, no model)',
  access: 'read',
  args: { id: argument('<id>', 'an arXiv id or link') },
  options: { ...filterOptions, ...limitOption(10), ...jsonOption },
  examples: ['papers similar 2406.12345', 'papers similar 2406.12345 --since 2025-01-01 --json'],
  async run(ctx, o) {
    checkPaperIds([o.id]);
    const { sort: _s, limit, ...filter } = filterFromFlags(o, ctx.now());
    const db = await ctx.db();
    const id = parsePaperId(o.id, (x) => getPaper(db, x) !== undefined);
    const r = similarPapers(db, id, { ...filter, limit });
    const out = createOutput(ctx, o);
    out.title(`Similar to ${r.paper.id}: ${r.paper.title}`);
    out.papers(r.hits, {
      numbered: true,
      showDay: true,
      below: (h) => [out.color.dim(`similarity ${Math.round(h.similarity * 100)}%`)],
    });
    if (r.hits.length === 0) {
      out.empty(
        'no similar papers: the archive has no other paper sharing its distinctive terms (or none passes the filters)',
      );
    }
    return 0;
  },
});
