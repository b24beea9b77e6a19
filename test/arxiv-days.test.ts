// arXiv cannot lie about days (issue 23.4): a feed dated after tomorrow, or on a day that is
// not in the calendar ("99 Nov 2026"), is skipped with a warning and saves nothing; OAI
// records with a first version or a datestamp after tomorrow are left out, said; `new`
// still shows the real announcement that comes after a lying feed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listingDayProblem } from '../src/dates.js';
import { parseFeed } from '../src/sources/arxiv/feed.js';
import { parseOaiPage } from '../src/sources/arxiv/oai.js';
import { arxivDayProblem } from '../src/sources/arxiv/records.js';
import { readArxivSample, startArxivServer, type Answer, type Seen } from './helpers/arxiv.js';
import { query } from './helpers/fixtures.js';
import { runCli, tempHome } from './helpers/run-cli.js';
import { join } from 'node:path';

const FEED_4 = readArxivSample('rss/cs.LG+cs.AI+cs.CL+stat.ML_2026-09-24_4items.xml');
const SRC = 'arxiv:cs.LG+cs.AI+cs.CL+stat.ML';
const EMPTY = readArxivSample('rss/empty-channel_category-test_2024-11-28.xml');
const NOW = new Date('2026-09-24T13:00:00Z');
const dated = (date: string, body = FEED_4) => body.replace(/Thu, 24 Sep 2026/g, date);

const record = (id: string, v1: string, stamp: string) => `<record><header><identifier>oai:arXiv.org:${id}</identifier>
  <datestamp>${stamp}</datestamp></header><metadata><arXivRaw><id>${id}</id><title>T ${id}</title>
  <version version="v1"><date>${v1}</date></version><categories>cs.LG</categories><abstract>A</abstract>
  </arXivRaw></metadata></record>`;
/** One page: a real record, one with a datestamp of 2099, one whose first version is in 2027. */
const OAI_PAGE = `<?xml version="1.0"?><OAI-PMH><responseDate>2026-09-24T13:00:00Z</responseDate><ListRecords>
  ${record('2609.00001', 'Wed, 23 Sep 2026 10:00:00 GMT', '2026-09-24')}
  ${record('2609.00002', 'Wed, 23 Sep 2026 10:00:00 GMT', '2099-01-01')}
  ${record('2609.00003', 'Tue, 1 Jun 2027 10:00:00 GMT', '2027-06-02')}
  <resumptionToken/></ListRecords></OAI-PMH>`;

describe('the rules, as pure functions', () => {
  it('after tomorrow, before arXiv began, and not in the calendar are refused', () => {
    expect(arxivDayProblem('2026-09-24', NOW)).toBeUndefined();
    expect(arxivDayProblem('2026-09-25', NOW)).toBeUndefined(); // tomorrow: a clock behind
    expect(arxivDayProblem('2027-06-01', NOW)).toMatch(/^2027-06-01 is after tomorrow \(2026-09-25, UTC\)/);
    expect(arxivDayProblem('2099-01-01', NOW)).toMatch(/after tomorrow/);
    expect(arxivDayProblem('1991-08-13', NOW)).toBe('1991-08-13 is before arXiv began (1991-08-14)');
    expect(arxivDayProblem('2026-11-99', NOW)).toMatch(/2026-11-99.* is not a calendar day/);
    expect(arxivDayProblem('2026-02-29', NOW)).toMatch(/not a calendar day/);
    expect(listingDayProblem('2026-13-01', NOW, { name: 'x' })).toMatch(/not a calendar day/);
  });

  it('a feed dated after tomorrow or "99 Nov 2026" names no day, and says why', () => {
    const future = parseFeed(dated('Tue, 01 Jun 2027'), 'feed', { now: NOW });
    expect(future.day).toBeNull();
    expect(future.dayProblem).toMatch(/^the feed is dated 2027-06-01 is after tomorrow/);
    expect(future.entries).toHaveLength(4);
    const impossible = parseFeed(dated('Thu, 99 Nov 2026'), 'feed', { now: NOW });
    expect(impossible.day).toBeNull();
    expect(impossible.dayProblem).toMatch(/2026-11-99.* is not a calendar day/);
    // Without a clock the calendar still holds.
    expect(parseFeed(dated('Thu, 99 Nov 2026'), 'feed').day).toBeNull();
    expect(parseFeed(FEED_4, 'feed', { now: NOW }).day).toBe('2026-09-24');
  });

  it('OAI records whose first version or datestamp is after tomorrow are left out, each said', () => {
    const record = (
      id: string,
      v1: string,
      stamp: string,
    ) => `<record><header><identifier>oai:arXiv.org:${id}</identifier>
      <datestamp>${stamp}</datestamp></header><metadata><arXivRaw><id>${id}</id><title>T ${id}</title>
      <version version="v1"><date>${v1}</date></version><categories>cs.LG</categories><abstract>A</abstract>
      </arXivRaw></metadata></record>`;
    const body = `<?xml version="1.0"?><OAI-PMH><responseDate>2026-09-24T13:00:00Z</responseDate><ListRecords>
      ${record('2609.00001', 'Wed, 23 Sep 2026 10:00:00 GMT', '2026-09-24')}
      ${record('2609.00002', 'Wed, 23 Sep 2026 10:00:00 GMT', '2099-01-01')}
      ${record('2609.00003', 'Tue, 1 Jun 2027 10:00:00 GMT', '2027-06-02')}
      <resumptionToken/></ListRecords></OAI-PMH>`;
    const page = parseOaiPage(body, 'oai', { now: NOW });
    expect(page.records.map((r) => [r.record.id, r.firstDay])).toEqual([['2609.00001', '2026-09-23']]);
    expect(page.refused).toEqual([
      '2609.00002: its datestamp 2099-01-01 is after tomorrow (2026-09-25, UTC): no list can exist for it yet',
      '2609.00003: its first version 2027-06-01 is after tomorrow (2026-09-25, UTC): no list can exist for it yet',
    ]);
  });
});

