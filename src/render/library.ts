/**
 * The library import summary. (The library and recommend views, TTY and piped, are the
 * paper blocks and lines of render/papers.ts with their own fields added; JSON is the paper
 * shape with `starredAt`/`tags` or `score`/`why` after it.)
 */
import type { LibraryImportResult } from '../core/library.js';
import { cleanLine } from '../text.js';

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
