// `papers sync`: which days it fetches, what it writes, what it leaves alone when a
// day fails, what it prints, and two syncs on one archive.
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkFts, dumpArchive, fixtureDays, query, useHfServer, type Entry } from './helpers/fixtures.js';
import { runCli, tempHome, type RunCliOptions } from './helpers/run-cli.js';

const server = useHfServer((day: string) => overrides.get(day) ?? days.get(day));
let home: string;
/** Per-test overrides of what the server lists for a day. */
const overrides = new Map<string, Entry[]>();
const days = fixtureDays();

beforeEach(() => {
  server.faults.length = 0;
  server.requests.length = 0;
  overrides.clear();
  home = tempHome();
});

function sync(args: string[], now: string, opts: RunCliOptions = {}) {
  return runCli(['sync', ...args], { home, now, ...opts, env: { HF_ENDPOINT: server.url, ...opts.env } });
}

/** The days requested since the last call, sorted. */
function requestedDays(): string[] {
  const out = [...new Set(server.requests.map((r) => r.query.date ?? r.path))].sort();
  server.requests.length = 0;
  return out;
}

const dbPath = () => join(home, 'papers.db');
const count = (sql: string, ...params: unknown[]) => query<{ n: number }>(dbPath(), sql, ...params)[0]!.n;

describe('incremental plan', () => {
  it('first run: the last 7 days; then after the last synced day through today, plus the 3 most recent synced days again', async () => {
    let r = await sync([], '2025-03-17T12:00:00Z');
    expect(r.exitCode).toBe(0);
    expect(requestedDays()).toEqual([
      '2025-03-11',
      '2025-03-12',
      '2025-03-13',
      '2025-03-14',
      '2025-03-15',
      '2025-03-16',
      '2025-03-17',
    ]);
    expect(r.stderr).toBe('synced 7 days: 2 papers (2 papers new to the archive, 0 updated), 0 failed\n');

    r = await sync([], '2025-03-18T06:00:00Z');
    expect(r.exitCode).toBe(0);
    expect(requestedDays()).toEqual(['2025-03-15', '2025-03-16', '2025-03-17', '2025-03-18']);

    r = await sync([], '2025-03-18T09:00:00Z');
    expect(requestedDays()).toEqual(['2025-03-16', '2025-03-17', '2025-03-18']);

    // a week off: the gap, plus the 3 most recent synced days
    r = await sync([], '2025-03-25T09:00:00Z');
    expect(requestedDays()).toEqual([
      '2025-03-16',
      '2025-03-17',
      '2025-03-18',
      '2025-03-19',
      '2025-03-20',
      '2025-03-21',
      '2025-03-22',
      '2025-03-23',
      '2025-03-24',
      '2025-03-25',
    ]);
    expect(count('SELECT count(*) AS n FROM listings')).toBe(2);
  });

  it('a recent day that failed is tried again by the next run', async () => {
    server.faults.push({ match: 'date=2025-03-12', kind: 'status', status: 503, times: Infinity });
    let r = await sync([], '2025-03-17T12:00:00Z');
    expect(r.exitCode).toBe(1);
    requestedDays();
    server.faults.length = 0;
    r = await sync([], '2025-03-18T12:00:00Z');
    expect(r.exitCode).toBe(0);
    expect(requestedDays()).toEqual(['2025-03-12', '2025-03-15', '2025-03-16', '2025-03-17', '2025-03-18']);
  });
});

describe('days before Daily Papers existed', () => {
  it('are skipped with a note; a range entirely before them is a usage error', async () => {
    let r = await sync(['--since', '2023-04-28', '--until', '2023-05-02'], '2025-03-17T12:00:00Z');
    expect(r.exitCode).toBe(0);
    expect(requestedDays()).toEqual(['2023-05-01', '2023-05-02']);
    expect(r.stderr).toBe(
      'note: Daily Papers lists start in 2023-05: skipping 3 days before 2023-05-01\nsynced 2 days: 0 papers (0 papers new to the archive, 0 updated), 0 failed\n',
    );
    r = await sync(['--date', '2020-01-01'], '2025-03-17T12:00:00Z');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe(
      'error: 2020-01-01 is before the first Daily Papers list (2023-05-01)\nhint: papers sync --since 2023-05-01\n',
    );
    expect(requestedDays()).toEqual([]);
  });
});

