// `papers status`: the archive at a glance, as JSON and as text.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { fixtureDays, useHfServer } from './helpers/fixtures.js';
import { runCli, tempHome } from './helpers/run-cli.js';

const KEYS = ['db', 'papers', 'listings', 'days', 'firstDay', 'lastDay', 'lastSync', 'failedDays'];
const server = useHfServer(fixtureDays());

describe('papers status', () => {
  it('--json on a new archive; none where there is no archive', async () => {
    const home = tempHome();
    const none = await runCli(['status', '--json'], { home });
    expect(none.exitCode).toBe(1);
    expect(none.stdout).toBe('');
    expect(existsSync(join(home, 'papers.db'))).toBe(false);
    expect((await runCli(['today', '--offline'], { home })).exitCode).toBe(0);
    const r = await runCli(['status', '--json'], { home });
    expect(r.exitCode).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(Object.keys(s)).toEqual(expect.arrayContaining(KEYS));
    expect(s).toMatchObject({
      db: join(home, 'papers.db'),
      papers: 0,
      listings: 0,
      days: 0,
      firstDay: null,
      lastDay: null,
      lastSync: null,
      failedDays: [],
    });
  });

  it('--json after syncs, one of which failed a day', async () => {
    const home = tempHome();
    const env = { HF_ENDPOINT: server.url };
    await runCli(['sync', '--since', '2024-06-13', '--until', '2024-06-19'], {
      home,
      env,
      now: '2024-06-20T08:00:00Z',
    });
    server.faults.push({ match: 'date=2024-07-01', kind: 'status', status: 502, times: Infinity });
    try {
      const r = await runCli(['sync', '--since', '2024-06-30', '--until', '2024-07-01'], {
        home,
        env,
        now: '2024-07-01T09:00:00Z',
      });
      expect(r.exitCode).toBe(1);
    } finally {
      server.faults.length = 0;
    }
    const s = JSON.parse((await runCli(['status', '--json'], { home })).stdout);
    expect(s).toMatchObject({
      db: join(home, 'papers.db'),
      papers: 3,
      listings: 4,
      days: 2,
      firstDay: '2024-06-13',
      lastDay: '2024-06-19',
      lastSync: { startedAt: '2024-07-01T09:00:00.000Z', status: 'failed', days: 2, failedDays: 1 },
      failedDays: [
        {
          source: 'hf',
          day: '2024-07-01',
          at: '2024-07-01T09:00:00.000Z',
          error: expect.stringContaining('HTTP 502'),
        },
      ],
    });
    expect(s.size).toBeGreaterThan(0);
  });

  it('while a sync runs: the days it has saved so far, not 0', async () => {
    const home = tempHome();
    const env = { HF_ENDPOINT: server.url };
    server.requests.length = 0;
    server.faults.push({ match: 'date=2024-06-19', kind: 'hang', times: Infinity });
    const controller = new AbortController();
    try {
      const sync = runCli(['sync', '--since', '2024-06-13', '--until', '2024-06-19', '--concurrency', '1'], {
        home,
        env,
        now: '2024-06-20T08:00:00Z',
        signal: controller.signal,
      });
      const deadline = Date.now() + 10_000;
      while (!server.requests.some((r) => r.query.date === '2024-06-19') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 5));
      const s = JSON.parse((await runCli(['status', '--json'], { home })).stdout);
      // 06-13 lists 2 papers; 06-14..06-18 were fetched too (06-15 is an empty weekend day,
      // the others 404); 06-19 hangs.
      expect(s.lastSync).toMatchObject({ status: 'running', days: 6, failedDays: 0, papers: 2, newPapers: 2 });
      const text = (await runCli(['status'], { home })).stdout;
      expect(text).toMatch(/^last sync\t.*: running, 6 days so far, 2 papers \(2 new\)$/m);
      controller.abort();
      expect((await sync).exitCode).toBe(130);
    } finally {
      server.faults.length = 0;
    }
  });

  it('a sync killed outright (its process is gone) shows as interrupted, not running forever', async () => {
    const home = tempHome();
    const r = await runCli(['sync', '--date', '2025-03-17'], {
      home,
      env: { HF_ENDPOINT: server.url },
      now: '2025-03-18T00:00:00Z',
    });
    expect(r.exitCode).toBe(0);
    // A run left marked running by a process that is gone: the sync lock is free.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const db = new Database(join(home, 'papers.db'));
    db.prepare(
      `INSERT INTO sync_runs (source, pid, started_at, status) VALUES ('hf', ?, '2025-03-18T00:00:00.000Z', 'running')`,
    ).run(dead);
    db.close();
    const s = JSON.parse((await runCli(['status', '--json'], { home })).stdout);
    expect(s.lastSync).toMatchObject({ status: 'interrupted', days: 1, papers: 2 });
    expect(s.lastSync).not.toHaveProperty('pid');
  });

  it('piped: key<TAB>value lines', async () => {
    const home = tempHome();
    await runCli(['sync', '--date', '2025-03-17'], {
      home,
      env: { HF_ENDPOINT: server.url },
      now: '2025-03-18T00:00:00Z',
    });
    const r = await runCli(['status'], { home, now: '2025-03-18T01:00:00Z' });
    expect(r.exitCode).toBe(0);
    const rows = Object.fromEntries(
      r.stdout
        .trimEnd()
        .split('\n')
        .map((l) => l.split('\t') as [string, string]),
    );
    expect(rows).toMatchObject({
      papers: '2',
      'first day': '2025-03-17',
      'last day': '2025-03-17',
      'last sync': '2025-03-18T00:00:00.000Z: ok, 1 day, 2 papers (2 new)',
      'failed days': 'none',
    });
    expect(rows.archive).toMatch(
      new RegExp(`^${join(home, 'papers.db').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(\\d+(\\.\\d)? KiB\\)$`),
    );
  });

  it('the archive path: --db, else PAPERS_DB, else PAPERS_HOME, else XDG_DATA_HOME, else ~/.local/share; folders created', async () => {
    const t = tempHome();
    const where = async (argv: string[], env: Record<string, string | undefined>) => {
      // A writer creates the archive (and its folders) where the precedence says; status reads it there.
      const opts = { env: { PAPERS_HOME: undefined, HOME: join(t, 'home'), ...env } };
      expect((await runCli([...argv, 'today', '--offline', '-q'], opts)).exitCode).toBe(0);
      const r = await runCli([...argv, 'status', '--json'], opts);
      expect(r.stderr).toBe('');
      const db = JSON.parse(r.stdout).db as string;
      expect(existsSync(db)).toBe(true);
      return db;
    };
    const all = { PAPERS_DB: join(t, 'env', 'p.db'), PAPERS_HOME: join(t, 'ph'), XDG_DATA_HOME: join(t, 'xdg') };
    expect(await where(['--db', join(t, 'flag', 'deep', 'p.db')], all)).toBe(join(t, 'flag', 'deep', 'p.db'));
    expect(await where([], all)).toBe(join(t, 'env', 'p.db'));
    expect(await where([], { ...all, PAPERS_DB: undefined })).toBe(join(t, 'ph', 'papers.db'));
    expect(await where([], { XDG_DATA_HOME: join(t, 'xdg') })).toBe(join(t, 'xdg', 'papers', 'papers.db'));
    expect(await where([], {})).toBe(join(t, 'home', '.local', 'share', 'papers', 'papers.db'));
  });
});
