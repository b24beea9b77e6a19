// The piped lines of library and recommend, and the library import summary.
import { describe, expect, it } from 'vitest';
import type { LibraryImportResult } from '../src/core/library.js';
import { libraryTsvLine, recommendTsvLine, renderImportSummary } from '../src/render/library.js';
import { makePaper } from './helpers/paper.js';

describe('library and recommend lines', () => {
  it('tab-separated, one line, in a stable column order', () => {
    const p = makePaper('2503.00001', { title: 'Speculative\tdecoding\n  at scale', day: '2025-03-04' });
    expect(libraryTsvLine({ ...p, starredAt: '2025-03-05T10:00:00.000Z', tags: ['rl', 'reading group'] })).toBe(
      '2503.00001\t2025-03-05T10:00:00.000Z\trl,reading group\tSpeculative decoding at scale',
    );
    expect(recommendTsvLine({ ...p, score: 0.5, relevance: 0.5 })).toBe(
      '2503.00001\t2025-03-04\t0.5000\tSpeculative decoding at scale',
    );
    expect(recommendTsvLine({ ...p, score: -1.23456, relevance: 0, why: ['speculative decoding', 'draft'] })).toBe(
      '2503.00001\t2025-03-04\t-1.2346\tSpeculative decoding at scale\tspeculative decoding, draft',
    );
  });
});

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
