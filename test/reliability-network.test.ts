// Network faults beyond test/http.test.ts: a refused port for many days, 500 and 502,
// rate limits that do not lift, a per-day request cap logged with -v, and a seeded storm
// of every fault at once. Each day either succeeds after bounded retries or fails with a
// clear message, and no day is ever written from a partial or wrong body. Retry timings
// are runCli's fast ones (the same logic, millisecond delays); no wall time is asserted.
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_REQUESTS_PER_DAY, UNREACHABLE_STOP } from '../src/core/sync.js';
import {
  query,
  stackLines,
  startHfServer,
  useHfServer,
  type Entry,
  type Fault,
  type HfServer,
} from './helpers/fixtures.js';
import { comparableDump, dayEntries, dayList } from './helpers/reliability.js';
import { freePort } from './helpers/net.js';
import { runCli, tempHome, type RunCliOptions } from './helpers/run-cli.js';

const NOW = '2025-02-20T12:00:00Z';
const DAYS = dayList('2025-02-03', 10);
const served = new Map<string, Entry[]>(DAYS.map((d, i) => [d, dayEntries(d, i % 2 ? 250 : 40, 5)]));
const count = (d: string) => served.get(d)?.length ?? 0;
const pages = (d: string) => Math.floor(count(d) / 100) + 1;

const server = useHfServer((d: string) => served.get(d));
let home: string;
beforeEach(() => {
  server.faults.length = 0;
  server.requests.length = 0;
  home = tempHome();
});

const dbPath = () => join(home, 'papers.db');
const api = (day: string, p = 0) => `${server.url}/api/daily_papers?date=${day}&limit=100&p=${p}`;

function sync(args: string[], opts: RunCliOptions & { endpoint?: string } = {}) {
  return runCli(['sync', ...args], {
    home,
    now: NOW,
    ...opts,
    env: { HF_ENDPOINT: opts.endpoint ?? server.url, ...opts.env },
  });
}

/** The -v request log: one `GET url → outcome (ms, attempt n[, retry in s])` line per request. */
function requestLines(stderr: string): { url: string; what: string; attempt: number; retry: boolean }[] {
  const out = [];
  for (const line of stderr.split('\n')) {
    const m = /^GET (\S+) → (.+) \(\d+ ms, attempt (\d+)(, retry in \d+\.\ds)?\)$/.exec(line);
    if (m) out.push({ url: m[1]!, what: m[2]!, attempt: Number(m[3]), retry: !!m[4] });
  }
  return out;
}

function listingsByDay(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of query<{ day: string; n: number }>(dbPath(), 'SELECT day, count(*) AS n FROM listings GROUP BY day'))
    out[r.day] = r.n;
  return out;
}

