/** `papers hide ID...`: "not this": a negative for `recommend`, and out of new, today, digest and recommend. */
import { argument } from '../cmdutil/options.js';
import { defineCommand } from '../cmdutil/spec.js';
import { saveHidden } from '../core/hidden.js';
import { checkPaperIds } from '../ids.js';

const plural = (n: number) => `${n} paper${n === 1 ? '' : 's'}`;

export default defineCommand({
  name: 'hide',
  summary: 'hide papers: "not this", which `papers recommend` learns from',
  description: `A hidden paper is a negative for the model of your stars, and new, today,
digest and recommend leave it out unless given --hidden (list, search and show
still find it). \`papers unhide ID\` undoes it. Takes any id form show takes.`,
  access: 'update',
  args: { ids: argument('<ids...>', 'arXiv ids, or arxiv.org / huggingface.co paper URLs') },
  options: {},
  examples: ['papers hide 2406.12345', `papers hide $(papers recommend -n 3 --json | jq -r '.[2].id')   # the third`],
  async run(ctx, o) {
    checkPaperIds(o.ids);
    const r = saveHidden(await ctx.db(), o.ids, { now: ctx.now() });
    if (!ctx.quiet) {
      const already = r.unchanged.length ? ` (${r.unchanged.length} already hidden)` : '';
      ctx.io.err(`hid ${plural(r.changed.length)}${already}`);
    }
    return 0;
  },
});
