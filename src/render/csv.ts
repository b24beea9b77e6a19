/**
 * CSV export, RFC 4180: CRLF line ends, a header row, one row per paper, a field quoted
 * when it holds `"`, `,`, CR or LF (inner quotes doubled). Remote text is made one
 * clean line (controls stripped, whitespace collapsed), and a text cell that a
 * spreadsheet would run as a formula (`=`, `+`, `-`, `@`, TAB, CR first) gets a `'`
 * in front, as OWASP recommends against CSV injection. Pure and streaming.
 */
import type { Paper } from '../core/papers.js';
import { cleanLine as cleanText, displayText } from '../text.js';

/** What joins list values (authors, days, keywords) inside one cell. */
export const CSV_LIST_SEPARATOR = '; ';

export const CSV_COLUMNS = [
  'id',
  'title',
  'authors',
  'day',
  'days',
  'upvotes',
  'comments',
  'published_at',
  'url',
  'pdf_url',
  'hf_url',
  'github_repo',
  'github_stars',
  'project_page',
  'organization',
  'ai_keywords',
  'ai_summary',
  'abstract',
] as const;

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell's value: one clean line, neutralised if a spreadsheet would evaluate it. */
export function csvText(raw: string | null | undefined): string {
  if (raw === null || raw === undefined) return '';
  const s = cleanText(raw);
  return FORMULA_START.test(s) ? `'${s}` : s;
}

/** RFC 4180 quoting. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function num(n: number | null | undefined): string {
  return n === null || n === undefined ? '' : String(n);
}

function list(items: readonly string[]): string {
  return items.map(cleanText).filter(Boolean).join(CSV_LIST_SEPARATOR);
}

/** One paper's cells, in CSV_COLUMNS order, before quoting. */
export function csvCells(p: Paper): string[] {
  return [
    csvText(p.id),
    csvText(displayText(p.title)),
    csvText(list(p.authors)),
    csvText(p.day),
    csvText(list(p.days)),
    num(p.upvotes),
    num(p.comments),
    csvText(p.publishedAt),
    csvText(p.url),
    csvText(p.pdfUrl),
    csvText(p.hfUrl),
    csvText(p.githubRepo),
    num(p.githubStars),
    csvText(p.projectPage),
    csvText(p.organization),
    csvText(list(p.aiKeywords)),
    csvText(p.aiSummary),
    csvText(p.abstract),
  ];
}

function row(cells: readonly string[]): string {
  return cells.map(csvField).join(',') + '\r\n';
}

/** The header row, then a row per paper. */
export function* renderCsv(papers: Iterable<Paper>): Generator<string> {
  yield row(CSV_COLUMNS);
  for (const p of papers) yield row(csvCells(p));
}
