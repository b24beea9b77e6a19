/**
 * RSS 2.0 and Atom 1.0 feeds of papers, for a feed reader subscribed to a file that
 * cron rewrites. Streaming: one chunk per paper. Stable identity across rewrites: an
 * item's GUID / entry id is the arXiv abs URL, its date the paper's first listing day
 * (not the time of the rewrite, so readers do not show old papers as updated).
 * All text is XML-escaped with invalid XML characters removed; descriptions are small
 * HTML fragments (escaped twice: once as HTML, once as XML).
 */
import { crypto } from '../shims/builtins.js';
import type { Paper } from '../core/papers.js';
import { cleanLine, displayText } from '../text.js';
import { escapeMarkup, escapeXml, htmlText, safeHttpUrl, stripXmlInvalid, xmlText } from './html.js';

export interface FeedMeta {
  title: string;
  /** The page the feed is about (http(s)); default huggingface.co/papers. */
  link?: string;
  /**
   * Where the feed itself is: atom:link rel="self" (an http(s) URL where it is published,
   * else the file it was written to, else its id).
   */
  selfUrl?: string;
  /** Who the feed is from (Atom's feed-level author): the source it lists. */
  author?: string;
  description?: string;
  /** Atom feed id (an IRI); default the self URL, else the link. */
  id?: string;
  /** When the feed was written. */
  updated: Date | string;
  generator?: string;
}

const DEFAULT_LINK = 'https://huggingface.co/papers';

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What defines a feed: the same definition gives the same id on every rewrite. */
export interface FeedDefinition {
  format?: 'atom' | 'rss';
  query?: string | null;
  raw?: boolean;
  watch?: string | null;
  /** The list filters (days, keywords, upvotes...), as the export applies them. */
  filter?: Record<string, unknown>;
  sort?: string | null;
}

/** Sorted keys, no undefined or empty values: one JSON text per definition. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined && x !== null && x !== '' && !(Array.isArray(x) && x.length === 0))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, x]) => [k, canonical(x)]));
  }
  return v;
}

/**
 * A stable id for a feed (Atom `<id>`, RSS `<guid>` base): a tag URI over a hash of its
 * definition, so two feeds (two watches, two queries) never share an id and a feed
 * keeps its id across rewrites. The format is left out: the Atom and RSS of one
 * definition are one feed.
 */
