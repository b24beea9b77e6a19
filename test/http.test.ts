// HTTP against a real local server: what is retried, what is not, how long we are
// asked to wait, paging, the HTML fallback, and the exact requests that were made.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseWaitHeader } from '../src/http/client.js';
// @ts-ignore: a plain ESM helper without type declarations
import { renderPage } from '../kit/hf-server.mjs';
import { ROOT, fixtureDays, makeEntries, query, requestLog, useHfServer } from './helpers/fixtures.js';
import { runCli, tempHome, type RunCliOptions } from './helpers/run-cli.js';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const NOW = '2025-03-20T12:00:00Z';
const DAY = '2025-03-17';
const API = `api ${DAY} limit=100 p=0`;

const DAYS = fixtureDays();
DAYS.set('2025-02-03', makeEntries('2025-02-03', 250));
DAYS.set('2025-02-04', makeEntries('2025-02-04', 100));
DAYS.set('2025-02-05', makeEntries('2025-02-05', 99));
const server = useHfServer(DAYS);
let home: string;

beforeEach(() => {
  server.faults.length = 0;
  server.requests.length = 0;
  home = tempHome();
});

function sync(args: string[], opts: RunCliOptions = {}) {
  return runCli(['sync', ...args], { home, now: NOW, ...opts, env: { HF_ENDPOINT: server.url, ...opts.env } });
}

const dbPath = () => join(home, 'papers.db');
const paperIds = (day = DAY) =>
  query<{ paper_id: string }>(dbPath(), 'SELECT paper_id FROM listings WHERE day = ? ORDER BY rank', day).map(
    (r) => r.paper_id,
  );
const dayRecord = (day = DAY) =>
  query<Record<string, unknown>>(
    dbPath(),
    'SELECT outcome, entries, requests, via, error FROM sync_days WHERE day = ?',
    day,
  )[0];

describe('requests', () => {
  it('200: one request with limit=100&p=0, a papers/<version> User-Agent, no Authorization', async () => {
    const r = await sync(['--date', DAY]);
    expect(r.exitCode).toBe(0);
    expect(requestLog(server)).toEqual([API]);
    const h = server.requests[0]!.headers;
    expect(h['user-agent']).toBe(`papers/${VERSION}`);
    expect(h.authorization).toBeUndefined();
    expect(paperIds()).toEqual(['2503.11002', '2503.10515']);
    expect(dayRecord()).toEqual({ outcome: 'ok', entries: 2, requests: 1, via: 'api', error: null });
  });

  it('HF_TOKEN is sent as a bearer token', async () => {
    const r = await sync(['--date', DAY], { env: { HF_TOKEN: 'hf_abc123' } });
    expect(r.exitCode).toBe(0);
    expect(server.requests.map((q) => q.headers.authorization)).toEqual(['Bearer hf_abc123']);
  });
});

