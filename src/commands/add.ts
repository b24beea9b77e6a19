/** `papers add ID...`: papers neither listing carried, fetched by id from arXiv's query API. */
import { argument, jsonOption, text } from '../cmdutil/options.js';
import { defineCommand } from '../cmdutil/spec.js';
import { addIds, addTask, type AddResult } from '../core/add.js';
import { resultOf, runSources } from '../core/runner.js';
import { PapersError } from '../errors.js';
import { parseDuration } from '../dates.js';
import { safeJson } from '../render/json.js';
import { plural } from '../text.js';
import { arxivSource } from '../sources/arxiv/source.js';

export default defineCommand({
  name: 'add',
  summary: 'fetch papers by id from arXiv into the archive',
  description:
    "Fetch papers by id from arXiv into the archive: what you read elsewhere, a colleague's link.\n" +
    'Ids are checked before any request (a bad one exits 2); ids arXiv does not know exit 1,\n' +
    'after the others are saved. Requests are batched, 100 ids each, 3 s apart; each batch\n' +
    'is saved as it comes, so a batch that fails loses nothing the others fetched (exit 1).\n' +
    'Each paper is listed as `added` on the day you add it: papers list --type added.\n' +
    'Waits (--wait) for a running sync, as sync does.',
  access: 'write',
  args: { ids: argument('<id...>', 'arXiv ids or URLs: 2411.17700, 2411.17700v2, hep-th/9901001, arxiv.org/abs/...') },
  options: {
    wait: text('--wait <duration>', 'wait this long for a running sync (0: fail at once)', { default: '10m' }),
    ...jsonOption,
  },
  examples: [
    'papers add 2411.17700 hep-th/9901001',
    'papers add https://arxiv.org/abs/math.AG/0309136',
    'papers add 2411.17700 --json | jq .inserted',
    'papers add 2411.17700 && papers list --type added   # then what you added',
  ],
  async run(ctx, o) {
    // Every id first: a typo fails the command before the archive or the network is touched.
    const ids = addIds(o.ids);
    const lockWaitMs = parseDuration(o.wait, '--wait');
    const task = addTask(arxivSource('arxiv', await ctx.arxiv()), ids);
    const outcomes = await runSources(await ctx.runnerDeps(), [task], { lockWaitMs, signal: ctx.signal });
    const r = resultOf(outcomes[0]) as AddResult;
    const found = r.inserted.length + r.updated.length + r.unchanged.length;
    if (o.json) ctx.io.out(safeJson(r, 2));
    else if (!ctx.quiet) {
      ctx.io.err(
        `added ${found} paper${found === 1 ? '' : 's'}: ${r.inserted.length} new, ${r.updated.length} updated, ` +
          `${r.unchanged.length} unchanged`,
      );
    }
    if (r.failed.length) {
      const ids = r.failed.flatMap((f) => f.ids);
      throw new PapersError(
        `${plural(ids.length, 'id')} not fetched (${r.failed[0]!.error}): ${ids.slice(0, 10).join(', ')}` +
          (ids.length > 10 ? ', …' : ''),
        {
          // What the failure itself advises (arXiv's rate limit: wait), then how to finish.
          hint: [r.failed[0]!.hint, 'the others are saved; run the same papers add again for the rest']
            .filter(Boolean)
            .join('; '),
        },
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