describe('a wrong HF_ENDPOINT path', () => {
  it('the API and the page both 404: the message names the API request first', async () => {
    const r = await sync(['--date', '2025-03-17'], '2025-03-18T00:00:00Z', {
      env: { HF_ENDPOINT: `${server.url}/mirror` },
    });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(
      `2025-03-17: ${server.url}/mirror/api/daily_papers?date=2025-03-17&limit=100&p=0 answered HTTP 404, and so did the page ${server.url}/mirror/papers/date/2025-03-17`,
    );
  });
});

describe('incremental plan: holes', () => {
  it('days skipped by `today` or `sync --date` ahead of the rest are fetched by the next run', async () => {
    let r = await sync(['--since', '2025-03-03', '--until', '2025-03-05'], '2025-03-17T12:00:00Z');
    expect(r.exitCode).toBe(0);
    r = await sync(['--date', '2025-03-17'], '2025-03-17T12:00:00Z'); // what `papers today` does
    expect(r.exitCode).toBe(0);
    requestedDays();
    r = await sync([], '2025-03-17T13:00:00Z');
    expect(r.exitCode).toBe(0);
    // 03-06..03-16 were never fetched; 03-17, 03-05 and 03-04 are the 3 most recent synced
    // days (fetched again as usual). Before this, the plan started after 03-17: nothing.
    expect(requestedDays()).toEqual(Array.from({ length: 14 }, (_, i) => `2025-03-${String(4 + i).padStart(2, '0')}`));
    requestedDays();
    r = await sync([], '2025-03-17T14:00:00Z');
    expect(requestedDays()).toEqual(['2025-03-15', '2025-03-16', '2025-03-17']);
  });

  it('back after longer than the window: the whole window is filled, not only from what `today` fetched', async () => {
    let r = await sync(['--since', '2025-01-06', '--until', '2025-01-10'], '2025-03-17T12:00:00Z');
    expect(r.exitCode).toBe(0);
    r = await sync(['--since', '2025-03-11'], '2025-03-17T12:00:00Z'); // what `papers today` fetches on a stale archive
    requestedDays();
    r = await sync([], '2025-03-17T13:00:00Z');
    expect(r.exitCode).toBe(0);
    // The window is the 30 days before today: 02-15 .. 03-10 were never fetched.
    const got = requestedDays();
    expect(got[0]).toBe('2025-02-15');
    expect(got).toContain('2025-03-10');
    expect(got).not.toContain('2025-02-14');
  });
});