describe('retries', () => {
  it('503 then 200', async () => {
    server.faults.push({ match: 'daily_papers', kind: 'status', status: 503 });
    const r = await sync(['--date', DAY]);
    expect(r.exitCode).toBe(0);
    expect(requestLog(server)).toEqual([API, API]);
    expect(paperIds()).toHaveLength(2);
    expect(dayRecord()).toMatchObject({ outcome: 'ok', requests: 2 });
  });

  it('429 with Retry-After waits as told, then 200', async () => {
    const sleeps: number[] = [];
    server.faults.push({ match: 'daily_papers', kind: 'status', status: 429, headers: { 'retry-after': '2' } });
    const r = await sync(['--date', DAY], { http: { sleep: async (ms: number) => void sleeps.push(ms) } });
    expect(r.exitCode).toBe(0);
    expect(requestLog(server)).toEqual([API, API]);
    expect(sleeps[0]).toBe(2000);
    expect(paperIds()).toHaveLength(2);
  });

  it('429 with RateLimit: "api";r=0;t=1 waits t= seconds, then 200', async () => {
    const sleeps: number[] = [];
    server.faults.push({
      match: 'daily_papers',
      kind: 'status',
      status: 429,
      headers: { ratelimit: '"api";r=0;t=1', 'ratelimit-policy': '"fixed window";"api";q=500;w=300' },
    });
    const r = await sync(['--date', DAY], { http: { sleep: async (ms: number) => void sleeps.push(ms) } });
    expect(r.exitCode).toBe(0);
    expect(requestLog(server)).toEqual([API, API]);
    expect(sleeps[0]).toBe(1000);
  });

  it('a server asking to wait longer than papers waits fails the day at once', async () => {
    server.faults.push({
      match: 'daily_papers',
      kind: 'status',
      status: 429,
      headers: { 'retry-after': '3600' },
      times: Infinity,
    });
    const r = await sync(['--date', DAY]);
    expect(r.exitCode).toBe(1);
    expect(requestLog(server)).toEqual([API]);
    expect(r.stderr).toContain('asks to wait 3600s');
  });

  it('a dropped connection is retried', async () => {
    server.faults.push({ match: 'daily_papers', kind: 'reset' });
    const r = await sync(['--date', DAY]);
    expect(r.exitCode).toBe(0);
    expect(requestLog(server)).toEqual([API, API]);
    expect(paperIds()).toHaveLength(2);
  });

  it('a body cut short of its Content-Length is retried', async () => {
    server.faults.push({ match: 'daily_papers', kind: 'truncate' });
    const r = await sync(['--date', DAY]);
    expect(r.exitCode).toBe(0);
    expect(requestLog(server)).toEqual([API, API]);
    expect(paperIds()).toHaveLength(2);
  });

  it('a body cut short by closing the connection (no Content-Length) is retried', async () => {
    server.faults.push({ match: 'daily_papers', kind: 'truncate-close' });
    const r = await sync(['--date', DAY]);
    expect(r.exitCode).toBe(0);
    expect(requestLog(server)).toEqual([API, API]);
    expect(paperIds()).toHaveLength(2);
  });

  it('a close-delimited body cut short (complete to HTTP, not to JSON) is retried', async () => {
    server.faults.push({ match: 'daily_papers', kind: 'truncate-eof' });
    const r = await sync(['--date', DAY]);
    expect(r.exitCode).toBe(0);
    expect(requestLog(server)).toEqual([API, API]);
    expect(paperIds()).toHaveLength(2);
  });

  it('a 200 HTML error page is retried', async () => {
    server.faults.push({ match: 'daily_papers', kind: 'html200' });
    const r = await sync(['--date', DAY]);
    expect(r.exitCode).toBe(0);
    expect(requestLog(server)).toEqual([API, API]);
    expect(paperIds()).toHaveLength(2);
  });

  it('a request that hangs times out and is retried', async () => {
    server.faults.push({ match: 'daily_papers', kind: 'hang' });
    const r = await sync(['--date', DAY], { http: { timeoutMs: 800 } });
    expect(r.exitCode).toBe(0);
    expect(requestLog(server)).toEqual([API, API]);
    expect(paperIds()).toHaveLength(2);
  });

  it('a body that stalls after the headers times out and is retried', async () => {
    server.faults.push({ match: 'daily_papers', kind: 'slow-body' });
    const r = await sync(['--date', DAY], { http: { timeoutMs: 800 } });
    expect(r.exitCode).toBe(0);
    expect(requestLog(server)).toEqual([API, API]);
    expect(paperIds()).toHaveLength(2);
  });

  it('gives up after 6 attempts: the day fails, exit 1', async () => {
    server.faults.push({ match: 'daily_papers', kind: 'status', status: 503, times: Infinity });
    const r = await sync(['--date', DAY]);
    expect(r.exitCode).toBe(1);
    expect(requestLog(server)).toEqual([API, API, API, API, API, API]);
    expect(r.stderr).toContain(
      `error: ${DAY}: ${server.url}/api/daily_papers?date=${DAY}&limit=100&p=0 answered HTTP 503 after retries`,
    );
    expect(dayRecord()).toMatchObject({ outcome: 'failed', requests: 6 });
  });

  it('a body that never becomes valid fails the day with what it got', async () => {
    server.faults.push({ match: 'daily_papers', kind: 'html200', times: Infinity });
    const r = await sync(['--date', DAY]);
    expect(r.exitCode).toBe(1);
    expect(server.requests).toHaveLength(6);
    expect(r.stderr).toMatch(/returned an HTML page where JSON was expected/);
  });

  it('a hang on every attempt fails with a timeout message', async () => {
    server.faults.push({ match: 'daily_papers', kind: 'hang', times: Infinity });
    const r = await sync(['--date', DAY], { http: { timeoutMs: 150 } });
    expect(r.exitCode).toBe(1);
    expect(server.requests).toHaveLength(6);
    // A host that never answers cannot be reached: one error for the run.
    expect(r.stderr).toMatch(/^error: cannot reach 127\.0\.0\.1:\d+ \(timed out\): 1 day not fetched$/m);
  });

  it('400 is not retried', async () => {
    server.faults.push({
      match: 'daily_papers',
      kind: 'status',
      status: 400,
      body: '{"error":"Invalid date"}',
      times: Infinity,
    });
    const r = await sync(['--date', DAY]);
    expect(r.exitCode).toBe(1);
    expect(requestLog(server)).toEqual([API]);
    expect(r.stderr).toContain('answered HTTP 400: Invalid date');
    expect(dayRecord()).toMatchObject({ outcome: 'failed', requests: 1 });
  });

  it('a 200 {"error": ...} body is an upstream error, not retried', async () => {
    server.faults.push({
      match: 'daily_papers',
      kind: 'status',
      status: 200,
      body: '{"error":"Something broke"}',
      times: Infinity,
    });
    const r = await sync(['--date', DAY]);
    expect(r.exitCode).toBe(1);
    expect(requestLog(server)).toEqual([API]);
    expect(r.stderr).toContain('answered with an error: Something broke');
  });
});

