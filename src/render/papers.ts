/**
 * Paper lists for the terminal and for pipes. TTY: numbered, wrapped to the width,
 * coloured. Piped: one tab-separated line per paper (id, day, upvotes, title), stable
 * and undecorated. All remote text passes through cleanLine first.
 */
import { listingTypeOn, type Paper } from '../core/papers.js';
import { HIGHLIGHT } from '../core/query.js';
import { cleanLine, displayText } from '../text.js';
import type { IO } from './io.js';
import { displayWidth, padStart, wrap } from './text.js';

export interface ListRenderOptions {
  abstract?: boolean;
  /** Number the papers (rank on a day's list). */
  numbered?: boolean;
  /** Show each paper's day in the TTY meta line (multi-day lists). */
  showDay?: boolean;
  /** Terminal: what the number column shows instead of the upvotes (`+79`: what a list is sorted by). */
  badge?: (p: Paper) => string;
  /** Terminal: segments put first on the paper's meta line (`+79 in 3d, ▲80 now`). */
  meta?: (p: Paper) => string[];
}

/** A cell for TSV: one line, no tabs, no controls. */
export function tsvCell(s: string | number | null | undefined): string {
  if (s === null || s === undefined) return '';
  return cleanLine(String(s)).replace(/\t/g, ' ');
}

export function tsvLine(p: Paper, opts: ListRenderOptions = {}): string {
  const cells = [p.id, p.day ?? '', p.upvotes, displayText(p.title)];
  if (opts.abstract) cells.push(p.abstract);
  return cells.map(tsvCell).join('\t');
}

export function authorLine(authors: string[], max = 3): string {
  const names = authors.map(cleanLine).filter(Boolean);
  if (names.length === 0) return 'unknown authors';
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} et al.`;
}

/** The TTY block for one paper, and the indent of its text (where lines below it go). */
export function renderPaperBlock(
  io: IO,
  p: Paper,
  index: number,
  total: number,
  opts: ListRenderOptions = {},
): { lines: string[]; indent: number } {
  const c = io.color;
  const numW = opts.numbered ? String(total).length + 1 : 0;
  const upW = 6;
  const indent = numW + 1 + upW + 1;
  const textW = Math.max(20, io.width - indent - 1);
  const lines: string[] = [];
  const num = opts.numbered ? padStart(`${index + 1}.`, numW) + ' ' : '';
  // A paper HF never listed has no votes: nothing, rather than a zero that reads as a verdict.
  const badge = opts.badge ? c.green(padStart(opts.badge(p), upW)) : undefined;
  const up = badge ?? (p.upvotes === null ? ' '.repeat(upW) : c.yellow(padStart(`▲${p.upvotes}`, upW)));
  const titleLines = wrap(displayText(p.title), textW);
  const pad = ' '.repeat(indent);
  titleLines.forEach((t, i) => {
    lines.push((i === 0 ? `${num}${up} ` : pad) + c.bold(t));
  });
  const meta: [string, (x: string) => string][] = (opts.meta?.(p) ?? []).map((m) => [m, c.green]);
  // How arXiv listed it that day, and its categories (primary first): an arXiv list's marks.
  const type = listingTypeOn(p, p.day);
  if (type) meta.push([type, type === 'new' ? c.green : c.magenta]);
  if (p.categories.length) meta.push([p.categories.map(cleanLine).join(' '), c.cyan]);
  meta.push([authorLine(p.authors), (x) => x], [p.id, c.cyan], [p.url, c.dim]);
  if (opts.showDay && p.day) meta.push([p.day, c.dim]);
  if (p.githubRepo) meta.push([`code: ${cleanLine(p.githubRepo)}`, c.dim]);
  for (const l of packSegments(meta, textW, c.dim(' · '))) lines.push(pad + l);
  if (p.aiKeywords.length) {
    for (const l of wrap(`keywords: ${p.aiKeywords.map(cleanLine).join(', ')}`, textW)) lines.push(pad + c.dim(l));
  }
  if (opts.abstract && p.abstract) {
    for (const l of wrap(cleanLine(p.abstract), textW)) lines.push(pad + l);
  }
  return { lines, indent };
}

/**
 * Packs styled segments into lines of `width`, breaking between segments (never inside
 * an escape sequence); a segment wider than a line is wrapped on its own.
 */
function packSegments(segs: [string, (x: string) => string][], width: number, sep: string): string[] {
  const lines: string[] = [];
  let line = '';
  let w = 0;
  for (const [text, style] of segs) {
    const tw = displayWidth(text);
    if (w > 0 && w + 3 + tw > width) {
      lines.push(line);
      line = '';
      w = 0;
    }
    if (tw > width) {
      const parts = wrap(text, width);
      if (line) lines.push(line);
      parts.slice(0, -1).forEach((x) => lines.push(style(x)));
      line = style(parts[parts.length - 1] ?? '');
      w = displayWidth(parts[parts.length - 1] ?? '');
      continue;
    }
    line += (w > 0 ? sep : '') + style(text);
    w += (w > 0 ? 3 : 0) + tw;
  }
  if (line) lines.push(line);
  return lines;
}

/** A snippet with its match markers turned into our own styling, everything else sanitised. */
export function renderSnippet(io: IO, snippet: string, width: number): string[] {
  // A snippet from the keywords column is a JSON array: show it as a list.
  const plain = cleanLine(snippet)
    .replace(/^(…?)\["/, '$1')
    .replace(/"\](…?)$/, '$1')
    .replace(/",\s*"/g, ', ');
  const lines = wrap(plain, width);
  const open = new RegExp(HIGHLIGHT.open, 'g');
  const close = new RegExp(HIGHLIGHT.close, 'g');
  let inside = false;
  return lines.map((l) => {
    // A highlight may span a wrapped line: reopen it on the next one.
    let out = inside ? HIGHLIGHT.open + l : l;
    const opens = (l.match(open) ?? []).length;
    const closes = (l.match(close) ?? []).length;
    inside = inside ? opens >= closes : opens > closes;
    if (inside) out += HIGHLIGHT.close;
    return out
      .replace(/\uE000([^\uE001]*)\uE001/g, (_, m: string) => io.color.bold.yellow(m))
      .replace(/[\uE000\uE001]/g, '');
  });
}