describe('explicit days', () => {
  const NOW = '2025-03-17T12:00:00Z';
  it.each([
    [['--date', '2025-03-14'], ['2025-03-14']],
    [['--date', 'yesterday'], ['2025-03-16']],
    [
      ['--since', '2025-03-13', '--until', '2025-03-15'],
      ['2025-03-13', '2025-03-14', '2025-03-15'],
    ],
    [
      ['--since', '2025-03-15'],
      ['2025-03-15', '2025-03-16', '2025-03-17'],
    ],
    [
      ['--since', '2025-03-16', '--until', '2025-04-30'],
      ['2025-03-16', '2025-03-17'],
    ],
    [
      ['--days', '3'],
      ['2025-03-15', '2025-03-16', '2025-03-17'],
    ],
    [['--days', '1'], ['2025-03-17']],
    [
      ['--days', '5', '--until', '2025-03-15'],
      ['2025-03-13', '2025-03-14', '2025-03-15'],
    ],
    [
      ['--month', '2025-03', '--since', '2025-03-16'],
      ['2025-03-16', '2025-03-17'],
    ],
  ])('%j fetches %j', async (args, expected) => {
    const r = await sync(args, NOW);
    expect(r.exitCode).toBe(0);
    expect(requestedDays()).toEqual(expected);
  });

  it('a whole year in one command', async () => {
    const r = await sync(
      ['--since', '2024-01-01', '--until', '2024-12-31', '--concurrency', '8'],
      '2025-03-17T12:00:00Z',
    );
    expect(r.exitCode).toBe(0);
    expect(requestedDays()).toHaveLength(366);
    // The fixture of 2024-07-01 has two entries without an id or a title: the day is kept,
    // warned about and fetched again later (issue 15.1), not counted as settled.
    expect(r.stderr).toBe(
      'warning: 2024-07-01: 2 entries for 2024-07-01 had no id or title and were left out: kept every listing, ' +
        'the next sync fetches it again\nsynced 366 days: 6 papers (6 papers new to the archive, 0 updated), 0 failed, 1 unsettled\n',
    );
    expect(count('SELECT count(*) AS n FROM listings')).toBe(7);
    expect(count('SELECT count(*) AS n FROM sync_days')).toBe(366);
  });

  it('ranges skip days that have settled; --force and --date fetch them again', async () => {
    const NOW2 = '2025-03-25T12:00:00Z';
    await sync(['--since', '2025-03-14', '--until', '2025-03-17'], NOW2);
    expect(requestedDays()).toHaveLength(4);
    let r = await sync(['--since', '2025-03-14', '--until', '2025-03-17'], NOW2);
    expect(r.exitCode).toBe(0);
    expect(requestedDays()).toEqual([]);
    expect(r.stderr).toBe(
      'synced 0 days: 0 papers (0 papers new to the archive, 0 updated), 0 failed, 4 settled days skipped\n',
    );
    r = await sync(['--since', '2025-03-14', '--until', '2025-03-17', '--force'], NOW2);
    expect(requestedDays()).toEqual(['2025-03-14', '2025-03-15', '2025-03-16', '2025-03-17']);
    r = await sync(['--date', '2025-03-17'], NOW2);
    expect(requestedDays()).toEqual(['2025-03-17']);
  });
});

