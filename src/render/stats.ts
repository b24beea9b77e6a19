/**
 * `papers stats` output. TTY: a row per period with a Unicode bar scaled to the busiest
 * period, its top keywords and organizations beneath. Piped: one tab-separated line per
 * period (period, papers, upvotes, keywords, organizations), `name:count` joined by `; `.
 * With `--by category` the rows are arXiv categories, most papers first, in the same shape.
 */
import type { Count, Stats } from '../core/stats.js';
import { cleanLine } from '../text.js';
import type { IO } from './io.js';
import { displayWidth, padEnd, padStart, wrap } from './text.js';

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A horizontal bar of `value / max` of `width` cells, in eighths of a cell. */
export function bar(value: number, max: number, width: number): string {
  if (max <= 0 || value <= 0 || width <= 0) return '';
  const eighths = Math.max(1, Math.round((value / max) * width * 8));
  return '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
}

const counts = (list: Count[], sep: string, fmt: (c: Count) => string) => list.map(fmt).join(sep);

export function statsTsv(s: Stats): string[] {
  const cell = (x: string) => cleanLine(x).replace(/\t/g, ' ');
  return s.periods.map((p) =>
    [
      p.period,
      String(p.papers),
      String(p.upvotes),
      counts(p.keywords, '; ', (c) => `${cell(c.name)}:${c.papers}`),
      counts(p.organizations, '; ', (c) => `${cell(c.name)}:${c.papers}`),
    ].join('\t'),
  );
}

export function renderStatsTable(io: IO, s: Stats): string[] {
  const c = io.color;
  const lines: string[] = [];
  if (s.periods.length === 0) return lines;
  const label = (p: Stats['periods'][number]) => (p.partial ? `${p.period}*` : p.period);
  const labelW = Math.max(6, ...s.periods.map((p) => displayWidth(label(p))));
  const numW = Math.max(6, ...s.periods.map((p) => String(p.papers).length));
  const max = Math.max(...s.periods.map((p) => p.papers));
  const barW = Math.max(10, Math.min(40, io.width - labelW - numW - 4));
  const indent = ' '.repeat(labelW + 2);
  const textW = Math.max(20, io.width - indent.length - 1);
  lines.push(c.bold(`${padEnd(s.by, labelW)}  ${padStart('papers', numW)}`));
  for (const p of s.periods) {
    lines.push(`${padEnd(label(p), labelW)}  ${padStart(String(p.papers), numW)} ${c.cyan(bar(p.papers, max, barW))}`);
    const kw = counts(p.keywords, ', ', (k) => `${cleanLine(k.name)} ${c.dim(String(k.papers))}`);
    const org = counts(p.organizations, ', ', (o) => `${cleanLine(o.name)} ${c.dim(String(o.papers))}`);
    // Truncate on the plain text, then colour: escape sequences must never be cut.
    if (p.keywords.length) lines.push(indent + c.dim('keywords ') + fit(p.keywords, textW - 9, c.dim, kw));
    if (p.organizations.length) lines.push(indent + c.dim('orgs     ') + fit(p.organizations, textW - 9, c.dim, org));
  }
  lines.push('');
  const range = s.since || s.until ? ` from ${s.since ?? 'the start'} to ${s.until ?? 'now'}` : '';
  const partial = s.periods.find((p) => p.partial);
  const papers = `${s.papers} paper${s.papers === 1 ? '' : 's'}`;
  const note =
    s.by === 'category'
      ? `${papers}${range}, each counted under its primary arXiv category`
      : `${papers}${range}, counted in the ${s.by} of their first listing day` +
        (partial ? `; * ${partial.period} is still running` : '');
  // Wrapped at words: a line longer than the terminal would break mid-word.
  for (const l of wrap(note, Math.max(20, io.width - 1))) lines.push(c.dim(l));
  return lines;
}

/** The styled list when it fits, else as many whole entries as fit, then "…": never a word cut. */
function fit(list: Count[], width: number, dim: (x: string) => string, styled: string): string {
  const entry = (k: Count) => `${cleanLine(k.name)} ${k.papers}`;
  if (displayWidth(counts(list, ', ', entry)) <= width) return styled;
  const kept: string[] = [];
  for (const k of list) {
    if (displayWidth([...kept, entry(k)].join(', ') + ', …') > width) break;
    kept.push(entry(k));
  }
  return dim([...kept, '…'].join(', '));
}
