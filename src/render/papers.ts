/**
 * Paper lists for the terminal and for pipes. TTY: numbered, wrapped to the width,
 * coloured. Piped: one tab-separated line per paper (id, day, upvotes, title), stable
 * and undecorated. All remote text passes through cleanLine first.
 */
import type { Paper } from '../core/papers.js';
import { cleanLine } from '../text.js';
import { safeJson } from './json.js';
import type { IO } from './io.js';
import { displayWidth, padStart, wrap } from './text.js';

export interface ListRenderOptions {
  abstract?: boolean;
  /** Number the papers (rank on a day's list). */
  numbered?: boolean;
  /** Show each paper's day in the TTY meta line (multi-day lists). */
  showDay?: boolean;
}

/** A cell for TSV: one line, no tabs, no controls. */
export function tsvCell(s: string | number | null | undefined): string {
  if (s === null || s === undefined) return '';
  return cleanLine(String(s)).replace(/\t/g, ' ');
}

export function tsvLine(p: Paper, opts: ListRenderOptions = {}): string {
  const cells = [p.id, p.day ?? '', p.upvotes, p.title];
  if (opts.abstract) cells.push(p.abstract);
  return cells.map(tsvCell).join('\t');
}

export function authorLine(authors: string[], max = 3): string {
  const names = authors.map(cleanLine).filter(Boolean);
  if (names.length === 0) return 'unknown authors';
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} et al.`;
}

/** The TTY block for one paper. */
export function renderPaperBlock(io: IO, p: Paper, index: number, total: number, opts: ListRenderOptions = {}): string[] {
  const c = io.color;
  const numW = opts.numbered ? String(total).length + 1 : 0;
  const upW = 6;
  const indent = numW + 1 + upW + 1;
  const textW = Math.max(20, io.width - indent - 1);
  const lines: string[] = [];
  const num = opts.numbered ? padStart(`${index + 1}.`, numW) + ' ' : '';
  const up = c.yellow(padStart(`▲${p.upvotes}`, upW));
  const titleLines = wrap(cleanLine(p.title), textW);
  const pad = ' '.repeat(indent);
  titleLines.forEach((t, i) => {
    lines.push((i === 0 ? `${num}${up} ` : pad) + c.bold(t));
  });
  const meta: [string, (x: string) => string][] = [
    [authorLine(p.authors), (x) => x],
    [p.id, c.cyan],
    [p.url, c.dim],
  ];
  if (opts.showDay && p.day) meta.push([p.day, c.dim]);
  if (p.githubRepo) meta.push([`code: ${cleanLine(p.githubRepo)}`, c.dim]);
  for (const l of packSegments(meta, textW, c.dim(' · '))) lines.push(pad + l);
  if (p.aiKeywords.length) {
    for (const l of wrap(`keywords: ${p.aiKeywords.map(cleanLine).join(', ')}`, textW)) lines.push(pad + c.dim(l));
  }
  if (opts.abstract && p.abstract) {
    for (const l of wrap(cleanLine(p.abstract), textW)) lines.push(pad + l);
  }
  return lines;
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

/** Writes a list: TTY blocks with a blank line between papers, or TSV lines. */
export function printPaperList(io: IO, papers: Iterable<Paper>, opts: ListRenderOptions = {}): number {
  let n = 0;
  if (!io.tty) {
    for (const p of papers) {
      io.out(tsvLine(p, opts));
      n++;
    }
    return n;
  }
  const all = [...papers];
  all.forEach((p, i) => {
    if (i > 0) io.out('');
    for (const l of renderPaperBlock(io, p, i, all.length, opts)) io.out(l);
  });
  return all.length;
}

/** `--json`: an array, written incrementally so large lists stream. */
export function printJsonArray<T>(io: IO, items: Iterable<T>): number {
  let n = 0;
  io.stdout.write('[');
  for (const item of items) {
    io.stdout.write((n++ ? ',\n' : '\n') + safeJson(item));
  }
  io.stdout.write(n ? '\n]\n' : ']\n');
  return n;
}