describe('what a sync writes', () => {
  const NOW = '2024-06-20T12:00:00Z';
  const RANGE = ['--since', '2024-06-13', '--until', '2024-06-19'];

  it('an identical second sync changes no paper row and adds no listing', async () => {
    await sync(RANGE, NOW);
    const first = dumpArchive(dbPath());
    expect(first.papers).toHaveLength(3);
    expect(first.listings).toHaveLength(4);
    // a later clock, same upstream: nothing to write
    const r = await sync([...RANGE, '--force', '--json'], '2024-06-21T12:00:00Z');
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ days: 7, ok: 2, empty: 5, failed: 0, papers: 3, new: 0, updated: 0 });
    expect(dumpArchive(dbPath())).toEqual(first);
    expect(query(dbPath(), 'SELECT DISTINCT updated_at FROM papers')).toEqual([
      { updated_at: '2024-06-20T12:00:00.000Z' },
    ]);
  });

  it('changed upstream values update the row and its updated_at, not first_seen', async () => {
    await sync(['--date', '2024-06-19'], NOW);
    const changed = structuredClone(days.get('2024-06-19')!);
    changed[0]!.paper.upvotes = 99;
    overrides.set('2024-06-19', changed);
    const r = await sync(['--date', '2024-06-19'], '2024-06-21T12:00:00Z');
    expect(r.stderr).toBe('synced 1 day: 2 papers (0 papers new to the archive, 1 updated), 0 failed\n');
    expect(query(dbPath(), `SELECT upvotes, first_seen, updated_at FROM papers WHERE id = '2406.12044'`)).toEqual([
      { upvotes: 99, first_seen: '2024-06-20T12:00:00.000Z', updated_at: '2024-06-21T12:00:00.000Z' },
    ]);
    // a new title and abstract: the FTS index follows
    changed[0]!.title = 'Pixel Pointers, Revised';
    changed[0]!.paper.summary = 'Now about quokkas.';
    await sync(['--date', '2024-06-19'], '2024-06-22T12:00:00Z');
    checkFts(dbPath());
    expect(
      query(dbPath(), `SELECT p.id FROM papers_fts f JOIN papers p ON p.pk = f.rowid WHERE papers_fts MATCH 'quokkas'`),
    ).toEqual([{ id: '2406.12044' }]);
    expect(query(dbPath(), `SELECT count(*) AS n FROM papers_fts WHERE papers_fts MATCH 'chart'`)).toEqual([{ n: 0 }]);
  });

  it('a paper on two days is one paper with two listings', async () => {
    await sync(RANGE, NOW);
    expect(query(dbPath(), `SELECT day, rank FROM listings WHERE paper_id = '2406.08117' ORDER BY day`)).toEqual([
      { day: '2024-06-13', rank: 1 },
      { day: '2024-06-19', rank: 2 },
    ]);
    expect(count(`SELECT count(*) AS n FROM papers WHERE id = '2406.08117'`)).toBe(1);
  });

  it('records each day: outcome, entries, skipped', async () => {
    await sync(['--since', '2024-06-29', '--until', '2024-07-01'], '2024-07-02T00:00:00Z');
    expect(query(dbPath(), 'SELECT day, outcome, entries, skipped FROM sync_days ORDER BY day')).toEqual([
      { day: '2024-06-29', outcome: 'empty', entries: 0, skipped: 0 },
      { day: '2024-06-30', outcome: 'empty', entries: 0, skipped: 0 },
      { day: '2024-07-01', outcome: 'ok', entries: 1, skipped: 2 },
    ]);
  });
});

describe('a day that fails', () => {
  const NOW = '2024-06-20T12:00:00Z';
  const RANGE = ['--since', '2024-06-13', '--until', '2024-06-19'];

  it('is reported, the other days are saved, exit 1', async () => {
    server.faults.push({ match: 'date=2024-06-19', kind: 'status', status: 503, times: Infinity });
    const r = await sync(RANGE, NOW);
    expect(r.exitCode).toBe(1);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(
      `error: 2024-06-19: ${server.url}/api/daily_papers?date=2024-06-19&limit=100&p=0 answered HTTP 503 after retries`,
    );
    expect(lines[1]).toBe('synced 7 days: 2 papers (2 papers new to the archive, 0 updated), 1 failed');
    expect(lines[2]).toContain(`HF_ENDPOINT is ${server.url}`);
    expect(query(dbPath(), 'SELECT DISTINCT day FROM listings ORDER BY day')).toEqual([{ day: '2024-06-13' }]);
    expect(query(dbPath(), `SELECT outcome FROM sync_days WHERE day = '2024-06-19'`)).toEqual([{ outcome: 'failed' }]);
    const status = JSON.parse((await runCli(['status', '--json'], { home })).stdout);
    expect(status.failedDays.map((f: { day: string }) => f.day)).toEqual(['2024-06-19']);
    expect(status.lastSync).toMatchObject({ status: 'failed', failedDays: 1 });
  });

  it('is left as it was: never written empty, its papers untouched', async () => {
    await sync(RANGE, NOW);
    const before = dumpArchive(dbPath());
    const changed = structuredClone(days.get('2024-06-13')!);
    changed[1]!.paper.upvotes = 50;
    overrides.set('2024-06-13', changed);
    server.faults.push({ match: 'date=2024-06-19', kind: 'truncate-eof', times: Infinity });
    const r = await sync([...RANGE, '--force'], '2024-06-21T12:00:00Z');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^error: 2024-06-19: .*not valid JSON \(truncated\?\)$/m);
    const after = dumpArchive(dbPath());
    // 2024-06-13 was saved with its new value...
    expect(after.papers.find((p) => p.id === '2406.07790')).toMatchObject({ upvotes: 50 });
    // ...and 2024-06-19 kept its listings and its papers exactly
    expect(after.listings).toEqual(before.listings);
    for (const id of ['2406.12044', '2406.08117']) {
      expect(after.papers.find((p) => p.id === id)).toEqual(before.papers.find((p) => p.id === id));
    }
  });

  it('an empty list from upstream for a day that has papers keeps them, and says so', async () => {
    await sync(['--date', '2024-06-19'], NOW);
    const before = dumpArchive(dbPath());
    overrides.set('2024-06-19', []);
    const r = await sync(['--date', '2024-06-19'], '2024-06-21T12:00:00Z');
    expect(r.stderr).toContain(
      'error: 2024-06-19: upstream returned an empty list for 2024-06-19, which has 2 papers in the archive; kept them',
    );
    expect(r.exitCode).toBe(1);
    expect(dumpArchive(dbPath())).toEqual(before);
  });

  it('-q prints the errors only; --json prints the summary on stdout', async () => {
    server.faults.push({ match: 'date=2024-06-19', kind: 'status', status: 500, times: Infinity });
    let r = await sync([...RANGE, '-q'], NOW);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^error: 2024-06-19: .*HTTP 500 after retries$/),
      expect.stringMatching(/^hint: /),
    ]);
    expect(r.stdout).toBe('');
    r = await sync([...RANGE, '--json', '--force'], NOW);
    expect(r.exitCode).toBe(1);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({
      source: 'hf',
      days: 7,
      failed: 1,
      failures: [{ day: '2024-06-19', error: expect.stringContaining('HTTP 500') }],
    });
  });
});

