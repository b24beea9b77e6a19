/** `papers star ID...`: add papers of the archive to your library (what `recommend` learns from). */
import { argument, list } from '../cmdutil/options.js';
import { defineCommand } from '../cmdutil/spec.js';
import { saveStars } from '../core/library.js';
import { checkPaperIds } from '../ids.js';

const plural = (n: number) => `${n} paper${n === 1 ? '' : 's'}`;

export default defineCommand({
  name: 'star',
  summary: 'star papers: your library, which `papers recommend` learns from',
  description: `Takes any id form \`papers show\` takes. Every paper must be in the archive (fetch one
with \`papers add ID\`); starring one again keeps its first star time and adds the tags.`,
  access: 'update',
  args: { ids: argument('<ids...>', 'arXiv ids, or arxiv.org / huggingface.co paper URLs') },
  options: { tag: list('--tag <tag>', 'tag the stars (repeatable), e.g. rl or reading-group') },
  examples: [
    'papers star 2406.12345 --tag rl',
    'papers star https://arxiv.org/abs/2406.12345v2 huggingface.co/papers/2501.00001',
  ],
  async run(ctx, o) {
    checkPaperIds(o.ids);
    const r = saveStars(await ctx.db(), o.ids, { tags: o.tag, now: ctx.now() });
    if (!ctx.quiet) {
      const already = r.already.length ? ` (${r.already.length} already starred)` : '';
      const tags = r.tags.length ? `, tagged ${r.tags.join(', ')}` : '';
      ctx.io.err(`starred ${plural(r.starred.length)}${already}${tags}`);
    }
    return 0;
  },
});
