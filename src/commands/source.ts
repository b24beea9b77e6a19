/** `papers source add|list|rm`: the sources `papers sync` follows (hf, arXiv categories). */
import { argument, jsonOption } from '../cmdutil/options.js';
import { defineCommand } from '../cmdutil/spec.js';
import { addSource, listSources, removeSource } from '../core/sources.js';
import { createOutput } from '../render/output.js';

const add = defineCommand({
  name: 'add',
  summary: 'follow a source',
  description: 'Follow a source: hf, or arxiv:CATEGORY[+CATEGORY...] (arxiv:cs for a whole archive).',
  access: 'write',
  args: { name: argument('<name>', 'hf, or arxiv:CATEGORY[+CATEGORY...]') },
  examples: ['papers source add arxiv:cs.CL+cs.LG', 'papers source add arxiv:quant-ph', 'papers source add arxiv:cs'],
  async run(ctx, o) {
    const { name, added } = addSource(await ctx.db(), o.name, ctx.now());
    if (!ctx.quiet) ctx.io.err(added ? `following ${name}` : `already following ${name}`);
    return 0;
  },
});

const list = defineCommand({
  name: 'list',
  summary: 'the followed sources, with their latest listing day and paper count',
  access: 'read',
  options: { ...jsonOption },
  examples: ['papers source list', 'papers source list --json'],
  async run(ctx, o) {
    const rows = listSources(await ctx.db());
    const out = createOutput(ctx, o);
    if (out.json) {
      out.value(rows);
      return 0;
    }
    if (rows.length === 0) {
      if (out.tty) out.note('no source is followed; papers source add hf');
      return 0;
    }
    const c = out.color;
    out.table(rows, [
      { value: (r) => r.name, style: () => c.bold },
      {
        value: (r) => r.lastDay ?? '',
        tty: (r) => r.lastDay ?? 'not synced yet',
        style: (r) => (r.lastDay ? undefined : c.dim),
      },
      { value: (r) => r.papers, tty: (r) => `${r.papers} paper${r.papers === 1 ? '' : 's'}` },
      { value: (r) => r.addedAt, tty: (r) => `since ${r.addedAt.slice(0, 10)}`, style: () => c.dim },
    ]);
    return 0;
  },
});

const rm = defineCommand({
  name: 'rm',
  summary: 'stop following a source (its papers stay in the archive)',
  access: 'update',
  args: { name: argument('<name>', 'a followed source') },
  examples: ['papers source rm arxiv:cs.CL+cs.LG'],
  async run(ctx, o) {
    const name = removeSource(await ctx.db(), o.name);
    if (!ctx.quiet) ctx.io.err(`stopped following ${name}; its papers stay in the archive`);
    return 0;
  },
});

export default defineCommand({
  name: 'source',
  summary: 'the sources sync follows: hf (the default) and arXiv categories',
  subcommands: [add, list, rm],
});
