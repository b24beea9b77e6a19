/**
 * `papers recommend`: new papers (or those listed on the days asked for) ranked by a model of
 * your stars, trained on the spot (core/recommend.ts says how, and what the score is).
 */
import { filterFromFlags } from '../cmdutil/filters.js';
import { abstractOption, filterOptions, flag, jsonOption, limitOption, text } from '../cmdutil/options.js';
import { defineCommand } from '../cmdutil/spec.js';
import { recommendPapers, type Recommended } from '../core/recommend.js';
import { createOutput } from '../render/output.js';

/** How many terms `--why` names per paper. */
const WHY_TERMS = 5;

export default defineCommand({
  name: 'recommend',
  summary: 'new papers ranked by what you starred: a model of your library, trained offline in a moment',
  description: `Candidates are the papers \`papers new\` would show (listed since your last --mark-seen),
or with day options (--date, --since, --until, --week, --month) the papers listed on those days;
the other filters narrow them. A logistic regression over TF-IDF words and word pairs of
titles and abstracts, plus their likeness to your stars in an LSA space, learns your stars
(--tag: only those with the tag) against the rest of the archive and your hidden papers.
Relevance (0-1) compares a paper with your own stars, each scored by a model that did not
see it: 0.5 means it scores like your median star, 0 lower than any. Starred and hidden
papers are never recommended (--hidden: hidden ones too). At least 3 stars are needed.`,
  access: 'read',
  options: {
    ...filterOptions,
    tag: text('--tag <tag>', 'learn from the stars with this tag only'),
    ...limitOption(20),
    why: flag('--why', `show the terms that weighed most for each paper (${WHY_TERMS})`),
    hidden: flag('--hidden', 'rank the papers you hid (papers hide) too'),
    ...abstractOption,
    ...jsonOption,
  },
  examples: [
    'papers recommend',
    'papers recommend --since 7d --limit 10 --why',
    'papers recommend --tag rl --json | jq -r ".[] | [.id, .relevance] | @tsv"',
    'papers recommend --date yesterday | cut -f1,4,5   # id, title, score',
  ],
  async run(ctx, o) {
    const { sort: _sort, limit: _limit, ...filter } = filterFromFlags(o, ctx.now());
    const db = await ctx.db();
    const r = recommendPapers(db, {
      filter,
      tag: o.tag,
      limit: o.limit,
      why: o.why ? WHY_TERMS : 0,
      hidden: o.hidden,
    });
    const out = createOutput(ctx, o);
    if (r.notice) {
      if (out.json) out.value([]);
      if (!ctx.quiet) ctx.io.err(`${r.notice.message}\nhint: ${r.notice.hint}`);
      return 0;
    }
    const c = out.color;
    const n = out.papers<Recommended>(r.papers, {
      showDay: true,
      numbered: true,
      abstract: o.abstract,
      tsv: (p) => [p.score.toFixed(4), ...(o.why ? [(p.why ?? []).join(', ')] : [])],
      below: (p) => [
        c.magenta(`relevance ${p.relevance.toFixed(2)} · score ${p.score.toFixed(2)}`) +
          (p.why?.length ? c.dim(` · why: ${p.why.join(', ')}`) : ''),
      ],
    });
    if (n === 0) out.empty('no candidates to rank; widen the days (--since 7d), or run `papers sync` to fetch more');
    else out.note(`${n} of ${r.candidates} candidates, ranked by a model of ${r.stars} stars`);
    return 0;
  },
});
