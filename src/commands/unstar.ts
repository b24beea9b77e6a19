/** `papers unstar ID...`: take papers out of your library, or only some of their tags. */
import { argument, list } from '../cmdutil/options.js';
import { defineCommand } from '../cmdutil/spec.js';
import { removeStars } from '../core/library.js';
import { checkPaperIds } from '../ids.js';

const plural = (n: number) => `${n} paper${n === 1 ? '' : 's'}`;

export default defineCommand({
  name: 'unstar',
  summary: 'remove stars, or with --tag only those tags',
  access: 'update',
  args: { ids: argument('<ids...>', 'arXiv ids, or arxiv.org / huggingface.co paper URLs') },
  options: { tag: list('--tag <tag>', 'remove only this tag; the star stays (repeatable)') },
  examples: ['papers unstar 2406.12345', 'papers unstar 2406.12345 2501.00001 --tag rl'],
  async run(ctx, o) {
    checkPaperIds(o.ids);
    const r = removeStars(await ctx.db(), o.ids, { tags: o.tag });
    if (!ctx.quiet) {
      const what = o.tag?.length ? `untagged ${plural(r.removed.length)}` : `unstarred ${plural(r.removed.length)}`;
      ctx.io.err(what);
      if (r.notStarred.length) ctx.io.err(`not starred: ${r.notStarred.join(', ')}`);
    }
    return 0;
  },
});
