// Search finds a paper from a fragment of its title (issue 11.8): a query found verbatim
// in a title (3+ words, any case, hyphens as spaces) ranks that paper above papers that
// only match its stemmed words; a query found in no title keeps the BM25 ranking.
import { describe, expect, it } from 'vitest';
import { openDb, type DB } from '../src/db/open.js';
import { saveDay } from '../src/db/store.js';
import { quoteFts, searchPapers, titleHasPhrase, titlePhrase } from '../src/core/query.js';
import type { PaperRecord } from '../src/sources/types.js';
import { makeRecord } from './helpers/paper.js';

function rec(id: string, title: string, abstract: string): PaperRecord {
  return makeRecord(id, { title, abstract });
}

function archive(): DB {
  const db = openDb(':memory:');
  const noise = (w: string) => `${w} ${w} ${w}.`;
  saveDay(db, {
    source: 'hf',
    day: '2025-01-02',
    skipped: 0,
    requests: 1,
    via: 'api',
    now: '2025-01-02T06:00:00.000Z',
    entries: [
      rec('2501.00001', 'On Why Scaling Laws Need Attention in Deep Sequence Models of Language Today', 'We ask.'),
      rec('2501.00002', 'Attention Scaling Law Needs', noise('attention scaling law needs')),
      rec('2501.00003', 'Needed: Attention to Scaled Laws', noise('attention scaled laws needed')),
      rec('2501.00004', 'Law, Attention and Scale: Needs', noise('need attention scale law')),
      rec(
        '2501.00005',
        'Long-Context State-Space Models for Genomics and Other Very Long Biological Sequences',
        'Genomes.',
      ),
      rec('2501.00006', 'Context: Long States, Spaced Models', noise('long context state space models')),
    ],
  });
  return db;
}

const ids = (db: DB, query: string, limit = 3) => [...searchPapers(db, { query, limit })].map((h) => h.id);
const bm25 = (db: DB, query: string) =>
  db
    .prepare(
      'SELECT p.id FROM papers_fts f JOIN papers p ON p.pk = f.rowid WHERE papers_fts MATCH ? ORDER BY rank, f.rowid',
    )
    .pluck()
    .all(quoteFts(query)) as string[];

describe('search: title fragments', () => {
  it('a fragment of a title ranks its paper first, above stemmed-word matches', () => {
    const db = archive();
    // Plain BM25 puts the short titles that only share stems first.
    expect(bm25(db, 'scaling laws need attention').indexOf('2501.00001')).toBeGreaterThan(2);
    expect(ids(db, 'scaling laws need attention')[0]).toBe('2501.00001');
    expect(ids(db, 'WHY SCALING LAWS need')[0]).toBe('2501.00001');
    // The rest keep their BM25 order after it.
    expect(ids(db, 'scaling laws need attention', 20).slice(1)).toEqual(
      bm25(db, 'scaling laws need attention').filter((id) => id !== '2501.00001'),
    );
  });

  it('hyphens count as spaces, either way round', () => {
    const db = archive();
    expect(bm25(db, 'long context state space models')[0]).not.toBe('2501.00005');
    expect(ids(db, 'long context state space models')[0]).toBe('2501.00005');
    expect(ids(db, 'Long-Context State-Space')[0]).toBe('2501.00005');
  });

  it('a query in no title, or shorter than 3 words, keeps the full BM25 ranking', () => {
    const db = archive();
    for (const q of ['attention scaling', 'attention law scaling needs', 'models long context']) {
      expect(ids(db, q, 20)).toEqual(bm25(db, q));
    }
  });

  it('phrases: folded, whole words, at least 3', () => {
    expect(titlePhrase('Two words')).toBeNull();
    expect(titlePhrase('  Mixture-of-Experts  Routing ')).toBe('mixture of experts routing');
    expect(titleHasPhrase('Sparse Mixture-of-Experts Routing at Scale', 'mixture of experts routing')).toBe(true);
    expect(titleHasPhrase('Mixtures of Experts Routing', 'mixture of experts routing')).toBe(false);
    expect(titleHasPhrase('Über Café Models Rock', 'uber cafe models')).toBe(true);
  });
});
