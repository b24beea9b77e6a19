// Read queries over both sources: --source, --cat (an archive with `cs.*`), --type, with
// replacements left out by default; days a paper has exclude its replacement listings.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dayPapers, hasReplacements, listPapers, searchPapers } from '../src/core/query.js';
import { openDb, type DB } from '../src/db/open.js';
import { saveDay } from '../src/db/store.js';
import { UsageError } from '../src/errors.js';
import { parseFeed } from '../src/sources/arxiv/feed.js';
import { parseApiBody } from '../src/sources/hf-daily.js';
import { readArxivSample } from './helpers/arxiv.js';
import { tempHome } from './helpers/run-cli.js';
import { saveHfDay } from './helpers/paper.js';

const SRC = 'arxiv:cs.LG+cs.AI+cs.CL+stat.ML';
const DAY = '2026-09-24';

function archive(): DB {
  const db = openDb(join(tempHome(), 'papers.db'));
  const entries = parseFeed(readArxivSample('rss/cs.LG+cs.AI+cs.CL+stat.ML_2026-09-24_4items.xml'), 'x').entries;
  saveDay(db, { source: SRC, day: DAY, entries, skipped: 0, requests: 1, via: 'rss', now: '2026-09-24T12:00:00.000Z' });
  // HF lists one of the new papers and one paper arXiv's feed did not carry.
  const hf = parseApiBody(
    JSON.stringify([
      { paper: { id: '2609.26820', title: 'x', upvotes: 30, authors: [] }, title: 'x' },
      {
        paper: { id: '2609.11111', title: 'An HF-only paper on agents', upvotes: 5, authors: [] },
        title: 'An HF-only paper on agents',
      },
    ]),
    'hf',
  ).entries;
  saveHfDay(db, DAY, hf, '2026-09-24T13:00:00.000Z');
  return db;
}

const ids = (it: Iterable<{ id: string }>) => [...it].map((p) => p.id);

describe('source, category and type filters', () => {
  it('list: by source, replacements only with --type all or replace', () => {
    const db = archive();
    expect(hasReplacements(db)).toBe(true);
    expect(ids(listPapers(db, { sources: ['arxiv'] })).sort()).toEqual(['2205.06398', '2609.26811', '2609.26820']);
    expect(ids(listPapers(db, { sources: ['arxiv'], types: ['all'] })).sort()).toEqual([
      '2009.13987',
      '2205.06398',
      '2609.26811',
      '2609.26820',
    ]);
    expect(ids(listPapers(db, { types: ['replace'] }))).toEqual(['2009.13987']);
    expect(ids(listPapers(db, { sources: ['hf'] }))).toEqual(['2609.26820', '2609.11111']);
    expect(ids(listPapers(db, { sources: [SRC], types: ['cross'] }))).toEqual(['2205.06398']);
    expect(ids(listPapers(db, {})).sort()).toEqual(['2205.06398', '2609.11111', '2609.26811', '2609.26820']);
    expect(() => [...listPapers(db, { types: ['newish'] })]).toThrow(UsageError);
    db.close();
  });

  it("categories: exact, and `cs.*` / `cs` for the archive; any of a paper's categories", () => {
    const db = archive();
    expect(ids(listPapers(db, { categories: ['stat.ML'] }))).toEqual(['2205.06398']);
    expect(ids(listPapers(db, { categories: ['stat.ML'], types: ['all'] })).sort()).toEqual([
      '2009.13987',
      '2205.06398',
    ]);
    expect(ids(listPapers(db, { categories: ['cs.*'] })).sort()).toEqual(['2609.26811', '2609.26820']);
    expect(ids(listPapers(db, { categories: ['cs'] })).sort()).toEqual(['2609.26811', '2609.26820']);
    expect(ids(listPapers(db, { categories: ['cs.AI'], sort: 'upvotes' }))).toEqual(['2609.26820']);
    db.close();
  });

  it("a day's papers: HF upvotes first, then arXiv's order; filters apply", () => {
    const db = archive();
    expect(ids(dayPapers(db, DAY))).toEqual(['2609.26820', '2609.11111', '2609.26811', '2205.06398']);
    expect(ids(dayPapers(db, DAY, undefined, { sources: ['arxiv'] }))).toEqual([
      '2609.26820',
      '2609.26811',
      '2205.06398',
    ]);
    expect(ids(dayPapers(db, DAY, undefined, { sources: ['arxiv'], types: ['all'] }))).toEqual([
      '2609.26820',
      '2609.26811',
      '2205.06398',
      '2009.13987',
    ]);
    expect(ids(dayPapers(db, DAY, undefined, { categories: ['stat.*'] }))).toEqual(['2205.06398']);
    db.close();
  });

  it('search takes the same filters', () => {
    const db = archive();
    expect(ids(searchPapers(db, { query: 'agents', sources: ['hf'] }))).toEqual(['2609.11111']);
    expect(ids(searchPapers(db, { query: 'agents', sources: ['arxiv'] }))).toEqual([]);
    expect(ids(searchPapers(db, { query: 'local learning', categories: ['cs.LG'] }))).toContain('2609.26811');
    db.close();
  });
});

describe('the latest announcement', () => {
  it('latestListingDay narrows to a source', async () => {
    const { latestListingDay } = await import('../src/core/query.js');
    const db = archive();
    saveHfDay(db, '2026-09-25', [], '2026-09-25T13:00:00.000Z');
    const hf = parseApiBody(
      JSON.stringify([{ paper: { id: '2609.22222', title: 'y', authors: [] }, title: 'y' }]),
      'hf',
    ).entries;
    saveHfDay(db, '2026-09-26', hf, '2026-09-26T13:00:00.000Z');
    expect(latestListingDay(db)).toBe('2026-09-26');
    expect(latestListingDay(db, undefined, { sources: ['arxiv'] })).toBe(DAY);
    db.close();
  });
});
