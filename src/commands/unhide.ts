/** `papers unhide ID...`: papers you hid come back in new, today, digest and recommend. */
import { argument } from '../cmdutil/options.js';
import { defineCommand } from '../cmdutil/spec.js';
import { removeHidden } from '../core/hidden.js';
import { checkPaperIds } from '../ids.js';

const plural = (n: number) => `${n} paper${n === 1 ? '' : 's'}`;

export default defineCommand({
  name: 'unhide',
  summary: 'show papers you hid again (papers hide)',
  access: 'update',
  args: { ids: argument('<ids...>', 'arXiv ids, or arxiv.org / huggingface.co paper URLs') },
  options: {},
  examples: ['papers unhide 2406.12345'],
  async run(ctx, o) {
    checkPaperIds(o.ids);
    const r = removeHidden(await ctx.db(), o.ids);
    if (!ctx.quiet) {
      ctx.io.err(`unhid ${plural(r.changed.length)}`);
      if (r.unchanged.length) ctx.io.err(`not hidden: ${r.unchanged.join(', ')}`);
    }
    return 0;
  },
});