describe('output', () => {
  it('on a TTY: a spinner on stderr, then the summary line; stdout stays empty', async () => {
    const r = await sync(['--date', '2025-03-17'], '2025-03-18T00:00:00Z', { tty: true });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('syncing');
    expect(r.stderr.endsWith('synced 1 day: 2 papers (2 papers new to the archive, 0 updated), 0 failed\n')).toBe(true);
  });

  it('a terminal that reports no width (script(1) without one): no spinner, no endless clearing', async () => {
    // ora divides by the width to count the lines it clears: a width of 0 made it loop forever.
    const r = await sync(['--date', '2025-03-17'], '2025-03-18T00:00:00Z', { tty: true, columns: 0 });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('synced 1 day: 2 papers (2 papers new to the archive, 0 updated), 0 failed\n');
  });

  it('--json on a TTY: the summary on stdout, no spinner', async () => {
    const r = await sync(['--date', '2025-03-17', '--json'], '2025-03-18T00:00:00Z', { tty: true });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({
      source: 'hf',
      days: 1,
      ok: 1,
      empty: 0,
      failed: 0,
      papers: 2,
      new: 2,
      updated: 0,
      requests: 1,
      failures: [],
    });
  });

  it('--week and --month name their days', async () => {
    await sync(['--week', '2025-W12'], '2025-04-30T00:00:00Z');
    expect(requestedDays()).toEqual([
      '2025-03-17',
      '2025-03-18',
      '2025-03-19',
      '2025-03-20',
      '2025-03-21',
      '2025-03-22',
      '2025-03-23',
    ]);
    await sync(['--month', '2024-02'], '2025-04-30T00:00:00Z');
    expect(requestedDays()).toHaveLength(29);
  });
});

describe('quiet success', () => {
  it('-q prints nothing at all', async () => {
    const r = await sync(['--date', '2025-03-17', '-q'], '2025-03-18T00:00:00Z');
    expect(r).toEqual({ stdout: '', stderr: '', exitCode: 0 });
  });
});