export function feedId(def: FeedDefinition): string {
  const { format: _f, ...rest } = def;
  const def1 = { ...rest, query: rest.query?.trim() || undefined, raw: rest.raw || undefined };
  const text = JSON.stringify(canonical(def1));
  return `urn:papers:feed:${crypto().createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
}

/** The stable date of a paper in a feed: its first listing day, else arXiv publication, else first seen. */
export function feedDate(p: Paper): Date {
  const day = p.days[0] ?? p.day;
  const candidates = [day ? `${day}T00:00:00.000Z` : null, p.publishedAt, p.firstSeen];
  for (const c of candidates) {
    if (!c) continue;
    const t = Date.parse(c);
    if (!Number.isNaN(t)) return new Date(t);
  }
  return new Date(0);
}

const toDate = (d: Date | string) => (d instanceof Date ? d : new Date(d));
/** RFC 822 (RFC 1123 form), as RSS 2.0 wants: `Mon, 10 Mar 2025 00:00:00 GMT`. */
export const rfc822 = (d: Date | string) => toDate(d).toUTCString();
/** RFC 3339, as Atom wants. */
export const rfc3339 = (d: Date | string) => toDate(d).toISOString();

/** The HTML body of an item: summary, then links. */
export function itemHtml(p: Paper): string {
  const text = p.aiSummary ?? p.abstract;
  const parts: string[] = [];
  const authors = p.authors.map(cleanLine).filter(Boolean);
  if (authors.length)
    parts.push(
      `<p>${htmlText(authors.length > 12 ? [...authors.slice(0, 12), 'et al.'].join(', ') : authors.join(', '))}</p>`,
    );
  if (text) parts.push(`<p>${htmlText(text)}</p>`);
  const links: string[] = [];
  const link = (label: string, url: string | null | undefined) => {
    const u = safeHttpUrl(url);
    if (u) links.push(`<a href="${escapeMarkup(u)}">${escapeMarkup(label)}</a>`);
  };
  link('arXiv', p.url);
  link('PDF', p.pdfUrl);
  link('Hugging Face', p.hfUrl);
  link(p.githubStars !== null ? `Code (${count(p.githubStars, 'star')})` : 'Code', p.githubRepo);
  link('Project page', p.projectPage);
  parts.push(`<p>${[...(p.upvotes === null ? [] : [count(p.upvotes, 'upvote')]), ...links].join(' · ')}</p>`);
  return parts.join('');
}

function channelLink(meta: FeedMeta): string {
  return safeHttpUrl(meta.link) ?? DEFAULT_LINK;
}

/** The self link: an http(s) URL, a file URL or the feed's URN, as it can be written in an attribute. */
function selfLink(meta: FeedMeta): string | null {
  const u = meta.selfUrl ?? meta.id;
  if (!u) return null;
  if (safeHttpUrl(u)) return safeHttpUrl(u);
  return /^(?:file:\/\/\/|urn:)[\x21-\x7e]+$/.test(u) ? u : null;
}

export function* renderRss(papers: Iterable<Paper>, meta: FeedMeta): Generator<string> {
  const self = selfLink(meta);
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  yield '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" ' +
    'xmlns:dc="http://purl.org/dc/elements/1.1/">\n<channel>\n';
  yield `  <title>${xmlText(meta.title)}</title>\n`;
  yield `  <link>${escapeXml(channelLink(meta))}</link>\n`;
  yield `  <description>${xmlText(meta.description ?? meta.title)}</description>\n`;
  if (self) yield `  <atom:link href="${escapeXml(self)}" rel="self" type="application/rss+xml"/>\n`;
  yield `  <lastBuildDate>${rfc822(meta.updated)}</lastBuildDate>\n`;
  yield `  <generator>${xmlText(meta.generator ?? 'papers')}</generator>\n`;
  for (const p of papers) {
    const lines = [
      '  <item>',
      `    <title>${xmlText(displayText(p.title))}</title>`,
      `    <link>${escapeXml(p.url)}</link>`,
      `    <guid isPermaLink="true">${escapeXml(p.url)}</guid>`,
      `    <pubDate>${rfc822(feedDate(p))}</pubDate>`,
    ];
    const authors = p.authors.map(cleanLine).filter(Boolean);
    if (authors.length) lines.push(`    <dc:creator>${xmlText(authors.join(', '))}</dc:creator>`);
    for (const k of p.aiKeywords) {
      const t = xmlText(k);
      if (t) lines.push(`    <category>${t}</category>`);
    }
    if (p.hfUrl) lines.push(`    <comments>${escapeXml(p.hfUrl)}</comments>`);
    lines.push(`    <description>${escapeXml(stripXmlInvalid(itemHtml(p)))}</description>`);
    lines.push('  </item>');
    yield lines.join('\n') + '\n';
  }
  yield '</channel>\n</rss>\n';
}

export function* renderAtom(papers: Iterable<Paper>, meta: FeedMeta): Generator<string> {
  const link = channelLink(meta);
  const self = meta.selfUrl === undefined ? null : selfLink(meta);
  const id = safeHttpUrl(meta.id) ?? (meta.id?.startsWith('urn:') ? meta.id : null) ?? self ?? link;
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  yield '<feed xmlns="http://www.w3.org/2005/Atom">\n';
  yield `  <id>${xmlText(id)}</id>\n`;
  yield `  <title type="text">${xmlText(meta.title)}</title>\n`;
  if (meta.description) yield `  <subtitle type="text">${xmlText(meta.description)}</subtitle>\n`;
  yield `  <updated>${rfc3339(meta.updated)}</updated>\n`;
  yield `  <link rel="alternate" type="text/html" href="${escapeXml(link)}"/>\n`;
  if (self) yield `  <link rel="self" type="application/atom+xml" href="${escapeXml(self)}"/>\n`;
  // A feed-level author makes every entry valid, including those without authors.
  yield `  <author><name>${xmlText(meta.author ?? 'Hugging Face Daily Papers')}</name></author>\n`;
  yield `  <generator>${xmlText(meta.generator ?? 'papers')}</generator>\n`;
  for (const p of papers) {
    const date = rfc3339(feedDate(p));
    const lines = [
      '  <entry>',
      `    <id>${escapeXml(p.url)}</id>`,
      `    <title type="text">${xmlText(displayText(p.title))}</title>`,
      `    <link rel="alternate" type="text/html" href="${escapeXml(p.url)}"/>`,
      `    <link rel="related" type="application/pdf" href="${escapeXml(p.pdfUrl)}"/>`,
      `    <published>${date}</published>`,
      `    <updated>${date}</updated>`,
    ];
    for (const a of p.authors) {
      const name = xmlText(a);
      if (name) lines.push(`    <author><name>${name}</name></author>`);
    }
    for (const k of p.aiKeywords) {
      const t = xmlText(k);
      if (t) lines.push(`    <category term="${t}"/>`);
    }
    lines.push(`    <summary type="html">${escapeXml(stripXmlInvalid(itemHtml(p)))}</summary>`);
    lines.push('  </entry>');
    yield lines.join('\n') + '\n';
  }
  yield '</feed>\n';
}
