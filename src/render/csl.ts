/**
 * CSL-JSON, the format Zotero, Mendeley and pandoc exchange references in: an array of
 * items. An arXiv paper is an `article` (Zotero's preprint) published by arXiv, with the id
 * as its number (`arXiv:2406.12345`), arXiv's DOI where it has no journal DOI, and the
 * reader's tags as `keyword` (comma-separated), which `papers library import` reads back.
 */
import type { Paper } from '../core/papers.js';
import { cleanLine, displayText } from '../text.js';
import { CORPORATE, KeyAllocator, arxivDoi, baseKey } from './bibtex.js';
import { safeJson } from './json.js';

type CslName = { family: string; given?: string } | { literal: string };

/** `Ada Lovelace` as family and given names; a collaboration or a single word is a literal. */
function cslName(raw: string): CslName {
  const n = cleanLine(raw);
  const words = n.split(' ').filter(Boolean);
  if (words.length < 2 || CORPORATE.test(n)) return { literal: n };
  // A particle (van, de, von...) belongs to the family name.
  let i = words.length - 1;
  while (i > 1 && /^(?:van|von|de|der|den|del|della|di|da|du|la|le|ter|ten)$/i.test(words[i - 1]!)) i--;
  return { family: words.slice(i).join(' '), given: words.slice(0, i).join(' ') };
}

function dateParts(iso: string | null): { 'date-parts': number[][] } | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso ?? '');
  return m ? { 'date-parts': [[Number(m[1]), Number(m[2]), Number(m[3])]] } : undefined;
}

export function cslItem(p: Paper, key: string, tags: readonly string[] = [], abstract = true): Record<string, unknown> {
  const item: Record<string, unknown> = {
    id: key,
    type: 'article',
    title: displayText(p.title) || p.id,
    author: p.authors.map(cslName).filter((a) => ('literal' in a ? a.literal : a.family)),
    issued: dateParts(p.publishedAt ?? p.day),
    publisher: 'arXiv',
    number: `arXiv:${p.id}`,
    DOI: p.doi ?? arxivDoi(p.id),
    URL: p.url,
  };
  if (p.primaryCategory) item.genre = p.primaryCategory;
  if (abstract && p.abstract) item.abstract = cleanLine(p.abstract);
  if (tags.length) item.keyword = tags.join(', ');
  return item;
}

/** The items as one JSON array, streamed a paper at a time. */
export function* renderCsl(
  papers: Iterable<Paper>,
  tagsOf: (p: Paper) => readonly string[],
  opts: { abstract?: boolean } = {},
): Generator<string> {
  const keys = new KeyAllocator();
  let n = 0;
  for (const p of papers) {
    yield (n++ ? ',\n  ' : '[\n  ') + safeJson(cslItem(p, keys.next(baseKey(p)), tagsOf(p), opts.abstract !== false));
  }
  yield n ? '\n]\n' : '[]\n';
}
