/** `papers add ID...`: papers neither listing carried, fetched by id from arXiv's query API. */
import { argument, jsonOption } from '../cmdutil/options.js';
import { defineCommand } from '../cmdutil/spec.js';
import { addPapers } from '../core/add.js';
import { PapersError } from '../errors.js';
import { parsePaperId } from '../ids.js';
import { safeJson } from '../render/json.js';
import { arxivSource } from '../sources/arxiv/source.js';

export default defineCommand({
  name: 'add',
  summary: 'fetch papers by id from arXiv into the archive',
  description:
    "Fetch papers by id from arXiv into the archive: what you read elsewhere, a colleague's link.\n" +
    'Ids are checked before any request (a bad one exits 2); ids arXiv does not know exit 1,\n' +
    'after the others are saved. Requests are batched, 100 ids each, 3 s apart.',
  access: 'write',
  args: { ids: argument('<id...>', 'arXiv ids or URLs: 2411.17700, 2411.17700v2, hep-th/9901001, arxiv.org/abs/...') },
  options: { ...jsonOption },
  examples: [
    'papers add 2411.17700 hep-th/9901001',
    'papers add https://arxiv.org/abs/math.AG/0309136',
    'papers add 2411.17700 --json | jq .inserted',
  ],
  async run(ctx, o) {
    // Every id first: a typo fails the command before the archive or the network is touched.
    for (const id of o.ids) parsePaperId(id);
    const deps = await ctx.sourceDeps();
    const r = await addPapers(deps, arxivSource('arxiv', await ctx.arxiv()), o.ids);
    const found = r.requested.length - r.notFound.length;
    if (o.json) ctx.io.out(safeJson(r, 2));
    else if (!ctx.quiet) {
      ctx.io.err(
        `added ${found} paper${found === 1 ? '' : 's'}: ${r.inserted.length} new, ${r.updated.length} updated, ` +
          `${r.unchanged.length} unchanged`,
      );
    }
    if (r.notFound.length) {
      throw new PapersError(`arXiv does not know ${r.notFound.join(', ')}`, {
        hint: 'check the id on https://arxiv.org/abs/ID (a new paper can take a day to appear)',
      });
    }
    return 0;
  },
});