describe('connection refused', () => {
  it('retries the first day, tries the next ones once, then stops with ONE error: nothing written, exit 1', async () => {
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const r = await sync(['--since', DAYS[0]!, '--until', DAYS[4]!, '--concurrency', '1', '--verbose'], { endpoint });
    expect(r.exitCode).toBe(1);
    const log = requestLines(r.stderr);
    // 6 attempts for the first day; once the host has refused them all, one each, and
    // after UNREACHABLE_STOP days that could not reach it, no more.
    expect(log.map((l) => `${l.url.slice(endpoint.length)} ${l.attempt}`)).toEqual([
      ...[1, 2, 3, 4, 5, 6].map((a) => `/api/daily_papers?date=${DAYS[0]}&limit=100&p=0 ${a}`),
      ...DAYS.slice(1, UNREACHABLE_STOP).map((d) => `/api/daily_papers?date=${d}&limit=100&p=0 1`),
    ]);
    expect(log.every((l) => l.what.startsWith('ECONNREFUSED'))).toBe(true);
    // -v adds the stack of the error; what a user reads is these lines
    const lines = r.stderr.split('\n').filter((l) => /^(error|hint|warning|synced)\b/.test(l));
    expect(lines).toEqual([
      `error: cannot reach 127.0.0.1:${port} (connection refused): 5 days not fetched`,
      `hint: check HF_ENDPOINT (${endpoint}) and the network`,
    ]);
    expect(listingsByDay()).toEqual({});
    // The days tried are recorded as failed, so the next sync tries them again.
    expect(query(dbPath(), `SELECT day, outcome FROM sync_days ORDER BY day`)).toEqual(
      DAYS.slice(0, UNREACHABLE_STOP).map((day) => ({ day, outcome: 'failed' })),
    );
    expect(query(dbPath(), `SELECT status, error FROM sync_runs`)).toEqual([
      { status: 'failed', error: `cannot reach 127.0.0.1:${port} (connection refused): 5 days not fetched` },
    ]);
  });

  it('one day on a refused host: the same one error, not a per-day line', async () => {
    const port = await freePort();
    const r = await sync(['--date', DAYS[0]!], { endpoint: `http://127.0.0.1:${port}` });
    expect(r.exitCode).toBe(1);
    expect(stackLines(r.stderr)).toEqual([]);
    expect(r.stderr.split('\n')[0]).toBe(
      `error: cannot reach 127.0.0.1:${port} (connection refused): 1 day not fetched`,
    );
  });

  it('a day failing for its own reason is still reported per day, and the rest continue', async () => {
    server.faults.push({ match: `date=${DAYS[1]}&`, kind: 'status', status: 500, times: Infinity });
    server.faults.push({ match: `date=${DAYS[2]}&`, kind: 'html200', times: Infinity });
    const r = await sync(['--since', DAYS[0]!, '--until', DAYS[4]!, '--concurrency', '1']);
    expect(r.exitCode).toBe(1);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
    expect(errors).toEqual([
      expect.stringContaining(`error: ${DAYS[1]}: `),
      expect.stringContaining(`error: ${DAYS[2]}: `),
    ]);
    expect(r.stderr).toContain('synced 5 days: ');
    expect(Object.keys(listingsByDay()).sort()).toEqual([DAYS[0], DAYS[3], DAYS[4]]);
  });

  it('a host that goes down mid-run: the days that reached it are saved, then one error for the rest', async () => {
    // A server of its own, closed (its port refusing) once the third day has been asked for.
    let asked = 0;
    const own: HfServer = await startHfServer((d: string) => {
      if (d === DAYS[2]) void own.close();
      asked++;
      return served.get(d);
    });
    const r = await sync(['--since', DAYS[0]!, '--until', DAYS[9]!, '--concurrency', '1'], { endpoint: own.url });
    expect(r.exitCode).toBe(1);
    expect(asked).toBeGreaterThanOrEqual(3);
    const port = new URL(own.url).port;
    // The day in flight when it closed had its connection dropped: that day's own failure.
    expect(r.stderr.split('\n').filter((l) => l.startsWith('error:'))).toEqual([
      `error: ${DAYS[2]}: cannot fetch ${own.url}/api/daily_papers?date=${DAYS[2]}&limit=100&p=0: connection refused`,
      `error: cannot reach 127.0.0.1:${port} (connection refused): 8 days not fetched`,
    ]);
    expect(Object.keys(listingsByDay()).slice(0, 2)).toEqual([DAYS[0], DAYS[1]]);
  });

  it('a host that comes back is retried in full again', async () => {
    // The same client: the first day is refused, the rest answered by a live server.
    const port = await freePort();
    const r1 = await sync(['--date', DAYS[0]!, '--verbose'], { endpoint: `http://127.0.0.1:${port}` });
    expect(r1.exitCode).toBe(1);
    server.faults.push({ match: 'daily_papers', kind: 'status', status: 503, times: 2 });
    const r2 = await sync(['--date', DAYS[0]!, '--verbose']);
    expect(r2.exitCode).toBe(0);
    expect(requestLines(r2.stderr).map((l) => `${l.what} ${l.attempt}`)).toEqual([
      'HTTP 503 1',
      'HTTP 503 2',
      'HTTP 200 3',
    ]);
  });
});

