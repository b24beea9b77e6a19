/**
 * Markdown export: papers grouped under a `## YYYY-MM-DD` heading per listing day (or
 * one flat list for ranked search hits), one list item per paper. Pure and streaming:
 * it yields one chunk per paper and holds nothing but the current day.
 *
 * Remote text is untrusted. Every field goes through `mdText`: controls stripped,
 * whitespace collapsed to one line, then escaped so that no title, author or abstract
 * can open a heading, list, quote, table, code span, emphasis, link, image, raw HTML
 * or entity, or close the link it sits in. URLs go through `mdUrl`.
 */
import type { Paper } from '../core/papers.js';
import { cleanLine as cleanText, displayText } from '../text.js';

export interface MarkdownOptions {
  /** Include the abstracts (default true). */
  abstract?: boolean;
  /**
   * Group consecutive papers under a heading per listing day. The caller passes papers
   * ordered by day (sort `date`); ranked or otherwise ordered input is better flat.
   */
  groupByDay?: boolean;
}

// One pass over the text, each match gets a backslash:
// - `` ` * _ [ ] < > | ~ # `` wherever they appear: they open or close inline
//   constructs (code spans, emphasis, links and images, raw HTML and autolinks, GFM
//   tables and strikethrough) or, at a line start, headings and quotes;
// - a backslash only where CommonMark would read it as an escape (before ASCII
//   punctuation, or at the end, where our own syntax follows), so LaTeX such as
//   `$\nabla^2$` stays as written: `\n` is already literal;
// - `!` only before `[` (an image), `&` only where it would decode as an entity
//   (`&amp;`, `&#27;`), so `Q&A` and `wow!` stay as they are.
// `(` and `)` are left alone: they only mean something right after a `]`, and every
// `]` of remote text is escaped, so `$O(n)$` keeps reading as written.
const MD_SPECIAL =
  /\\(?=[!-/:-@[-`{-~]|$)|!(?=\[)|&(?=(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)|[`*_[\]<>|~#]/g;

/** One line of literal Markdown text from remote text. */
export function mdText(raw: string | null | undefined): string {
  return escapeLineStart(cleanText(raw ?? '').replace(MD_SPECIAL, (c) => '\\' + c));
}

/**
 * Block markers that only count at the start of a line: `-`/`+` bullets, `1.`/`1)`
 * ordered lists, `=`/`-` setext underlines. (`#`, `>`, `*`, backticks and `~` are
 * escaped everywhere.) Every field may land at a line start, so each one is treated so.
 */
function escapeLineStart(s: string): string {
  if (/^[-+=]/.test(s)) return '\\' + s;
  const m = /^(\d{1,9})([.)])/.exec(s);
  if (m) return m[1] + '\\' + s.slice(m[1]!.length);
  return s;
}

/**
 * A link destination in pointy brackets: `(`, `)` and quotes are allowed there, so only
 * what would end or corrupt it is percent-encoded (`<`, `>`, whitespace, backslash,
 * control and bidi characters) and an entity-like `&` is escaped. Anything but an
 * http(s) URL is refused (null).
 */
export function mdUrl(raw: string | null | undefined): string | null {
  if (!raw) return null;
  // eslint-disable-next-line no-control-regex
  const s = raw
    .trim()
    .replace(/[\u0000-\u001f\u007f-\u009f\s<>\\\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/gu, (c) =>
      encodeURIComponent(c),
    );
  if (!/^https?:\/\/[^/]/i.test(s)) return null;
  return '<' + s.replace(/&(?=#?[A-Za-z0-9]+;)/g, '\\&') + '>';
}

function link(label: string, url: string | null | undefined): string | null {
  const dest = mdUrl(url);
  return dest ? `[${label}](${dest})` : null;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** One paper as a list item (with a trailing blank line). */
export function renderMarkdownItem(p: Paper, opts: MarkdownOptions = {}, showDay = false): string {
  const title = mdText(displayText(p.title)) || mdText(p.id);
  const lines: string[] = [];
  lines.push(`- ${link(title, p.url) ?? title}`);
  const meta: string[] = [];
  const authors = p.authors.map(mdText).filter(Boolean);
  if (authors.length) meta.push(authors.join(', '));
  if (p.upvotes !== null) meta.push(plural(p.upvotes, 'upvote'));
  if (p.comments) meta.push(plural(p.comments, 'comment'));
  if (showDay && p.day) meta.push(`listed ${mdText(p.day)}`);
  const org = mdText(p.organization);
  if (org) meta.push(org);
  lines.push(meta.join(' · '));
  const links = [link('arXiv', p.url), link('PDF', p.pdfUrl), link('Hugging Face', p.hfUrl)];
  if (p.githubRepo) links.push(link(p.githubStars ? `Code (${plural(p.githubStars, 'star')})` : 'Code', p.githubRepo));
  if (p.projectPage) links.push(link('Project page', p.projectPage));
  lines.push(links.filter(Boolean).join(' · '));
  const keywords = p.aiKeywords.map(mdText).filter(Boolean);
  if (keywords.length) lines.push(`Keywords: ${keywords.join(', ')}`);
  // Backslash hard breaks keep the lines of one item in one paragraph (CommonMark, GFM).
  let item = lines.map((l, i) => (i === 0 ? l : '  ' + l)).join('\\\n') + '\n';
  const abstract = opts.abstract === false ? '' : mdText(p.abstract);
  if (abstract) item += `\n  ${abstract}\n`;
  return item + '\n';
}

/** The document, chunk by chunk: a heading per day, then one item per paper. */
export function* renderMarkdown(papers: Iterable<Paper>, opts: MarkdownOptions = {}): Generator<string> {
  const group = opts.groupByDay !== false;
  let current: string | null | undefined;
  for (const p of papers) {
    if (group && p.day !== current) {
      current = p.day;
      yield `## ${p.day ? mdText(p.day) : 'Unknown day'}\n\n`;
    }
    yield renderMarkdownItem(p, opts, !group);
  }
}
