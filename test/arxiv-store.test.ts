// One paper, two sources: arXiv and HF writes keep each other's fields, each raw body
// stays, replacements update the paper without listing it as new; the paper JSON.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb, type DB } from '../src/db/open.js';
import { saveDay } from '../src/db/store.js';
import { getPaper } from '../src/core/query.js';
import { parseFeed } from '../src/sources/arxiv/feed.js';
import { parseApiBody } from '../src/sources/hf-daily.js';
import type { PaperRecord } from '../src/sources/types.js';
import { readArxivSample } from './helpers/arxiv.js';
import { tempHome } from './helpers/run-cli.js';

const NOW = '2024-11-29T12:00:00.000Z';
const SRC = 'arxiv:cs.LG+cs.AI+cs.CL+stat.ML';

function save(db: DB, source: string, day: string, entries: PaperRecord[], now = NOW) {
  return saveDay(db, { source, day, entries, skipped: 0, requests: 1, via: 'rss', now });
}

const feed = () => parseFeed(readArxivSample('rss/cs.LG+cs.AI+cs.CL+stat.ML_2026-09-24_4items.xml'), 'x').entries;

/** An HF entry for an arXiv paper, as the HF API sends it. */
function hfEntry(id: string, title: string, upvotes: number): PaperRecord {
  const body = JSON.stringify([
    {
      paper: {
        id,
        title,
        summary: 'HF abstract',
        authors: [{ name: 'HF Name' }],
        upvotes,
        ai_summary: 'AI says',
        ai_keywords: ['k'],
        githubRepo: 'https://github.com/a/b',
      },
      title,
      numComments: 4,
    },
  ]);
  return parseApiBody(body, 'hf').entries[0]!;
}

function fresh(): DB {
  return openDb(join(tempHome(), 'papers.db'));
}

describe('one paper, two sources', () => {
  it('arXiv first, then HF: HF signals added, arXiv text and metadata kept, both raws', () => {
    const db = fresh();
    const [first] = feed();
    save(db, SRC, '2026-09-24', feed());
    const r = save(
      db,
      'hf',
      '2026-09-25',
      [hfEntry(first!.id, 'An HF spelling of the title', 42)],
      '2026-09-25T12:00:00.000Z',
    );
    expect(r.updated).toEqual([first!.id]);
    const p = getPaper(db, first!.id)!;
    expect(p).toMatchObject({
      title: first!.title,
      abstract: first!.abstract,
      authors: first!.authors,
      upvotes: 42,
      comments: 4,
      aiSummary: 'AI says',
      githubRepo: 'https://github.com/a/b',
      categories: ['cs.LG'],
      primaryCategory: 'cs.LG',
      version: 1,
      license: 'http://creativecommons.org/licenses/by-nc-sa/4.0/',
      days: ['2026-09-24', '2026-09-25'],
      listings: [
        { source: SRC, day: '2026-09-24', type: 'new' },
        { source: 'hf', day: '2026-09-25', type: null },
      ],
    });
    const raws = db.prepare('SELECT raw, arxiv_raw FROM papers WHERE id = ?').get(first!.id) as {
      raw: string;
      arxiv_raw: string;
    };
    expect(JSON.parse(raws.raw).numComments).toBe(4);
    expect(raws.arxiv_raw).toMatch(/^<item>[\s\S]*<\/item>$/);
    // arXiv again (the next sync's settle pass): HF's fields stay.
    save(db, SRC, '2026-09-24', feed(), '2026-09-26T00:00:00.000Z');
    expect(getPaper(db, first!.id)).toMatchObject({
      upvotes: 42,
      aiSummary: 'AI says',
      githubRepo: 'https://github.com/a/b',
      comments: 4,
    });
    db.close();
  });

  it('HF first, then arXiv: arXiv metadata added, HF signals and raw kept', () => {
    const db = fresh();
    const cross = feed()[2]!; // 2205.06398v2, cross, with a DOI
    save(db, 'hf', '2026-09-23', [hfEntry(cross.id, 'HF title', 7)]);
    save(db, SRC, '2026-09-24', feed());
    expect(getPaper(db, cross.id)).toMatchObject({
      title: cross.title,
      upvotes: 7,
      aiKeywords: ['k'],
      version: 2,
      doi: '10.1093/bioinformatics/btac431',
      categories: ['stat.ME', 'stat.AP', 'stat.ML'],
      listings: [
        { source: 'hf', day: '2026-09-23', type: null },
        { source: SRC, day: '2026-09-24', type: 'cross' },
      ],
    });
    expect(
      JSON.parse(db.prepare('SELECT raw FROM papers WHERE id = ?').pluck().get(cross.id) as string).numComments,
    ).toBe(4);
    db.close();
  });

  it('a replacement updates version, title and abstract; it is listed as such, not as a day of the paper', () => {
    const db = fresh();
    const v1: PaperRecord = {
      ...feed()[3]!,
      title: 'Old title',
      abstract: 'Old abstract',
      listingType: 'new',
      arxiv: { ...feed()[3]!.arxiv!, version: 1 },
    };
    save(db, SRC, '2020-09-28', [v1]);
    save(db, SRC, '2026-09-24', feed());
    const p = getPaper(db, v1.id)!;
    expect(p).toMatchObject({ title: feed()[3]!.title, version: 3, days: ['2020-09-28'] });
    expect(p.listings).toEqual([
      { source: SRC, day: '2020-09-28', type: 'new' },
      { source: SRC, day: '2026-09-24', type: 'replace' },
    ]);
    // An older body (a lower version) never overwrites a newer one.
    save(db, SRC, '2020-09-28', [v1], '2026-10-01T00:00:00.000Z');
    expect(getPaper(db, v1.id)).toMatchObject({ title: feed()[3]!.title, version: 3 });
    db.close();
  });

  it('a field one arXiv body lacks (the feed has no comments) is not erased by it', () => {
    const db = fresh();
    const rec = feed()[0]!;
    save(db, SRC, '2026-09-24', [{ ...rec, arxiv: { ...rec.arxiv!, comments: '12 pages', doi: '10.1/x' } }]);
    save(db, SRC, '2026-09-24', [rec], '2026-09-25T00:00:00.000Z');
    expect(getPaper(db, rec.id)).toMatchObject({ arxivComments: '12 pages', doi: '10.1/x' });
    db.close();
  });

  it('the whole-arXiv day saves in one transaction; a second identical save changes nothing', () => {
    const db = fresh();
    const entries = parseFeed(readArxivSample('rss/all-archives_2024-11-28_whole-day.xml'), 'x').entries;
    const r1 = save(db, 'arxiv:cs', '2024-11-28', entries);
    expect([r1.inserted.length, r1.listingsAdded]).toEqual([1504, 1504]);
    const r2 = save(db, 'arxiv:cs', '2024-11-28', entries, '2024-11-30T00:00:00.000Z');
    expect([r2.inserted.length, r2.updated.length, r2.unchanged, r2.listingsAdded]).toEqual([0, 0, 1504, 0]);
    db.exec(`INSERT INTO papers_fts(papers_fts, rank) VALUES ('integrity-check', 1)`);
    db.close();
  });
});