describe('two syncs at once on one archive', () => {
  const NOW = '2024-06-30T12:00:00Z';
  const RANGE = ['--since', '2024-06-13', '--until', '2024-06-19', '--concurrency', '2'];

  it('the second waits for the first; the result is that of one sync', async () => {
    const refHome = home;
    await sync(RANGE, NOW);
    const reference = dumpArchive(join(refHome, 'papers.db'));
    server.requests.length = 0;

    home = tempHome();
    server.faults.push({ match: 'daily_papers', kind: 'delay', ms: 100, times: Infinity });
    const [a, b] = await Promise.all([sync(RANGE, NOW), sync(RANGE, NOW)]);
    expect([a.exitCode, b.exitCode]).toEqual([0, 0]);
    const waited = [a, b].filter((r) => r.stderr.includes('waiting for another sync'));
    expect(waited).toHaveLength(1);
    // the holder's pid when its run is already recorded (it may not be, a moment after it took the lock)
    expect(waited[0]!.stderr).toMatch(
      new RegExp(`^waiting for another sync( \\(pid ${process.pid}, hf\\))? to finish…\n`),
    );
    // the first fetched the week; the second found it settled
    expect(server.requests).toHaveLength(7);
    expect(dumpArchive(dbPath())).toEqual(reference);
    expect(query(dbPath(), 'SELECT status, days FROM sync_runs ORDER BY id')).toEqual([
      { status: 'ok', days: 7 },
      { status: 'ok', days: 0 },
    ]);
  });

  it('with --wait 0 the second exits at once with a clear message', async () => {
    server.faults.push({ match: 'daily_papers', kind: 'delay', ms: 100, times: Infinity });
    const [a, b] = await Promise.all([sync(RANGE, NOW), sync([...RANGE, '--wait', '0'], NOW)]);
    const results = [a, b].sort((x, y) => x.exitCode - y.exitCode);
    expect(results.map((r) => r.exitCode)).toEqual([0, 1]);
    expect(results[1]!.stderr).toMatch(
      /^error: another papers sync is running on this archive( \(pid \d+, started [^)]+\))?\nhint: /,
    );
    expect(server.requests).toHaveLength(7);
    expect(count('SELECT count(*) AS n FROM listings')).toBe(4);
  });
});

describe('interrupted', () => {
  it('Ctrl-C leaves whole days: the days done are saved, the day in progress is not written, exit 130', async () => {
    const ac = new AbortController();
    server.faults.push({ match: 'date=2024-06-19', kind: 'hang', times: Infinity });
    const running = sync(
      ['--since', '2024-06-13', '--until', '2024-06-19', '--concurrency', '1'],
      '2024-06-20T12:00:00Z',
      { signal: ac.signal },
    );
    while (!server.requests.some((r) => r.query.date === '2024-06-19')) await new Promise((r) => setTimeout(r, 5));
    ac.abort();
    const r = await running;
    expect(r.exitCode).toBe(130);
    expect(r.stderr).toBe('interrupted: 6 of 7 days synced, the day in progress was not written\n');
    expect(query(dbPath(), 'SELECT day, count(*) AS n FROM listings GROUP BY day')).toEqual([
      { day: '2024-06-13', n: 2 },
    ]);
    expect(query(dbPath(), `SELECT count(*) AS n FROM sync_days WHERE day = '2024-06-19'`)).toEqual([{ n: 0 }]);
    expect(query(dbPath(), 'SELECT status, days FROM sync_runs')).toEqual([{ status: 'interrupted', days: 6 }]);
    // the next sync completes the rest
    server.faults.length = 0;
    server.requests.length = 0;
    const next = await sync([], '2024-06-20T13:00:00Z');
    expect(next.exitCode).toBe(0);
    expect(count(`SELECT count(*) AS n FROM listings WHERE day = '2024-06-19'`)).toBe(2);
  });
});
