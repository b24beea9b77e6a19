// listPapers answers a `-k` with a LIMIT in one of two ways: walking the rows in order and
// checking each (a common word), or narrowing with the FTS index first (a rare word, once
// the walk has checked WALK_BUDGET rows). Both must give the same papers in the same order.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../src/dates.js';
import { openDb, type DB } from '../src/db/open.js';
import { listPapers, type ListOptions } from '../src/core/query.js';
import type { PaperRecord } from '../src/sources/types.js';
import { tempHome } from './helpers/run-cli.js';
import { makeRecord, saveHfDay } from './helpers/paper.js';

let db: DB;
const FIRST = '2025-01-06';
const DAYS = 40;
const PER_DAY = 12;

function record(day: number, i: number): PaperRecord {
  const n = day * PER_DAY + i;
  const words = [
    n % 3 === 0 ? 'diffusion' : 'transformer',
    n % 5 === 0 ? 'agents' : 'agent-free',
    n % 7 === 0 ? 'Diffusions of heat' : 'retrieval',
    n === 17 || n === 301 ? 'a quasar survey' : 'plain text',
  ];
  return makeRecord(`2501.${String(10000 + n)}`, {
    title: `Paper ${n}: ${words[0]} and ${words[3]}`,
    abstract: `We study ${words.join(', ')}.`,
    authors: [`Author ${n % 11}`],
    upvotes: (n * 37) % 101,
    aiSummary: n % 4 === 0 ? `A summary about ${words[1]}.` : null,
    aiKeywords: n % 6 === 0 ? ['video generation'] : [],
    githubRepo: n % 2 === 0 ? `https://github.com/x/p${n}` : null,
    githubStars: n % 2 === 0 ? (n * 13) % 97 : null,
  });
}

beforeAll(() => {
  db = openDb(join(tempHome(), 'papers.db'));
  for (let d = 0; d < DAYS; d++) {
    const entries = Array.from({ length: PER_DAY }, (_, i) => record(d, i));
    // A paper listed again the next day: it must appear once, under its latest day.
    if (d > 0) entries.push(record(d - 1, 0));
    saveHfDay(db, addDays(FIRST, d), entries, '2025-03-01T00:00:00.000Z');
  }
  // Where the text check alone is looser than FTS: a phrase across the title/abstract
  // boundary, and a ligature (NFKD folds it to letters, FTS's tokenizer does not).
  const odd = [
    { ...record(DAYS, 0), id: '2502.20001', title: 'Scaling Diffusion', abstract: 'Models trained at scale.' },
    {
      ...record(DAYS, 1),
      id: '2502.20002',
      title: 'An e\uFB03cient sampler',
      abstract: 'We study e\uFB03cient models.',
    },
  ];
  saveHfDay(db, addDays(FIRST, DAYS), odd, '2025-03-01T00:00:00.000Z');
});
afterAll(() => db.close());

const ids = (o: ListOptions) => [...listPapers(db, o)].map((p) => `${p.id}@${p.day}`);

describe('-k with a LIMIT: the walk and the FTS plan agree', () => {
  const cases: ListOptions[] = [
    { keywords: ['diffusion'], limit: 20 },
    { keywords: ['diffusion'], limit: 5, minUpvotes: 60 },
    { keywords: ['quasar'], limit: 20 },
    { keywords: ['quasar survey'], limit: 1 },
    { keywords: ['agents', 'video generation'], limit: 50 },
    { keywords: ['agents', 'quasar'], any: true, limit: 30 },
    { keywords: ['diffusion'], exclude: ['agents'], limit: 25, since: addDays(FIRST, 10), until: addDays(FIRST, 30) },
    { keywords: ['diffusion'], sort: 'upvotes', limit: 15 },
    { keywords: ['transformer'], sort: 'stars', limit: 15, hasCode: true },
    { keywords: ['retrieval'], limit: 1000 },
    { keywords: ['diffusion models'], limit: 10 },
    { keywords: ['efficient'], limit: 10 },
    { keywords: ['quasar'], limit: 10, sort: 'upvotes' },
  ];
  for (const c of cases) {
    it(JSON.stringify(c), () => {
      const fts = ids({ ...c, walkBudget: 0 });
      const walked = ids({ ...c, walkBudget: Number.POSITIVE_INFINITY });
      const unlimited = ids({ ...c, limit: undefined }).slice(0, c.limit);
      expect(walked).toEqual(fts);
      expect(walked).toEqual(unlimited);
      expect(ids(c)).toEqual(fts);
      expect(new Set(walked).size).toBe(walked.length);
    });
  }

  it('exact words: "diffusion" is not "Diffusions" (which FTS stems to the same token)', () => {
    const all = [...listPapers(db, { keywords: ['diffusion'], limit: 1000, walkBudget: 0 })];
    expect(all.length).toBeGreaterThan(0);
    for (const p of all) expect(/\bdiffusion\b/i.test(`${p.title} ${p.abstract}`)).toBe(true);
  });

  it('a rare word past the budget falls back to the FTS plan and still finds the oldest match', () => {
    // Paper 301 is listed on day 25, paper 17 on day 1 (and 180+ rows back): past a budget of 100.
    expect(ids({ keywords: ['quasar'], limit: 5, walkBudget: 100 })).toEqual([
      '2501.10301@2025-01-31',
      '2501.10017@2025-01-07',
    ]);
  });
});
