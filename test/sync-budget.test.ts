// What a run costs and what it leaves behind: the upvote refresh window of the incremental
// plan (issue 11.3), the total time budget of a run (15.3), and endpoint credentials kept
// out of every message and stored error (15.7). Fixed clocks; no wall time asserted.
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkArchive } from '../src/core/doctor.js';
import { archiveStatus } from '../src/core/status.js';
import { SyncDeadlineError, UPVOTE_SETTLE_DAYS } from '../src/core/sync.js';
import { dayRange } from '../src/dates.js';
import { openDb } from '../src/db/open.js';
import { makeEntries, query, type Entry, useHfServer } from './helpers/fixtures.js';
import { freePort } from './helpers/net.js';
import { coreSync } from './helpers/core-sync.js';
import { runCli, tempHome } from './helpers/run-cli.js';

let home: string;
const served = new Map<string, Entry[]>();
for (const d of dayRange('2025-03-01', '2025-04-30')) served.set(d, makeEntries(d, 3));

// Faults and the request log are forgotten after each test (useHfServer).
const server = useHfServer((d: string) => served.get(d));
beforeEach(() => {
  home = tempHome();
});

const dbPath = () => join(home, 'papers.db');
const cli = (argv: string[], now: string, endpoint = server.url) =>
  runCli(argv, { home, now, env: { HF_ENDPOINT: endpoint } });

/** The days requested since the last call, sorted. */
function requested(): string[] {
  const out = [...new Set(server.requests.map((r) => r.query.date!))].sort();
  server.requests.length = 0;
  return out;
}

describe('upvotes settle: the incremental plan re-reads days up to 14 days old, once a UTC day', () => {
  it('daily runs refresh the fortnight; a second run the same day only the last 3; older days are left alone', async () => {
    expect(UPVOTE_SETTLE_DAYS).toBe(14);
    await cli(['sync'], '2025-03-20T07:00:00Z');
    expect(requested()).toEqual(dayRange('2025-03-14', '2025-03-20'));

    // the next morning: the new day, and every listing day of the fortnight fetched before today
    await cli(['sync'], '2025-03-21T07:00:00Z');
    expect(requested()).toEqual(dayRange('2025-03-14', '2025-03-21'));

    // again that day: only the 3 most recent, as before
    await cli(['sync'], '2025-03-21T09:00:00Z');
    expect(requested()).toEqual(['2025-03-19', '2025-03-20', '2025-03-21']);

    // a week later: 03-14 is 15 days old and no longer refreshed
    const r = await cli(['sync'], '2025-03-29T07:00:00Z');
    expect(r.exitCode).toBe(0);
    const days = requested();
    expect(days).toEqual(dayRange('2025-03-15', '2025-03-29'));
    // the bound: at most the 15 days of the window (plus failed days and holes of the last 30)
    expect(days.length).toBeLessThanOrEqual(UPVOTE_SETTLE_DAYS + 1);
    expect(server.requests).toHaveLength(0);

    // status and doctor count the days whose upvotes may still move
    const db = openDb(dbPath(), { readonly: true });
    try {
      // 03-15 was fetched when 14 days old: settled. 03-14 was last fetched at 7 days old.
      expect(archiveStatus(db, dbPath(), () => false, new Date('2025-03-29T08:00:00Z')).unsettledDays).toBe(15);
      const f = checkArchive(db, new Date('2025-03-29T08:00:00Z')).find((x) => x.check === 'upvotes')!;
      expect(f).toEqual({
        check: 'upvotes',
        ok: true,
        detail:
          '15 listing days whose upvotes may still move; 14 under 14 days old, refreshed once a day by `papers sync`; ' +
          '1 older, last fetched before they settled (papers sync --date 2025-03-14 refreshes them)',
        days: ['2025-03-14', ...dayRange('2025-03-16', '2025-03-29')],
      });
    } finally {
      db.close();
    }
    const status = JSON.parse((await cli(['status', '--json'], '2025-03-29T08:00:00Z')).stdout) as {
      unsettledDays: number;
    };
    expect(status.unsettledDays).toBe(15);
  });
});

/** The core sync with a deadline, as `--deadline` will call it. */
function syncWithDeadline(days: string[], deadlineMs: number): Promise<unknown> {
  const opts = { days, concurrency: 1, deadlineMs };
  return coreSync(dbPath(), server.url, '2025-04-20T12:00:00Z', opts, { maxRetryAfterMs: 60_000 }).catch(
    (e: unknown) => e,
  );
}

