// The run's counts of papers seen, added and updated (issue 13.2) are exact with the ids
// in SQLite instead of JS Sets, over days of several pages each.
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { RunTally } from '../src/core/run-tally.js';
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

describe('a backfill of large days', () => {
  it('saves every day whole, a paper listed on two days counted once', async () => {
    const days = dayRange('2025-03-03', '2025-03-07');
    // 250 to 450 entries a day (3 to 5 pages); the last day lists again 20 papers of the first
    days.forEach((d, i) => served.set(d, distinctEntries(d, i, 250 + 50 * i)));
    served.get(days[4]!)!.push(...served.get(days[0]!)!.slice(0, 20));
    const bounded = join(home, 'bounded.db');
    const a = await coreSync(bounded, server.url, '2025-03-08T12:00:00Z', { days, concurrency: 4 });
    const total = 250 + 300 + 350 + 400 + 450; // the 20 listed twice count once
    expect([a.ok, a.papers, a.new, a.updated]).toEqual([5, total, total, 0]);
    expect(dumpArchive(bounded).listings).toHaveLength(total + 20);
    // a re-sync of two days with more upvotes: updated, not added; a paper listed on both counted once
    for (const d of [days[0]!, days[4]!]) for (const e of served.get(d)!) e.paper.upvotes = (e.paper.upvotes ?? 0) + 1;
    const c = await coreSync(bounded, server.url, '2025-03-09T12:00:00Z', {
      days: [days[0]!, days[4]!],
    });
    expect([c.papers, c.new, c.updated]).toEqual([250 + 450, 0, 250 + 450]);
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
