// Every real captured day, replayed by a local server the way the API answers, through
// one `papers sync`: exactly the distinct papers, one listing per (day, paper), and a
// second forced sync that changes nothing; then the same through a faulty server. The
// files are read at run time; a missing folder fails these tests.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { normalizeSpace } from '../src/text.js';
import { SHARED_DAILY, dumpArchive, query, useHfServer, type Entry, type Fault } from './helpers/fixtures.js';
import { runCli, tempHome } from './helpers/run-cli.js';

const SINCE = '2024-05-27';
const UNTIL = '2025-06-30';
const NOW = '2025-07-15T12:00:00Z';

const days = new Map<string, Entry[]>();
const server = useHfServer(days);

beforeAll(async () => {
  // No skip: without the samples this must fail loudly.
  if (!existsSync(SHARED_DAILY)) throw new Error(`the real samples are missing: ${SHARED_DAILY}`);
  for (const f of readdirSync(SHARED_DAILY).sort()) {
    const m = /^(\d{4}-\d{2}-\d{2})\.json$/.exec(f);
    if (!m) continue;
    days.set(m[1]!, JSON.parse(readFileSync(join(SHARED_DAILY, f), 'utf8')) as Entry[]);
  }
});
beforeEach(() => {
  server.faults.length = 0;
  server.requests.length = 0;
});

/**
 * Checks an archive against the files: exactly their distinct papers (each row with the
 * values of its latest listing day, the raw entry as sent), one listing per (day, paper)
 * at its rank, every day recorded ok. Compared as strings: deep equality over thousands
 * of rows is slow, and the first difference is reported.
 */
function expectArchiveMatchesFiles(db: string) {
  const expected = new Map<string, { title: string; upvotes: number; day: string; raw: string }>();
  const expectedListings: string[] = [];
  for (const [day, entries] of days) {
    entries.forEach((e, i) => {
      expectedListings.push(`${day} ${e.paper.id} ${i + 1}`);
      const prev = expected.get(e.paper.id);
      if (!prev || prev.day <= day) {
        expected.set(e.paper.id, {
          title: normalizeSpace(e.title),
          upvotes: e.paper.upvotes,
          day,
          raw: JSON.stringify(e),
        });
      }
    });
  }
  const papers = query<{ id: string; title: string; upvotes: number; source_day: string; raw: string }>(
    db,
    'SELECT id, title, upvotes, source_day, raw FROM papers ORDER BY id',
  );
  expect(papers.map((p) => p.id)).toEqual([...expected.keys()].sort());
  const got = papers.map((p) => JSON.stringify([p.id, p.title, p.upvotes, p.source_day, p.raw]));
  const want = papers.map((p) => {
    const w = expected.get(p.id)!;
    return JSON.stringify([p.id, w.title, w.upvotes, w.day, w.raw]);
  });
  const firstDiff = got.findIndex((g, i) => g !== want[i]);
  expect(firstDiff === -1 ? null : { got: got[firstDiff], want: want[firstDiff] }).toBeNull();

  const listings = query<{ day: string; paper_id: string; rank: number }>(
    db,
    'SELECT day, paper_id, rank FROM listings',
  );
  expect(listings).toHaveLength(expectedListings.length);
  expect(
    listings
      .map((l) => `${l.day} ${l.paper_id} ${l.rank}`)
      .sort()
      .join('\n'),
  ).toBe(expectedListings.sort().join('\n'));
  expect(query(db, `SELECT count(*) AS n FROM sync_days WHERE outcome = 'ok'`)).toEqual([{ n: days.size }]);
  return { papers: expected.size, listings: expectedListings.length };
}

describe('all real days', () => {
  it(`sync --since ${SINCE} --until ${UNTIL} stores exactly what the files list; a second sync changes nothing`, async () => {
    expect(days.size).toBe(262);
    for (const day of days.keys()) expect(day >= SINCE && day <= UNTIL).toBe(true);

    const home = tempHome();
    const env = { HF_ENDPOINT: server.url };
    const first = await runCli(['sync', '--since', SINCE, '--until', UNTIL, '--json'], { home, env, now: NOW });
    expect(first.stderr).toBe('');
    expect(first.exitCode).toBe(0);
    const summary = JSON.parse(first.stdout);
    // every calendar day was asked for, once (no day here has 100 entries, so one page each)
    expect(server.requests).toHaveLength(summary.days);
    expect(new Set(server.requests.map((r) => r.query.date)).size).toBe(summary.days);

    const db = join(home, 'papers.db');
    const counts = expectArchiveMatchesFiles(db);
    expect(counts).toEqual({ papers: 3724, listings: 3724 });
    expect(summary).toMatchObject({ failed: 0, ok: 262, papers: counts.papers, new: counts.papers, updated: 0 });

    const before = dumpArchive(db);
    server.requests.length = 0;
    const second = await runCli(['sync', '--since', SINCE, '--until', UNTIL, '--force', '--json'], {
      home,
      env,
      now: '2025-07-16T12:00:00Z',
    });
    expect(second.exitCode).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ failed: 0, new: 0, updated: 0, days: summary.days });
    expect(server.requests).toHaveLength(summary.days);
    const after = dumpArchive(db);
    expect(after.papers.length).toBe(before.papers.length);
    expect(JSON.stringify(after) === JSON.stringify(before), 'the second sync changed the archive').toBe(true);
  }, 120_000);

  it('the same archive through a server that drops connections, truncates bodies, answers 5xx and rate-limits', async () => {
    const kinds: Fault[] = [
      { match: '', kind: 'reset' },
      { match: '', kind: 'truncate' },
      { match: '', kind: 'truncate-close' },
      { match: '', kind: 'truncate-eof' },
      { match: '', kind: 'html200' },
      { match: '', kind: 'status', status: 503, times: 2 },
      { match: '', kind: 'status', status: 502, headers: { 'retry-after': '0' } },
      { match: '', kind: 'status', status: 429, headers: { ratelimit: '"api";r=0;t=0' } },
      { match: '', kind: 'slow-body' },
    ];
    const sorted = [...days.keys()].sort();
    let n = 0;
    for (let i = 0; i < sorted.length; i += 5) {
      server.faults.push({ ...kinds[n++ % kinds.length]!, match: `date=${sorted[i]}&` });
    }
    server.faults.push({ match: `date=${sorted[3]}&`, kind: 'status', status: 429, headers: { 'retry-after': '1' } });

    const home = tempHome();
    const r = await runCli(['sync', '--since', SINCE, '--until', UNTIL, '--json'], {
      home,
      env: { HF_ENDPOINT: server.url },
      now: NOW,
      http: { timeoutMs: 1500 },
    });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ failed: 0, ok: 262 });
    // every fault was served, and each cost at least one more request
    expect(server.faults.filter((f) => (f.times ?? 1) > 0)).toEqual([]);
    expect(server.requests.length).toBeGreaterThanOrEqual(summary.days + n + 1);
    expect(expectArchiveMatchesFiles(join(home, 'papers.db'))).toEqual({ papers: 3724, listings: 3724 });
  }, 120_000);
});