describe('server errors and rate limits', () => {
  for (const status of [500, 502, 503]) {
    it(`${status} twice, then 200: the day is saved, three requests logged`, async () => {
      server.faults.push({ match: `date=${DAYS[0]}`, kind: 'status', status, times: 2 });
      const r = await sync(['--date', DAYS[0]!, '--verbose']);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(requestLines(r.stderr).map((l) => `${l.what} ${l.attempt} ${l.retry}`)).toEqual([
        `HTTP ${status} 1 true`,
        `HTTP ${status} 2 true`,
        'HTTP 200 3 false',
      ]);
      expect(listingsByDay()).toEqual({ [DAYS[0]!]: count(DAYS[0]!) });
    });

    it(`${status} on every attempt: six requests, then the day fails with a clear message`, async () => {
      server.faults.push({ match: `date=${DAYS[0]}`, kind: 'status', status, times: Infinity });
      const r = await sync(['--date', DAYS[0]!, '--verbose']);
      expect(r.exitCode).toBe(1);
      const log = requestLines(r.stderr);
      expect(log.map((l) => l.attempt)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(r.stderr).toContain(`error: ${DAYS[0]}: ${api(DAYS[0]!)} answered HTTP ${status} after retries\n`);
      expect(listingsByDay()).toEqual({});
    });
  }

  const rateLimits: [string, Record<string, string>, number][] = [
    ['Retry-After: 1', { 'retry-after': '1' }, 1000],
    [
      'RateLimit: "api";r=0;t=2',
      { ratelimit: '"api";r=0;t=2', 'ratelimit-policy': '"fixed window";"api";q=500;w=300' },
      2000,
    ],
  ];
  for (const [name, headers, wait] of rateLimits) {
    it(`429 with ${name} that never lifts: waits as told between attempts, six requests, then a rate-limit message`, async () => {
      const sleeps: number[] = [];
      server.faults.push({ match: 'daily_papers', kind: 'status', status: 429, headers, times: Infinity });
      const r = await sync(['--date', DAYS[0]!, '--verbose'], {
        http: { sleep: async (ms: number) => void sleeps.push(ms) },
      });
      expect(r.exitCode).toBe(1);
      expect(server.requests).toHaveLength(6);
      expect(requestLines(r.stderr).map((l) => l.what)).toEqual(Array(6).fill('HTTP 429'));
      // Each of the five pauses is the one the server asked for. (This sleep returns at
      // once, so the client-wide 429 pause, already over in real time, is slept again.)
      expect(sleeps.filter((ms) => ms === wait).length).toBeGreaterThanOrEqual(5);
      expect(sleeps.length).toBeLessThanOrEqual(10);
      expect(sleeps.every((ms) => ms <= wait)).toBe(true);
      expect(r.stderr).toContain(`error: ${DAYS[0]}: ${api(DAYS[0]!)} answered HTTP 429 after retries\n`);
      expect(listingsByDay()).toEqual({});
    });
  }

  it('a 429 asking for longer than papers waits (the 5-minute window) fails each day after one request', async () => {
    server.faults.push({
      match: 'daily_papers',
      kind: 'status',
      status: 429,
      headers: { ratelimit: '"api";r=0;t=280' },
      times: Infinity,
    });
    const r = await sync(['--since', DAYS[0]!, '--until', DAYS[3]!, '--verbose']);
    expect(r.exitCode).toBe(1);
    expect(server.requests).toHaveLength(4);
    for (const d of DAYS.slice(0, 4))
      expect(r.stderr).toContain(
        `error: ${d}: ${api(d)} answered HTTP 429 and asks to wait 280s, longer than papers waits\n`,
      );
  });
});

describe('the request cap per day', () => {
  it(`a day of three pages that keeps failing stops at ${MAX_REQUESTS_PER_DAY} requests, every one logged; nothing of it is written`, async () => {
    const day = DAYS[1]!; // 255 entries: pages 0, 1, 2
    expect(pages(day)).toBe(3);
    server.faults.push({ match: `date=${day}&limit=100&p=0`, kind: 'status', status: 503, times: 5 });
    server.faults.push({ match: `date=${day}&limit=100&p=1`, kind: 'truncate-eof', times: 5 });
    server.faults.push({ match: `date=${day}&limit=100&p=2`, kind: 'reset', times: Infinity });
    const r = await sync(['--date', day, '--verbose']);
    expect(r.exitCode).toBe(1);
    const log = requestLines(r.stderr);
    expect(log).toHaveLength(MAX_REQUESTS_PER_DAY);
    expect(server.requests).toHaveLength(MAX_REQUESTS_PER_DAY);
    expect(log.map((l) => `${l.url.split('&p=')[1]}:${l.attempt}`)).toEqual([
      ...[1, 2, 3, 4, 5, 6].map((a) => `0:${a}`),
      ...[1, 2, 3, 4, 5, 6].map((a) => `1:${a}`),
      ...[1, 2, 3, 4].map((a) => `2:${a}`),
    ]);
    expect(log.at(-1)!.retry).toBe(false);
    expect(r.stderr).toMatch(
      new RegExp(
        `^error: ${day}: gave up on ${api(day, 2).replace(/[.?&]/g, '\\$&')} after 16 requests, all that one day may use \\(the last: .+\\)$`,
        'm',
      ),
    );
    expect(listingsByDay()).toEqual({});
    expect(query(dbPath(), 'SELECT outcome, requests FROM sync_days')).toEqual([
      { outcome: 'failed', requests: MAX_REQUESTS_PER_DAY },
    ]);
  });
});

describe('a storm of every fault at once', () => {
  const KINDS: Fault['kind'][] = [
    'reset',
    'truncate',
    'truncate-close',
    'truncate-eof',
    'html200',
    'status',
    'slow-body',
    'hang',
  ];

  for (const seed of [3, 17]) {
    it(`(seed ${seed}) every day ends whole or failed; a failed day is not written; the requests are capped and each is logged`, async () => {
      let x = seed;
      const random = () => (x = (x * 48271) % 2147483647) / 2147483647;
      for (const d of DAYS) {
        for (let p = 0; p < pages(d); p++) {
          if (random() < 0.5) continue;
          const kind = KINDS[Math.floor(random() * KINDS.length)]!;
          const status = [500, 502, 503, 429][Math.floor(random() * 4)]!;
          // A third of the faults never go away: those days must fail.
          const times = random() < 0.3 ? Infinity : 1 + Math.floor(random() * 4);
          server.faults.push({
            match: `date=${d}&limit=100&p=${p}`,
            kind,
            status,
            times,
            headers: status === 429 ? { 'retry-after': '0' } : {},
          });
        }
      }
      const r = await sync(['--since', DAYS[0]!, '--until', DAYS[DAYS.length - 1]!, '--verbose', '--json'], {
        http: { timeoutMs: 300 },
      });
      expect(stackLines(r.stderr)).toEqual([]);
      const summary = JSON.parse(r.stdout) as {
        ok: number;
        failed: number;
        failures: { day: string; error: string }[];
      };
      expect(summary.ok + summary.failed).toBe(DAYS.length);
      expect(r.exitCode).toBe(summary.failed ? 1 : 0);
      const failed = new Set(summary.failures.map((f) => f.day));
      for (const f of summary.failures)
        expect(f.error).toMatch(/after retries|not valid JSON|HTML page|did not answer|gave up|connection|HTTP \d{3}/);
      const listings = listingsByDay();
      for (const d of DAYS) {
        if (failed.has(d)) expect(listings[d], d).toBeUndefined();
        else expect(listings[d], d).toBe(count(d));
      }
      // Every request the server saw is one log line; no day went over its cap.
      expect(requestLines(r.stderr)).toHaveLength(server.requests.length);
      for (const d of DAYS)
        expect(server.requests.filter((q) => q.query.date === d).length).toBeLessThanOrEqual(MAX_REQUESTS_PER_DAY);

      // The papers saved are exactly those of a fault-free sync of the same days.
      const ok = DAYS.filter((d) => !failed.has(d));
      const ref = tempHome();
      server.faults.length = 0;
      for (const d of ok)
        expect(
          (await runCli(['sync', '--date', d], { home: ref, now: NOW, env: { HF_ENDPOINT: server.url } })).exitCode,
        ).toBe(0);
      if (ok.length) expect(comparableDump(dbPath()).listings).toEqual(comparableDump(join(ref, 'papers.db')).listings);
    });
  }
});
