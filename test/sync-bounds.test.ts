// What a sync holds in memory (issue 13.2): entries of partly fetched days are bounded
// across the workers without the run ever waiting on itself, and the run's counts of papers
// seen, added and updated are exact when the ids live in SQLite instead of JS Sets.
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { InFlight, RunTally } from '../src/core/sync-bounds.js';
import { dayRange } from '../src/dates.js';
import { openDb } from '../src/db/open.js';
import { dumpArchive, makeEntries, type Entry, useHfServer } from './helpers/fixtures.js';
import { coreSync } from './helpers/core-sync.js';
import { tempHome } from './helpers/run-cli.js';

const served = new Map<string, Entry[]>();
const server = useHfServer((d: string) => served.get(d));
let home: string;
beforeEach(() => {
  home = tempHome();
  served.clear();
});

describe('InFlight', () => {
  it('under the limit every day goes on; over it only the earliest day in flight, until a day is saved', async () => {
    const f = new InFlight(250);
    for (const i of [0, 1, 2]) f.open(i);
    const went: number[] = [];
    const ask = (i: number, n: number) => f.more(i, n).then(() => went.push(i));
    await ask(1, 100);
    await ask(2, 100);
    expect(went).toEqual([1, 2]);
    // 300 held: day 2 waits, day 0 (the earliest) goes on even though it adds more
    const waiting = ask(2, 100);
    await ask(0, 100);
    await Promise.resolve();
    expect(went).toEqual([1, 2, 0]);
    // day 0 saved: 300 held by days 1 and 2, still over, and day 1 is now the earliest
    f.close(0);
    await Promise.resolve();
    expect(went).toEqual([1, 2, 0]);
    f.close(1);
    await waiting;
    expect(went).toEqual([1, 2, 0, 2]);
  });

  it('an aborted run wakes every waiting day', async () => {
    const ac = new AbortController();
    const f = new InFlight(10, ac.signal);
    f.open(0);
    f.open(1);
    await f.more(0, 100);
    let woke = false;
    const p = f.more(1, 100).then(() => {
      woke = true;
    });
    await Promise.resolve();
    expect(woke).toBe(false);
    ac.abort();
    await p;
    expect(woke).toBe(true);
  });
});

describe('RunTally', () => {
  it('counts a paper once however many days list it; added then updated counts as added', () => {
    const db = openDb(join(home, 'papers.db'));
    try {
      const t = new RunTally(db);
      t.record({ seen: ['a', 'b', 'c'], inserted: ['a', 'b'], updated: ['c'] });
      t.record({ seen: ['b', 'c', 'd'], inserted: ['d'], updated: ['b', 'c'] });
      expect([t.seen, t.added, t.updated()]).toEqual([4, 3, 1]);
      t.close();
      // a second run starts from nothing; two at once on one connection never mix
      const u = new RunTally(db);
      const v = new RunTally(db);
      u.record({ seen: ['a'], inserted: [], updated: ['a'] });
      v.record({ seen: ['a', 'b'], inserted: ['b'], updated: [] });
      expect([u.seen, u.added, u.updated()]).toEqual([1, 0, 1]);
      expect([v.seen, v.added, v.updated()]).toEqual([2, 1, 0]);
      u.close();
      v.close();
    } finally {
      db.close();
    }
  });
});

describe('a backfill of large days under a small bound', () => {
  it('saves every day whole, with the same archive and counts as without the bound', async () => {
    const days = dayRange('2025-03-03', '2025-03-07');
    // 250 to 450 entries a day (3 to 5 pages); the last day lists again 20 papers of the first
    days.forEach((d, i) => served.set(d, distinctEntries(d, i, 250 + 50 * i)));
    served.get(days[4]!)!.push(...served.get(days[0]!)!.slice(0, 20));
    const bounded = join(home, 'bounded.db');
    const free = join(home, 'free.db');
    const opts = { days, concurrency: 4 };
    const a = await coreSync(bounded, server.url, '2025-03-08T12:00:00Z', { ...opts, maxEntriesInFlight: 150 });
    const b = await coreSync(free, server.url, '2025-03-08T12:00:00Z', { ...opts, maxEntriesInFlight: 1e9 });
    const total = 250 + 300 + 350 + 400 + 450; // the 20 listed twice count once
    expect([a.ok, a.papers, a.new, a.updated]).toEqual([5, total, total, 0]);
    expect([b.ok, b.papers, b.new, b.updated]).toEqual([5, total, total, 0]);
    expect(dumpArchive(bounded)).toEqual(dumpArchive(free));
    // a re-sync of two days with more upvotes: updated, not added; a paper listed on both counted once
    for (const d of [days[0]!, days[4]!]) for (const e of served.get(d)!) e.paper.upvotes = (e.paper.upvotes ?? 0) + 1;
    const c = await coreSync(bounded, server.url, '2025-03-09T12:00:00Z', {
      days: [days[0]!, days[4]!],
      maxEntriesInFlight: 150,
    });
    expect([c.papers, c.new, c.updated]).toEqual([250 + 450, 0, 250 + 450]);
  });

  it('fetches the further pages of one day at a time once over the bound, in day order', async () => {
    const days = dayRange('2025-03-03', '2025-03-08');
    days.forEach((d, i) => served.set(d, distinctEntries(d, i, 300)));
    server.requests.length = 0;
    const r = await coreSync(join(home, 'p.db'), server.url, '2025-03-09T12:00:00Z', {
      days,
      concurrency: 4,
      maxEntriesInFlight: 150,
    });
    expect([r.ok, r.papers]).toEqual([6, 1800]);
    const log = server.requests.map((q) => ({ day: q.query.date!, page: Number(q.query.p) }));
    // A day's later pages are asked for only after the day before it was fetched whole.
    for (let i = 1; i < days.length; i++) {
      const lastOfPrevious = log.findLastIndex((q) => q.day === days[i - 1]);
      const firstLaterPage = log.findIndex((q) => q.day === days[i] && q.page > 0);
      expect(firstLaterPage, `${days[i]} page 2 asked before ${days[i - 1]} was whole`).toBeGreaterThan(lastOfPrevious);
    }
  });

  it('a day that fails half-way frees what it held: the days waiting behind it go on', async () => {
    const days = dayRange('2025-03-03', '2025-03-06');
    days.forEach((d, i) => served.set(d, distinctEntries(d, i, 300)));
    server.faults.push({ match: 'date=2025-03-03&limit=100&p=1', kind: 'status', status: 500, times: Infinity });
    const r = await coreSync(join(home, 'p.db'), server.url, '2025-03-09T12:00:00Z', {
      days,
      concurrency: 4,
      maxEntriesInFlight: 150,
    });
    expect([r.ok, r.failed, r.papers]).toEqual([3, 1, 900]);
  });
});

/** `n` entries for the day at `index`, with ids no other day has. */
function distinctEntries(day: string, index: number, n: number): Entry[] {
  const entries = makeEntries(day, n);
  entries.forEach((e, j) => {
    e.paper.id = `2503.${String(1000 * index + j).padStart(5, '0')}`;
  });
  return entries;
}
