// Upvote history and rising come from time, not from how a sync was run (issue 11.2):
// a snapshot is an observation at a sync; growth is measured between observations at
// least an hour apart. Two syncs hours apart, the clock moved forward from outside
// (the injected `now`), through the real sync with a stub source.
import { describe, expect, it } from 'vitest';
import { openDb, type DB } from '../src/db/open.js';
import { sync } from './helpers/core-sync.js';
import { risingEmptyReason, risingPapers, upvoteHistory } from '../src/core/signals.js';
import { migrations } from '../src/db/migrations.js';
import type { HttpClient } from '../src/http/client.js';
import type { FetchedDay, PaperRecord, SourceAdapter } from '../src/sources/types.js';
import { makeRecord } from './helpers/paper.js';

const HOUR = 3_600_000;

function rec(id: string, upvotes: number): PaperRecord {
  return makeRecord(id, { upvotes });
}

/** A source whose days the test sets between syncs. */
function stubSource(days: Map<string, PaperRecord[]>): SourceAdapter {
  return {
    name: 'hf',
    vias: ['api'],
    async fetchDay(day): Promise<FetchedDay> {
      return { entries: days.get(day) ?? [], skipped: 0, via: 'api', requests: 1 };
    },
    async parseSaved() {
      return { entries: [], skipped: 0 };
    },
  };
}

describe('observations at syncs', () => {
  const db: DB = openDb(':memory:');
  const days = new Map<string, PaperRecord[]>();
  let clock = Date.parse('2026-08-21T06:00:00.000Z');
  // The process clock ticks while a sync runs (a second per read), as a real one does.
  const now = () => new Date((clock += 1000));
  const run = (list: string[]) =>
    sync(
      { db, http: {} as HttpClient, endpoint: 'http://stub', now, pid: 1, lockPath: null },
      { source: stubSource(days), days: list, force: true, concurrency: 1 },
    );
  const A = '2608.00001';
  const B = '2608.00002';
  const C = '2608.00003';

  it('a backfill that sees a paper on two days records one observation, with the latest value', async () => {
    days.set('2026-08-19', [rec(A, 3), rec(B, 10)]);
    days.set('2026-08-20', [rec(A, 7)]);
    await run(['2026-08-19', '2026-08-20']);
    expect(upvoteHistory(db, A)).toEqual([
      { at: '2026-08-21T06:00:01.000Z', upvotes: 7, comments: null, githubStars: null },
    ]);
    expect(upvoteHistory(db, B).map((h) => h.at)).toEqual(['2026-08-21T06:00:01.000Z']);
  });

  it('after a single backfill rising is empty, and says it needs syncs on two occasions', () => {
    const at = new Date(clock);
    expect(risingPapers(db, { windowMs: 72 * HOUR, now: at })).toEqual([]);
    expect(risingEmptyReason(db, { now: at, window: '3d' })).toMatch(
      /^rising needs syncs on two different occasions, at least an hour apart; this archive was synced once \(2026-08-21 06:00 UTC\)/,
    );
  });

  it('a sync minutes later is not a second occasion; one hours later is', async () => {
    clock += 20 * 60_000;
    days.set('2026-08-20', [rec(A, 9)]);
    const second = (await run(['2026-08-19', '2026-08-20'])).startedAt;
    expect(risingPapers(db, { windowMs: 72 * HOUR, now: new Date(clock) })).toEqual([]);

    clock += 3 * HOUR;
    days.set('2026-08-19', [rec(A, 3), rec(B, 16)]);
    days.set('2026-08-20', [rec(A, 15)]);
    days.set('2026-08-21', [rec(C, 50)]);
    const third = (await run(['2026-08-19', '2026-08-20', '2026-08-21'])).startedAt;
    const rising = risingPapers(db, { windowMs: 72 * HOUR, now: new Date(clock) }).map((p) => [p.id, p.growth]);
    // C was first seen in the window: no growth yet, whatever its upvotes.
    expect(rising).toEqual([
      [A, 8],
      [B, 6],
    ]);
    expect(upvoteHistory(db, A).map((h) => [h.at, h.upvotes])).toEqual([
      ['2026-08-21T06:00:01.000Z', 7],
      [second, 9],
      [third, 15],
    ]);
    expect(risingEmptyReason(db, { now: new Date(clock), window: '1h' })).toBe(
      'no upvote growth between syncs in the last 1h',
    );
  });
});

describe('m006_snapshot_observations', () => {
  it('folds the rows one sync wrote per day into one observation at its start', () => {
    const db = openDb(':memory:');
    db.exec(`
      INSERT INTO papers (id, title, source, source_day, raw, first_seen, updated_at) VALUES ('2608.00001', 't', 'hf', '2026-08-20', '{}', 'x', 'x');
      DELETE FROM snapshots;
      INSERT INTO sync_runs (source, started_at, finished_at, status) VALUES ('hf', '2026-08-21T06:00:00.000Z', '2026-08-21T06:05:00.000Z', 'ok');
      INSERT INTO snapshots (paper_id, at, upvotes) VALUES
        ('2608.00001', '2026-08-21T06:00:02.000Z', 3), ('2608.00001', '2026-08-21T06:00:04.000Z', 7),
        ('2608.00001', '2026-08-21T09:00:00.000Z', 9);
    `);
    migrations.find((m) => m.name === 'm006_snapshot_observations')!.up(db);
    expect(upvoteHistory(db, '2608.00001').map((h) => [h.at, h.upvotes])).toEqual([
      ['2026-08-21T06:00:00.000Z', 7],
      ['2026-08-21T09:00:00.000Z', 9],
    ]);
  });
});
