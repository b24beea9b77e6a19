/**
 * Pure renderers for the library and recommendations: the piped (tab-separated) lines and the
 * import summary. The TTY views reuse the paper blocks of render/papers.ts with these fields
 * added; JSON is the paper shape with `starredAt`/`tags` or `score`/`why` after it.
 */
import type { LibraryEntry, LibraryImportResult } from '../core/library.js';
import type { Recommended } from '../core/recommend.js';
import { cleanLine } from '../text.js';
import { tsvCell } from './papers.js';

/** Piped `library`: id, starred at (ISO), tags (comma-separated), title. */
export function libraryTsvLine(e: LibraryEntry): string {
  return [e.id, e.starredAt, e.tags.join(','), e.title].map(tsvCell).join('\t');
}

/** Piped `recommend`: id, day, score, title; with `--why`, the terms (comma-separated) last. */
export function recommendTsvLine(p: Recommended): string {
  const cells: (string | number | null)[] = [p.id, p.day, p.score.toFixed(4), p.title];
  if (p.why) cells.push(p.why.join(', '));
  return cells.map(tsvCell).join('\t');
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const names = (keys: string[], max = 5) =>
  keys.length > max ? `${keys.slice(0, max).join(', ')} and ${keys.length - max} more` : keys.join(', ');

/** What `library import` did, for people (stderr): a line per outcome that happened. */
export function renderImportSummary(r: LibraryImportResult): string[] {
  const format = r.format === 'bibtex' ? 'BibTeX' : 'CSL-JSON';
  const lines = [`${cleanLine(r.file)} (${format}): ${plural(r.entries, 'entry', 'entries')}`];
  if (r.matched.length) {
    const parts = [`${r.starred.length} starred`];
    if (r.already.length) parts.push(`${r.already.length} starred before`);
    const tags = r.tags.length ? `, tagged ${r.tags.join(', ')}` : '';
    lines.push(`  ${r.matched.length} in the archive: ${parts.join(', ')}${tags}`);
  }
  if (r.fetchable.length) {
    const ids = [...new Set(r.fetchable.map((e) => e.id!))];
    lines.push(`  ${plural(r.fetchable.length, 'arXiv paper')} not in the archive: papers add ${ids.join(' ')}`);
  }
  if (r.notArxiv.length) {
    const keys = r.notArxiv.map((e) => cleanLine(e.key));
    const what =
      `${plural(r.notArxiv.length, 'entry', 'entries')} with no arXiv id, ` + 'and no DOI or title in the archive';
    lines.push(`  ${what}: ${names(keys)}`);
  }
  if (r.errors.length) {
    lines.push(`  ${plural(r.errors.length, 'entry', 'entries')} could not be read:`);
    for (const e of r.errors) lines.push(`    ${cleanLine(e)}`);
  }
  return lines;
}