describe('the HTML page', () => {
  it('a 404 from the API falls back to the page for that day', async () => {
    server.faults.push({
      match: 'daily_papers',
      kind: 'status',
      status: 404,
      body: '{"error":"Sorry, we can\'t find the page you are looking for."}',
    });
    const r = await sync(['--date', DAY]);
    expect(r.exitCode).toBe(0);
    expect(requestLog(server)).toEqual([API, `page /papers/date/${DAY}`]);
    expect(paperIds()).toEqual(['2503.11002', '2503.10515']);
    expect(dayRecord()).toMatchObject({ outcome: 'ok', via: 'html', requests: 2 });
  });

  it('a 404 from both fails the day without retrying', async () => {
    server.faults.push({ match: /daily_papers|papers\/date/, kind: 'status', status: 404, times: Infinity });
    const r = await sync(['--date', DAY]);
    expect(r.exitCode).toBe(1);
    expect(requestLog(server)).toEqual([API, `page /papers/date/${DAY}`]);
  });

  for (const kind of ['truncate-close', 'truncate-eof'] as const) {
    it(`a page cut short (${kind}) is retried, even when the cut falls inside the DailyPapers props`, async () => {
      const page = renderPage(DAY, fixtureDays().get(DAY)!);
      const cut = page.slice(0, page.indexOf('data-target="DailyPapers"') + 200);
      server.faults.push({ match: 'papers/date', kind, body: cut, contentType: 'text/html; charset=utf-8' });
      const r = await sync(['--date', DAY, '--via', 'html']);
      expect(r.stderr).toBe('synced 1 day: 2 papers (2 papers new to the archive, 0 updated), 0 failed\n');
      expect(r.exitCode).toBe(0);
      expect(requestLog(server)).toEqual([`page /papers/date/${DAY}`, `page /papers/date/${DAY}`]);
      expect(paperIds()).toEqual(['2503.11002', '2503.10515']);
    });
  }

  it('a page cut short after the props is still a good page', async () => {
    const page = renderPage(DAY, fixtureDays().get(DAY)!);
    const cut = page.slice(0, page.indexOf('<article'));
    server.faults.push({
      match: 'papers/date',
      kind: 'truncate-eof',
      body: cut,
      contentType: 'text/html; charset=utf-8',
    });
    const r = await sync(['--date', DAY, '--via', 'html']);
    expect(r.exitCode).toBe(0);
    expect(requestLog(server)).toEqual([`page /papers/date/${DAY}`]);
    expect(paperIds()).toEqual(['2503.11002', '2503.10515']);
  });

  it('--via html reads only the page', async () => {
    const r = await sync(['--date', DAY, '--via', 'html']);
    expect(r.exitCode).toBe(0);
    expect(requestLog(server)).toEqual([`page /papers/date/${DAY}`]);
    expect(server.requests[0]!.headers['user-agent']).toBe(`papers/${VERSION}`);
    expect(paperIds()).toEqual(['2503.11002', '2503.10515']);
    // the same rows as through the API
    const viaHtml = query(dbPath(), 'SELECT * FROM papers ORDER BY id');
    home = tempHome();
    await sync(['--date', DAY]);
    expect(query(dbPath(), 'SELECT * FROM papers ORDER BY id')).toEqual(viaHtml);
  });
});

