// The library import summary.
import { describe, expect, it } from 'vitest';
import type { LibraryImportResult } from '../src/core/library.js';
import { renderImportSummary } from '../src/render/library.js';

describe('renderImportSummary', () => {
  const base: LibraryImportResult = {
    file: 'zotero.bib',
    format: 'bibtex',
    entries: 9,
    matched: [
      { key: 'a', title: 'A', id: '2106.09685', by: 'url' },
      { key: 'b', title: 'B', id: '2305.18290', by: 'doi' },
    ],
    fetchable: [{ key: 'c', title: 'C', id: '2307.09288', by: 'url' }],
    notArxiv: ['d', 'e', 'f', 'g', 'h', 'i'].map((key) => ({ key, title: key, id: null, by: null })),
    errors: [],
    starred: ['2106.09685'],
    already: ['2305.18290'],
    tags: ['zotero'],
  };

  it('says what matched, what papers add would fetch, and what is not on arXiv', () => {
    expect(renderImportSummary(base)).toEqual([
      'zotero.bib (BibTeX): 9 entries',
      '  2 in the archive: 1 starred, 1 starred before, tagged zotero',
      '  1 arXiv paper not in the archive: papers add 2307.09288',
      '  6 entries with no arXiv id, and no DOI or title in the archive: d, e, f, g, h and 1 more',
    ]);
  });

  it('leaves out what did not happen, and lists unreadable entries', () => {
    const r = {
      ...base,
      format: 'csl-json' as const,
      entries: 1,
      matched: [],
      fetchable: [],
      notArxiv: [],
      starred: [],
      already: [],
      tags: [],
    };
    expect(renderImportSummary({ ...r, errors: ['item 2: not a CSL item'] })).toEqual([
      'zotero.bib (CSL-JSON): 1 entry',
      '  1 entry could not be read:',
      '    item 2: not a CSL item',
    ]);
  });
});