describe('a backfill through OAI-PMH', () => {
  it('saves the real record, leaves the two out, and the sync warns with their count', async () => {
    const srv = await startArxivServer((req) => ({ body: req.path === '/oai' ? OAI_PAGE : EMPTY }));
    const home = tempHome();
    try {
      const cli = (argv: string[]) =>
        runCli(argv, { home, now: NOW.toISOString(), env: { ARXIV_ENDPOINT: srv.url, PAPERS_ARXIV_DELAY_MS: '0' } });
      const r = await cli(['sync', '--source', 'arxiv:cs.LG', '--since', '2026-09-01', '--json']);
      const run = JSON.parse(r.stdout) as { backfill: { refused?: { count: number } } };
      expect(run.backfill.refused).toMatchObject({ count: 2 });
      expect(r.stderr).toMatch(
        /warning: arxiv:cs\.LG: 2 records left out, with days that cannot be listing days \(2609\.00002: its datestamp 2099-01-01 is after tomorrow/,
      );
      const db = join(home, 'papers.db');
      expect(query(db, `SELECT paper_id, day FROM listings WHERE type = 'submitted'`)).toEqual([
        { paper_id: '2609.00001', day: '2026-09-23' },
      ]);
    } finally {
      await srv.close();
    }
  });
});

describe('a lying feed through the CLI', () => {
  let body = FEED_4;
  let closers: (() => Promise<void>)[] = [];
  let home: string;
  beforeEach(() => {
    home = tempHome();
  });
  afterEach(async () => {
    for (const c of closers) await c();
    closers = [];
  });

  const route = (req: Seen): Answer =>
    req.path.startsWith('/rss/')
      ? { headers: { 'content-type': 'application/rss+xml' }, body }
      : { status: 404, body: 'not here' };
  const cli = (url: string, argv: string[], now: string) =>
    runCli(argv, { home, now, env: { ARXIV_ENDPOINT: url, PAPERS_ARXIV_DELAY_MS: '0' } });

  it('is skipped with a warning, saves nothing, and `new` shows the real announcement after it', async () => {
    const srv = await startArxivServer(route);
    closers.push(srv.close);
    expect((await cli(srv.url, ['source', 'add', SRC], '2026-09-23T13:00:00Z')).exitCode).toBe(0);
    expect((await cli(srv.url, ['source', 'rm', 'hf'], '2026-09-23T13:00:00Z')).exitCode).toBe(0);
    // Wednesday: a real announcement (other ids), read and marked seen.
    body = dated('Wed, 23 Sep 2026').replace(/2609\.268/g, '2609.168');
    expect((await cli(srv.url, ['sync'], '2026-09-23T13:00:00Z')).exitCode).toBe(0);
    expect((await cli(srv.url, ['new', '--mark-seen'], '2026-09-23T14:00:00Z')).exitCode).toBe(0);

    // Thursday: the feed says 2027-06-01.
    body = dated('Tue, 01 Jun 2027');
    const lie = await cli(srv.url, ['sync'], '2026-09-24T13:00:00Z');
    expect(lie.exitCode, lie.stderr).toBe(0);
    expect(lie.stderr).toMatch(
      new RegExp(
        `warning: ${SRC.replace(/[+.]/g, '\\$&')}: .*/rss/\\S+: the feed is dated 2027-06-01 is after tomorrow`,
      ),
    );
    const db = join(home, 'papers.db');
    expect(query(db, `SELECT DISTINCT day FROM listings ORDER BY day`)).toEqual([{ day: '2026-09-23' }]);
    expect((await cli(srv.url, ['new', '--mark-seen'], '2026-09-24T14:00:00Z')).stdout).toBe('');

    // "99 Nov 2026": the same.
    body = dated('Thu, 99 Nov 2026');
    const impossible = await cli(srv.url, ['sync', '--json'], '2026-09-24T15:00:00Z');
    expect(impossible.exitCode).toBe(0);
    expect(impossible.stderr).toMatch(/not a calendar day; skipped/);
    expect(JSON.parse(impossible.stdout).announcement).toMatchObject({ outcome: 'skipped', day: null });
    expect(query(db, `SELECT DISTINCT day FROM listings ORDER BY day`)).toEqual([{ day: '2026-09-23' }]);
    const week = await cli(srv.url, ['stats', '--by', 'week'], '2026-09-24T15:00:00Z');
    expect(week.exitCode, week.stderr).toBe(0);

    // The real Thursday announcement comes: the lie was not remembered, so it is fetched and new.
    body = FEED_4;
    expect((await cli(srv.url, ['sync'], '2026-09-24T16:00:00Z')).exitCode).toBe(0);
    const shown = await cli(srv.url, ['new', '--json'], '2026-09-24T17:00:00Z');
    const ids = (JSON.parse(shown.stdout) as { id: string }[]).map((p) => p.id);
    expect(ids).toEqual(expect.arrayContaining(['2609.26811', '2609.26820']));
  });
});