describe('paging', () => {
  it('pages with limit=100 and p=0,1,2 until a short page; ranks run across pages', async () => {
    const r = await sync(['--date', '2025-02-03']);
    expect(r.exitCode).toBe(0);
    expect(requestLog(server)).toEqual([
      'api 2025-02-03 limit=100 p=0',
      'api 2025-02-03 limit=100 p=1',
      'api 2025-02-03 limit=100 p=2',
    ]);
    const ids = paperIds('2025-02-03');
    expect(ids).toEqual(makeEntries('2025-02-03', 250).map((e) => e.paper.id));
    expect(query(dbPath(), 'SELECT min(rank) AS lo, max(rank) AS hi, count(*) AS n FROM listings')).toEqual([
      { lo: 1, hi: 250, n: 250 },
    ]);
  });

  it('a day of exactly 100 asks for the next page and stops at the empty one', async () => {
    await sync(['--date', '2025-02-04']);
    expect(requestLog(server)).toEqual(['api 2025-02-04 limit=100 p=0', 'api 2025-02-04 limit=100 p=1']);
    expect(paperIds('2025-02-04')).toHaveLength(100);
  });

  it('a day of 99 is one page', async () => {
    await sync(['--date', '2025-02-05']);
    expect(requestLog(server)).toEqual(['api 2025-02-05 limit=100 p=0']);
    expect(paperIds('2025-02-05')).toHaveLength(99);
  });

  it('a fault on a later page is retried on that page only', async () => {
    server.faults.push({ match: 'p=1', kind: 'truncate-close' });
    const r = await sync(['--date', '2025-02-03']);
    expect(r.exitCode).toBe(0);
    expect(requestLog(server)).toEqual([
      'api 2025-02-03 limit=100 p=0',
      'api 2025-02-03 limit=100 p=1',
      'api 2025-02-03 limit=100 p=1',
      'api 2025-02-03 limit=100 p=2',
    ]);
    expect(paperIds('2025-02-03')).toHaveLength(250);
  });

  it('a page that keeps failing fails the whole day: nothing of it is written', async () => {
    server.faults.push({ match: 'p=2', kind: 'status', status: 502, times: Infinity });
    const r = await sync(['--date', '2025-02-03']);
    expect(r.exitCode).toBe(1);
    expect(paperIds('2025-02-03')).toEqual([]);
    expect(query(dbPath(), 'SELECT count(*) AS n FROM papers')).toEqual([{ n: 0 }]);
  });
});

describe('parseWaitHeader', () => {
  it('reads Retry-After seconds and dates, RateLimit t=, and nothing else', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseWaitHeader({ 'retry-after': '7' }, now)).toBe(7000);
    expect(parseWaitHeader({ 'retry-after': 'Wed, 01 Jan 2025 00:00:30 GMT' }, now)).toBe(30_000);
    expect(parseWaitHeader({ ratelimit: '"api";r=0;t=42' }, now)).toBe(42_000);
    expect(parseWaitHeader({ ratelimit: '"api";r=12;t=0' }, now)).toBe(0);
    expect(parseWaitHeader({ 'content-type': 'text/plain' }, now)).toBeUndefined();
  });
});
