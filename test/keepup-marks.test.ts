// The new-mark in listing days (issue 11.1): a first run shows the latest day only,
// `--since` picks listing days, the mark is exact across re-listings, backfills and a
// sync that lands between reading and marking. Core-level, on an in-memory archive.
import { describe, expect, it } from 'vitest';
import { openDb, type DB } from '../src/db/open.js';
import type { PaperRecord } from '../src/sources/types.js';
import {
  currentMark,
  decodeMark,
  encodeMark,
  getNewMark,
  latestFirstSeen,
  readNew,
  scopeNotice,
  setNewMark,
  type NewWindow,
} from '../src/core/new.js';
import {
  buildDigest,
  digestJson,
  digestNotice,
  digestPaperCount,
  digestSummary,
  markDigestSeen,
} from '../src/core/digest.js';
import { addWatch } from '../src/core/watch.js';
import { renderDigestMarkdown } from '../src/render/digest-markdown.js';
import { makeRecord, saveHfDay } from './helpers/paper.js';

function rec(id: string, upvotes = 1, title = `Paper ${id} about agents`): PaperRecord {
  return makeRecord(id, { title, upvotes });
}

function day(db: DB, d: string, ids: string[], now: string, upvotes = 1): void {
  saveHfDay(
    db,
    d,
    ids.map((id) => rec(id, upvotes)),
    now,
  );
}

const ids = (r: { papers: { id: string }[] }) => r.papers.map((p) => p.id);
const fresh = () => openDb(':memory:');
/** The window `papers new` reads: after the global mark, as the archive stands now. */
const sinceMark = (db: DB): NewWindow => ({ after: getNewMark(db), upTo: latestFirstSeen(db) });

describe('new: listing days and an exact mark', () => {
  it('after a backfill with no mark: only the latest listing day, and the notice says so', () => {
    const db = fresh();
    day(db, '2026-08-19', ['2608.00001', '2608.00002'], '2026-08-21T06:00:00.000Z');
    day(db, '2026-08-20', ['2608.00003'], '2026-08-21T06:00:00.000Z');
    day(db, '2026-08-21', ['2608.00004', '2608.00001'], '2026-08-21T06:00:00.000Z');
    const r = readNew(db, { filter: {} }, sinceMark(db));
    expect(ids(r)).toEqual(['2608.00001', '2608.00004']);
    expect(r.scope).toEqual({ kind: 'latest-day', day: '2026-08-21' });
    expect(scopeNotice(r.scope)).toBe(
      'no mark yet: showing the latest day, 2026-08-21; --mark-seen to start from here',
    );
  });

  it('--since/--date select by listing day, as list does, whatever the mark', () => {
    const db = fresh();
    day(db, '2026-08-19', ['2608.00001', '2608.00002'], '2026-08-19T06:00:00.000Z');
    day(db, '2026-08-20', ['2608.00003', '2608.00001'], '2026-08-20T06:00:00.000Z');
    setNewMark(db, latestFirstSeen(db)!);
    expect(ids(readNew(db, { filter: {} }, { since: '2026-08-20', upTo: latestFirstSeen(db) }))).toEqual([
      '2608.00001',
      '2608.00003',
    ]);
    expect(ids(readNew(db, { filter: {} }, { since: '2026-08-19', until: '2026-08-19' }))).toEqual([
      '2608.00001',
      '2608.00002',
    ]);
  });

  it('the mark: later days and late additions to the marked day are new; re-listings of shown papers are not', () => {
    const db = fresh();
    day(db, '2026-08-20', ['2608.00001', '2608.00002'], '2026-08-20T06:00:00.000Z');
    setNewMark(db, latestFirstSeen(db)!);
    expect(ids(readNew(db, { filter: {} }, sinceMark(db)))).toEqual([]);
    // The marked day's list grows later the same day, then a new day re-lists a shown paper.
    day(db, '2026-08-20', ['2608.00001', '2608.00002', '2608.00003'], '2026-08-20T18:00:00.000Z');
    day(db, '2026-08-21', ['2608.00004', '2608.00001'], '2026-08-21T06:00:00.000Z');
    expect(ids(readNew(db, { filter: {} }, sinceMark(db)))).toEqual(['2608.00004', '2608.00003']);
  });

  it('a backfill after the mark is not new; a backfilled paper listed again after the mark is', () => {
    const db = fresh();
    day(db, '2026-08-20', ['2608.00001'], '2026-08-20T06:00:00.000Z');
    setNewMark(db, latestFirstSeen(db)!);
    day(db, '2026-08-10', ['2608.00009', '2608.00008'], '2026-08-21T05:00:00.000Z');
    expect(ids(readNew(db, { filter: {} }, sinceMark(db)))).toEqual([]);
    day(db, '2026-08-21', ['2608.00009'], '2026-08-21T06:00:00.000Z');
    expect(ids(readNew(db, { filter: {} }, sinceMark(db)))).toEqual(['2608.00009']);
  });

  it('a sync that lands between reading and --mark-seen stays new', () => {
    const db = fresh();
    day(db, '2026-08-20', ['2608.00001'], '2026-08-20T06:00:00.000Z');
    const read = latestFirstSeen(db)!;
    const shown = readNew(db, { filter: {} }, { upTo: read });
    day(db, '2026-08-20', ['2608.00001', '2608.00002'], '2026-08-20T06:00:01.000Z');
    day(db, '2026-08-21', ['2608.00003'], '2026-08-20T06:00:01.000Z');
    expect(ids(shown)).toEqual(['2608.00001']);
    setNewMark(db, read);
    expect(ids(readNew(db, { filter: {} }, sinceMark(db)))).toEqual(['2608.00003', '2608.00002']);
  });

  it('marks never move back, and a legacy first_seen mark reads as the archive then', () => {
    const db = fresh();
    day(db, '2026-08-20', ['2608.00001'], '2026-08-20T06:00:00.000Z');
    const early = latestFirstSeen(db)!;
    day(db, '2026-08-21', ['2608.00002'], '2026-08-21T06:00:00.000Z');
    setNewMark(db, latestFirstSeen(db)!);
    setNewMark(db, early);
    expect(decodeMark(db, getNewMark(db))).toEqual(currentMark(db));
    expect(decodeMark(db, '2026-08-20T12:00:00.000Z')).toEqual({
      at: '2026-08-20T12:00:00.000Z',
      day: '2026-08-20',
      pk: 1,
    });
    expect(encodeMark({ at: null, day: '2026-08-20', pk: 4 })).toBe('|2026-08-20|4');
    expect(decodeMark(db, '|2026-08-20|4')).toEqual({ at: null, day: '2026-08-20', pk: 4 });
  });
});