describe('a total budget for a run (deadlineMs)', () => {
  it('a host that stalls: the run ends at the deadline, the days done are saved, the days left are named', async () => {
    const days = dayRange('2025-04-01', '2025-04-05');
    // The first hang holds the run until its deadline: the later days may never be asked for.
    for (const d of days.slice(2)) {
      server.faults.push({ match: `date=${d}&`, kind: 'hang', times: Infinity, optional: d !== days[2] });
    }
    const err = (await syncWithDeadline(days, 400)) as SyncDeadlineError;
    expect(err).toBeInstanceOf(SyncDeadlineError);
    expect(err.exitCode).toBe(1);
    expect(err.message).toBe(
      'the sync ran out of its time budget: 2 of 5 days synced, 3 left (2025-04-03..2025-04-05)',
    );
    expect(err.left).toEqual(days.slice(2));
    expect(err.summary).toMatchObject({ ok: 2, failed: 0 });
    expect(query(dbPath(), 'SELECT DISTINCT day FROM listings ORDER BY day').map((r) => r.day)).toEqual(
      days.slice(0, 2),
    );
    expect(query(dbPath(), 'SELECT status, error FROM sync_runs')).toEqual([{ status: 'failed', error: err.message }]);
  });

  it('a host that answers 429 again and again ends within the budget too', async () => {
    server.faults.push({
      match: 'daily_papers',
      kind: 'status',
      status: 429,
      headers: { 'retry-after': '30' },
      times: Infinity,
    });
    const err = await syncWithDeadline(dayRange('2025-04-01', '2025-04-03'), 300);
    expect(err).toBeInstanceOf(SyncDeadlineError);
    expect((err as SyncDeadlineError).left).toEqual(dayRange('2025-04-01', '2025-04-03'));
    expect(server.requests.length).toBe(1);
  });

  it('a run that finishes in time is not affected', async () => {
    const s = await syncWithDeadline(dayRange('2025-04-01', '2025-04-02'), 60_000);
    expect(s).toMatchObject({ ok: 2, failed: 0 });
  });
});

describe('a body over the size limit', () => {
  it('fails its day with one clear error after one request; the other days are saved', async () => {
    const big = `[${' '.repeat(100 * 1024)}]`;
    server.faults.push({ match: 'date=2025-04-02&', kind: 'status', status: 200, body: big, times: Infinity });
    const r = await runCli(['sync', '--since', '2025-04-01', '--until', '2025-04-03'], {
      home,
      now: '2025-04-20T12:00:00Z',
      env: { HF_ENDPOINT: server.url },
      http: { maxBodyBytes: 64 * 1024 },
    });
    expect(r.exitCode).toBe(1);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('error:'))).toEqual([
      `error: 2025-04-02: ${server.url}/api/daily_papers?date=2025-04-02&limit=100&p=0 sent a body of 100 KiB (Content-Length), over the 64 KiB limit of papers`,
    ]);
    expect(server.requests.filter((q) => q.query.date === '2025-04-02')).toHaveLength(1);
    expect(query(dbPath(), 'SELECT DISTINCT day FROM listings ORDER BY day').map((x) => x.day)).toEqual([
      '2025-04-01',
      '2025-04-03',
    ]);
  });
});

describe('credentials in HF_ENDPOINT', () => {
  it('never reach -v logs, errors or what the archive stores', async () => {
    const port = new URL(server.url).port;
    const endpoint = `http://alice:s3cret@127.0.0.1:${port}`;
    server.faults.push({ match: 'date=2025-04-02&', kind: 'status', status: 503, times: Infinity });
    server.faults.push({ match: 'date=2025-04-03&', kind: 'status', status: 404, times: Infinity });
    server.faults.push({ match: '/papers/date/2025-04-03', kind: 'status', status: 404, times: Infinity });
    const r = await cli(
      ['sync', '--since', '2025-04-01', '--until', '2025-04-03', '--verbose'],
      '2025-04-20T12:00:00Z',
      endpoint,
    );
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(
      `GET http://***@127.0.0.1:${port}/api/daily_papers?date=2025-04-01&limit=100&p=0 → HTTP 200`,
    );
    expect(r.stderr).toContain(
      `error: 2025-04-02: http://***@127.0.0.1:${port}/api/daily_papers?date=2025-04-02&limit=100&p=0 answered HTTP 503 after retries`,
    );
    expect(r.stderr).toContain(`hint: HF_ENDPOINT is http://***@127.0.0.1:${port}`);
    expect(r.stderr).not.toMatch(/s3cret|alice/);
    const stored = JSON.stringify([
      query(dbPath(), 'SELECT error FROM sync_days'),
      query(dbPath(), 'SELECT error FROM sync_runs'),
    ]);
    expect(stored).toContain('http://***@127.0.0.1');
    expect(stored).not.toMatch(/s3cret|alice/);
    const status = await cli(['status', '--json'], '2025-04-20T12:00:00Z', endpoint);
    expect(status.stdout).not.toMatch(/s3cret|alice/);
  });

  it('a host that cannot be reached is named by host and port alone', async () => {
    const port = await freePort();
    const r = await cli(
      ['sync', '--date', '2025-04-01'],
      '2025-04-20T12:00:00Z',
      `http://alice:s3cret@127.0.0.1:${port}`,
    );
    expect(r.exitCode).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe(
      `error: cannot reach 127.0.0.1:${port} (connection refused): 1 day not fetched`,
    );
    expect(r.stderr).toContain(`hint: check HF_ENDPOINT (http://***@127.0.0.1:${port}) and the network`);
    expect(r.stderr).not.toMatch(/s3cret|alice/);
    expect(JSON.stringify(query(dbPath(), 'SELECT error FROM sync_days'))).not.toMatch(/s3cret/);
  });
});
