// A Paper with plain defaults, for renderer tests that need no archive.
import type { Paper } from '../../src/core/papers.js';
import type { PaperRecord } from '../../src/sources/types.js';
import type { DB } from '../../src/db/open.js';
import { saveDay, type SaveDayResult } from '../../src/db/store.js';

export function makePaper(id: string, o: Partial<Paper> = {}): Paper {
  return {
    id,
    title: `Paper ${id}`,
    authors: ['Ada Lovelace'],
    abstract: 'An abstract.',
    upvotes: 3,
    comments: null,
    publishedAt: null,
    days: ['2025-01-02'],
    gone: [],
    day: '2025-01-02',
    url: `https://arxiv.org/abs/${id}`,
    pdfUrl: `https://arxiv.org/pdf/${id}`,
    hfUrl: `https://huggingface.co/papers/${id}`,
    githubRepo: null,
    githubStars: null,
    projectPage: null,
    organization: null,
    submitter: null,
    aiSummary: null,
    aiKeywords: [],
    firstSeen: '2025-01-02T00:00:00.000Z',
    updatedAt: '2025-01-02T00:00:00.000Z',
    categories: [],
    primaryCategory: null,
    version: null,
    doi: null,
    journalRef: null,
    arxivComments: null,
    license: null,
    listings: [{ source: 'hf', day: '2025-01-02', type: null }],
    ...o,
  };
}

/** A source record (what a parser gives the store) with plain defaults, for tests that save directly. */
export function makeRecord(id: string, o: Partial<PaperRecord> = {}): PaperRecord {
  return {
    id,
    title: `Paper ${id}`,
    abstract: 'Abstract.',
    authors: ['Ada'],
    publishedAt: null,
    upvotes: 1,
    comments: null,
    aiSummary: null,
    aiKeywords: [],
    githubRepo: null,
    githubStars: null,
    projectPage: null,
    organization: null,
    submitter: null,
    raw: '{}',
    ...o,
  };
}

/** Saves records as Hugging Face's list of `day` (fetched at `now`), as a sync through the API would. */
export function saveHfDay(db: DB, day: string, entries: PaperRecord[], now = `${day}T08:00:00.000Z`): SaveDayResult {
  return saveDay(db, { source: 'hf', day, entries, skipped: 0, requests: 1, via: 'api', now });
}