describe('digest: listing days, distinct papers', () => {
  const setup = () => {
    const db = fresh();
    day(db, '2026-08-19', ['2608.00001', '2608.00002'], '2026-08-21T06:00:00.000Z', 5);
    day(db, '2026-08-21', ['2608.00003', '2608.00004'], '2026-08-21T06:00:00.000Z', 20);
    const now = new Date('2026-08-21T07:00:00.000Z');
    addWatch(db, { name: 'agents', filter: { keywords: ['agents'] } }, { now });
    addWatch(db, { name: 'popular', filter: { minUpvotes: 10 } }, { now });
    return { db, now };
  };

  it('with no mark: the latest day; a paper in two watches is in both sections and counted once', () => {
    const { db, now } = setup();
    const d = buildDigest(db, { now });
    expect(d.sections.map((s) => [s.watch, s.papers.map((p) => p.id)])).toEqual([
      ['agents', ['2608.00003', '2608.00004']],
      ['popular', ['2608.00003', '2608.00004']],
    ]);
    expect(digestPaperCount(d)).toBe(2);
    expect(digestSummary(d)).toBe('2 papers, 2 watches: listed on 2026-08-21 (no mark yet: the latest day)');
    expect(digestNotice(d)).toBe('no mark yet: showing the latest day, 2026-08-21; --mark-seen to start from here');
    expect(renderDigestMarkdown(d)).toContain(
      '\n\n2 papers, 2 watches: listed on 2026-08-21 (no mark yet: the latest day) · generated 2026-08-21 07:00 UTC\n',
    );
    expect((digestJson(d) as { papers: number }).papers).toBe(2);
  });

  it('after --mark-seen: the next digest covers what was listed since, not shown before', () => {
    const { db, now } = setup();
    markDigestSeen(db, buildDigest(db, { now }));
    day(db, '2026-08-22', ['2608.00005', '2608.00001'], '2026-08-22T06:00:00.000Z', 30);
    const d = buildDigest(db, { now: new Date('2026-08-22T07:00:00.000Z') });
    expect(d.sections.map((s) => s.papers.map((p) => p.id))).toEqual([['2608.00005'], ['2608.00005']]);
    expect(digestSummary(d)).toBe(
      '1 paper, 2 watches: listed since 2026-08-21, not shown before (marked at the sync of 2026-08-21 06:00 UTC)',
    );
    expect(digestNotice(d)).toBeNull();
    // --since picks listing days for every section.
    const since = buildDigest(db, { now, since: '2026-08-19', until: '2026-08-19' });
    expect(since.sections.map((s) => s.papers.map((p) => p.id))).toEqual([
      ['2608.00001', '2608.00002'],
      ['2608.00001'],
    ]);
    expect(digestSummary(since)).toBe('2 papers, 2 watches: listed on 2026-08-19');
  });
});
