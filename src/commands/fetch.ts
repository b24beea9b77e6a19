/**
 * `papers fetch`: the PDFs of papers from arXiv, their text extracted into the archive for
 * `papers read`, `search --full-text` and `grep --full-text`.
 */
import { dirname, join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { filterFromFlags } from '../cmdutil/filters.js';
import { argument, filterOptions, flag, int, jsonOption, limitOption, negatable, text } from '../cmdutil/options.js';
import { defineCommand, type OptionDef } from '../cmdutil/spec.js';
import { fetchPdfs, fetchTargets, type FetchEvent } from '../core/fetch-pdfs.js';
import { UsageError } from '../errors.js';
import { parsePaperId } from '../ids.js';
import { formatBytes } from '../text.js';
import { safeJson } from '../render/json.js';
import { plural, visibleControls } from '../text.js';

/** `50M`, `2G`, `800k` or bytes. */
export function parseSize(value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:([kmgt])i?b?|b)?\s*$/i.exec(value);
  if (!m) throw new InvalidArgumentError('give a size such as 50M, 2G or 800k.');
  const unit = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 }[(m[2] ?? '').toLowerCase()] ?? 1;
  const n = Math.round(Number(m[1]) * unit);
  if (n < 1) throw new InvalidArgumentError('the size must be above zero.');
  return n;
}

function size(flags: string, description: string, dflt: number, shown: string): OptionDef<number> {
  return { flags, description: `${description} (default: ${shown})`, parse: (v) => parseSize(v), defaultValue: dflt };
}

export default defineCommand({
  name: 'fetch',
  summary: "download papers' PDFs from arXiv and store their text (read, search --full-text)",
  description: `Downloads each paper's PDF from arXiv (the version the archive knows, or the
one typed), extracts its text and stores it, page by page, in the archive. One
request at a time, 3 s apart, as arXiv asks. Papers whose text is stored are
skipped (--force fetches again). A paper that fails (not found, not a PDF, a PDF
that gives no text) is reported and the others go on; the exit status is then 1.
PDFs are kept in pdf/ beside the archive unless --no-keep.`,
  access: 'write',
  args: { ids: argument('[ids...]', 'arXiv ids or URLs: 2501.12948, 2501.12948v1, arxiv.org/abs/...') },
  options: {
    starred: flag('--starred', 'your starred papers'),
    tag: text('--tag <tag>', 'your starred papers with this tag'),
    watch: text('--watch <name>', "a watch's matches"),
    ...filterOptions,
    ...limitOption(),
    keep: negatable('--no-keep', 'do not keep the PDFs (the text is kept)'),
    maxSize: size('--max-size <size>', 'the largest PDF to download', 50 * 2 ** 20, '50M'),
    maxCache: size('--max-cache <size>', 'the most kept PDFs may take; the oldest go', 2 * 2 ** 30, '2G'),
    timeout: int('--timeout <seconds>', 'time to extract one PDF', { min: 1, default: 60 }),
    force: flag('--force', 'fetch papers whose text is stored again'),
    ...jsonOption,
  },
  examples: [
    'papers fetch 2501.12948',
    'papers fetch --starred',
    'papers fetch --tag reading-group --no-keep',
    'papers fetch --watch agents --since 7d',
    'papers fetch -k "mixture of experts" --since 2025-01-01 -n 20',
  ],
  async run(ctx, o) {
    const filter = filterFromFlags(o, ctx.now());
    const named = (o.ids?.length ?? 0) > 0 || o.starred || o.tag !== undefined || o.watch !== undefined;
    const { sort: _s, limit: _l, ...rest } = filter;
    const filtered = Object.values(rest).some((v) => v !== undefined && !(Array.isArray(v) && !v.length));
    if (!named && !filtered) {
      throw new UsageError('name the papers to fetch', {
        hint: 'papers fetch ID..., or --starred, --tag T, --watch W, or list filters (--since 7d, -k WORD)',
      });
    }
    // Every id first: a typo fails before the archive or the network is touched.
    for (const id of o.ids ?? []) parsePaperId(id);
    const db = await ctx.db();
    const targets = fetchTargets(db, {
      ids: o.ids,
      starred: o.starred,
      tag: o.tag,
      watch: o.watch,
      filter: rest,
      limit: o.limit,
    });
    if (targets.length === 0) {
      if (!ctx.quiet) ctx.io.err('no papers to fetch');
      return 0;
    }
    const arxiv = await ctx.arxiv();
    const http = await ctx.http();
    const dir = dirname(ctx.config.dbPath);
    const say = (s: string) => {
      if (!ctx.quiet && !o.json) ctx.io.err(s);
    };
    const err = ctx.io.errColor;
    const onEvent = (e: FetchEvent) => {
      if (e.kind === 'fetched') {
        say(`[${e.index}/${e.total}] ${e.id}: ${plural(e.pages, 'page')}, ${formatBytes(e.chars)} of text`);
      } else if (e.kind === 'skipped') {
        say(`[${e.index}/${e.total}] ${e.id}: ${err.dim('already fetched')}`);
      } else if (e.kind === 'failed') {
        const page = ctx.verbose && e.page ? ` (page ${e.page})` : '';
        // Failures are errors: said even with -q.
        if (!o.json) ctx.io.err(`${err.red('failed')} ${e.id}: ${visibleControls(e.error)}${page}`);
      } else if (e.kind === 'reading' && ctx.verbose) {
        say(err.dim(`${e.id}: page ${e.page} of ${e.pages}`));
      }
    };
    const summary = await fetchPdfs(
      {
        db,
        arxiv: { http, endpoints: arxiv.endpoints, gate: arxiv.gate, signal: ctx.signal },
        now: ctx.now,
        pdfDir: join(dir, 'pdf'),
        relativeDir: 'pdf',
        onEvent,
      },
      {
        targets,
        keep: o.keep,
        maxBytes: o.maxSize,
        maxCacheBytes: o.maxCache,
        force: o.force,
        extract: { deadlineMs: o.timeout * 1000 },
      },
    );
    if (o.json) ctx.io.out(safeJson(summary, 2));
    else {
      const parts = [`fetched ${plural(summary.fetched, 'paper')}`];
      if (summary.skipped) parts.push(`${summary.skipped} already fetched`);
      if (summary.failed) parts.push(`${summary.failed} failed`);
      say(parts.join(', '));
    }
    return summary.failed ? 1 : 0;
  },
});
