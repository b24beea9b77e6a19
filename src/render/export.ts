/** An export format's renderer over a stream of papers: one chunk per paper. */
import type { Paper } from '../core/papers.js';
import { renderBibtex } from './bibtex.js';
import { renderCsv } from './csv.js';
import { renderAtom, renderRss, type FeedMeta } from './feed.js';
import { renderJson, renderNdjson } from './json.js';
import { renderMarkdown } from './markdown.js';

export const EXPORT_FORMATS = ['markdown', 'json', 'ndjson', 'csv', 'bibtex', 'rss', 'atom'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface RenderOptions {
  abstract: boolean;
  /** Feeds: the channel's title and time. */
  feed?: FeedMeta;
  /** Papers arrive ordered by listing day (Markdown groups them under day headings). */
  byDay: boolean;
}

/** The chosen renderer over a stream of papers. */
export function renderExport(format: ExportFormat, papers: Iterable<Paper>, opts: RenderOptions): Iterable<string> {
  switch (format) {
    case 'markdown':
      return renderMarkdown(papers, { abstract: opts.abstract, groupByDay: opts.byDay });
    case 'json':
      return renderJson(papers);
    case 'ndjson':
      return renderNdjson(papers);
    case 'csv':
      return renderCsv(papers);
    case 'bibtex':
      return renderBibtex(papers, { abstract: opts.abstract });
    case 'rss':
      return renderRss(papers, opts.feed ?? { title: 'papers', updated: new Date(0) });
    case 'atom':
      return renderAtom(papers, opts.feed ?? { title: 'papers', updated: new Date(0) });
  }
}
