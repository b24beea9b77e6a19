/**
 * `papers export`: the list filters (or `--query` for search hits, `--watch` for a
 * watch's matches) rendered as Markdown, JSON, NDJSON, CSV, BibTeX, RSS or Atom, to
 * stdout or atomically to `-o FILE`. Everything streams: papers come from a generator
 * over the SQLite cursor and each renderer yields a chunk per paper, so memory stays flat.
 */
import { filterFromFlags } from '../cmdutil/filters.js';
import { choice, filterOptions, flag, limitOption, negatable, sortOption, text } from '../cmdutil/options.js';
import { defineCommand } from '../cmdutil/spec.js';
import { hasFilter, selectAll } from '../core/new.js';
import type { Paper } from '../core/papers.js';
import { listPapers, searchPapers } from '../core/query.js';
import { describeWatch, requireWatch, watchSelection } from '../core/watch.js';
import { UsageError, checkAborted } from '../errors.js';
import { EXPORT_FORMATS, renderExport } from '../render/export.js';
import { feedId, type FeedMeta } from '../render/feed.js';
import { chooseFormat, formatName } from '../render/formats.js';
import { StreamSink, outputFile, pump, writeFileAtomic } from '../render/file.js';
import { createOutput } from '../render/output.js';
import { visibleControls } from '../text.js';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * What a feed of these sources is from, and the page that fits it: HF's Daily Papers, one
 * arXiv category's listing, or arXiv.
 */
function feedOrigin(sources: readonly string[]): { name: string; link: string } {
  const arxiv = sources.filter((s) => s !== 'hf');
  if (sources.length === 0 || arxiv.length === 0) {
    return { name: 'Hugging Face Daily Papers', link: 'https://huggingface.co/papers' };
  }
  const cats = [...new Set(arxiv.flatMap((s) => (s.startsWith('arxiv:') ? s.slice(6).split('+') : [])))];
  const name =
    arxiv.length < sources.length ? 'Hugging Face and arXiv' : cats.length ? `arXiv ${cats.join(', ')}` : 'arXiv';
  if (cats.length === 1 && arxiv.length === sources.length)
    return { name, link: `https://arxiv.org/list/${cats[0]}/new` };
  return { name, link: 'https://arxiv.org/' };
}

/** Yields `first` and then the rest of `iter`, closing `iter` however the consumer stops. */
function* resume<T>(first: IteratorResult<T>, iter: Iterator<T>): Generator<T> {
  try {
    if (first.done) return;
    yield first.value;
    for (let r = iter.next(); !r.done; r = iter.next()) yield r.value;
  } finally {
    iter.return?.();
  }
}

export default defineCommand({
  name: 'export',
  summary: 'write papers as Markdown, JSON, NDJSON, CSV, BibTeX, RSS or Atom',
  pager: true,
  access: 'read',
  options: {
    ...filterOptions,
    query: text('--query <text>', 'export the hits of a search instead of a filtered list'),
    raw: flag('--raw', 'with --query: FTS5 syntax'),
    watch: text('--watch <name>', "export a saved watch's matches"),
    format: choice(
      '-f, --format <format>',
      "output format (default: -o FILE's extension, else markdown)",
      EXPORT_FORMATS,
    ),
    output: text('-o, --output <file>', 'write to this file (atomically) instead of stdout; - is stdout'),
    abstract: negatable('--no-abstract', 'Markdown and BibTeX: leave the abstracts out'),
    feedUrl: text('--feed-url <url>', 'RSS and Atom: where the feed is published (its rel="self" link)'),
    ...sortOption,
    ...limitOption(),
  },
  examples: [
    'papers export --date yesterday > notes/papers.md',
    'papers export --week 2025-W10 -o week10.md',
    'papers export --query "diffusion" --format bibtex -o refs.bib',
    'papers export --month 2025-03 --format csv -o march.csv',
    'papers export --since 2024-01-01 --format ndjson | jq .title',
    'papers export --watch agents --format atom -o ~/feeds/agents.xml',
  ],
  async run(ctx, o) {
    const query = o.query;
    if (o.raw && query === undefined) {
      throw new UsageError('--raw applies to --query', {
        hint: "papers export --query 'title:agent* NOT survey' --raw",
      });
    }
    if (query !== undefined && o.sort !== undefined) {
      throw new UsageError('--sort does not apply to --query: search hits come in rank order', {
        hint: 'drop --sort, or filter with -k/--keyword instead of --query',
      });
    }
    const filter = filterFromFlags(o, ctx.now());
    const toFile = outputFile(o.output, ctx.config.dbPath, 'export') !== undefined;
    const { format } = chooseFormat(EXPORT_FORMATS, o.format, toFile ? o.output : undefined, 'markdown');
    checkAborted(ctx.signal);
    if (o.watch !== undefined && (query !== undefined || hasFilter(filter))) {
      throw new UsageError('--watch brings its own filters: do not combine it with --query or list filters', {
        hint: `papers export --watch ${o.watch} --format ${format}`,
      });
    }
    const db = await ctx.db();
    const sort = filter.sort ?? 'date';
    const watch = o.watch !== undefined ? requireWatch(db, o.watch) : undefined;
    const source: Iterator<Paper> = watch
      ? selectAll(db, watchSelection(watch), filter.limit)
      : query !== undefined
        ? searchPapers(db, { ...filter, query, raw: o.raw })
        : listPapers(db, { ...filter, sort });
    // Pull the first paper before any file exists: a bad query fails and creates nothing.
    let first: IteratorResult<Paper>;
    try {
      first = source.next();
    } catch (err) {
      source.return?.(undefined);
      throw err;
    }

    let count = 0;
    const signal = ctx.signal;
    const papers = (function* () {
      for (const p of resume(first, source)) {
        checkAborted(signal);
        count++;
        yield p;
      }
    })();
    // The feed's identity is its definition as typed (`--since 7d` stays 7d, not today's date).
    const { format: _f, output: _o, abstract: _a, query: _q, raw: _r, watch: _w, sort: _s, feedUrl: _u, ...typed } = o;
    const origin = feedOrigin(watch ? (watch.filter.sources ?? []) : (filter.sources ?? []));
    const feed: FeedMeta = {
      id: feedId({ query, raw: o.raw, watch: o.watch, filter: typed, sort: o.sort }),
      title: watch ? `papers: ${watch.name}` : query !== undefined ? `papers: ${query}` : `papers: ${origin.name}`,
      description: watch ? describeWatch(watch) : undefined,
      link: origin.link,
      author: origin.name,
      // Where the feed is: the URL it is published at, else the file written.
      selfUrl: o.feedUrl ?? (toFile ? pathToFileURL(resolve(o.output!)).href : undefined),
      updated: ctx.now(),
    };
    const chunks = renderExport(format, papers, {
      abstract: o.abstract !== false,
      byDay: !watch && query === undefined && sort === 'date',
      feed,
    });

    try {
      if (toFile) await writeFileAtomic(o.output!, chunks, { display: o.output, pid: ctx.pid, signal });
      else await pump(chunks, new StreamSink(ctx.io.stdout), signal);
    } finally {
      // Ends the SQLite cursor even when writing failed before the first paper was read.
      papers.return(undefined);
      source.return?.(undefined);
    }
    if (toFile) {
      const what = `${count} paper${count === 1 ? '' : 's'}`;
      if (!ctx.quiet) ctx.io.err(`wrote ${what} to ${visibleControls(o.output!)} as ${formatName(format)}`);
    } else if (count === 0) {
      createOutput(ctx).empty();
    }
    return 0;
  },
});
