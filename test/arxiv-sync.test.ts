// arXiv as a source, against a local server serving the real bodies: followed sources,
// the daily announcement (cycle, ETag, repeats, empty channel, error feed, faults),
// politeness, the OAI-PMH backfill (resume, expired token, 503) and `add` by id.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addIds, addTask } from '../src/core/add.js';
import { resultOf, runSources, type RunnerDeps, type SourceTask } from '../src/core/runner.js';
import { getPaper } from '../src/core/query.js';
import { addSource, feedTask, harvestTask, listSources, removeSource } from '../src/core/sources.js';
import { openDb, type DB } from '../src/db/open.js';
import { NetworkError, UsageError } from '../src/errors.js';
import { ARXIV_USER_AGENT, PoliteGate, nextAnnouncementAt } from '../src/sources/arxiv/adapter.js';
import { arxivRig, readArxivSample, startArxivServer, type Answer, type Seen } from './helpers/arxiv.js';
import { readFileSync } from 'node:fs';
import { ROOT } from './helpers/fixtures.js';
import { tempHome } from './helpers/run-cli.js';

const FEED_4 = readArxivSample('rss/cs.LG+cs.AI+cs.CL+stat.ML_2026-09-24_4items.xml');
const EMPTY = readArxivSample('rss/empty-channel_category-test_2024-11-28.xml');
const SRC = 'arxiv:cs.LG+cs.AI+cs.CL+stat.ML';
// Thu 2026-09-24, 09:00 New York (13:00 UTC): after that day's announcement.
const T0 = Date.parse('2026-09-24T13:00:00Z');

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers) await c();
  closers = [];
});

async function server(route: (req: Seen) => Answer) {
  const s = await startArxivServer(route);
  closers.push(s.close);
  return s;
}

type Deps = RunnerDeps & { signal?: AbortSignal };

function deps(db: DB, http: RunnerDeps['http'], at: () => number): Deps {
  return { db, http, now: () => new Date(at()), pid: process.pid, lockPath: null };
}

/** One task through the runner, its result or its error. */
async function runOne<R>(d: Deps, task: SourceTask<R>): Promise<R> {
  return resultOf((await runSources(d, [task], { signal: d.signal }))[0]) as R;
}
const syncAnnouncement = (d: Deps, source: Parameters<typeof feedTask>[0]) => runOne(d, feedTask(source));
const backfillSource = (d: Deps, ...args: Parameters<typeof harvestTask>) => runOne(d, harvestTask(...args));
const addPapers = async (d: Omit<Deps, 'pid' | 'lockPath'>, source: Parameters<typeof addTask>[0], ids: string[]) =>
  runOne({ pid: process.pid, lockPath: null, ...d }, addTask(source, addIds(ids)));

const fresh = () => openDb(join(tempHome(), 'papers.db'));
const listings = (db: DB, source = SRC) =>
  db.prepare('SELECT day, paper_id AS id, type FROM listings WHERE source = ? ORDER BY day, rank').all(source);

describe('followed sources', () => {
  it('hf is followed from the start; add, list, rm; bad names are usage errors', () => {
    const db = fresh();
    const now = new Date('2026-09-24T00:00:00Z');
    expect(listSources(db).map((s) => s.name)).toEqual(['hf']);
    expect(addSource(db, 'arXiv:cs.cl+cs.LG', now)).toEqual({ name: 'arxiv:cs.CL+cs.LG', added: true });
    expect(addSource(db, 'arxiv:cs.CL+cs.LG', now)).toEqual({ name: 'arxiv:cs.CL+cs.LG', added: false });
    expect(listSources(db)).toEqual([
      { name: 'arxiv:cs.CL+cs.LG', addedAt: now.toISOString(), lastDay: null, papers: 0 },
      expect.objectContaining({ name: 'hf', lastDay: null, papers: 0 }),
    ]);
    expect(() => addSource(db, 'arxiv:cs.XX', now)).toThrow(UsageError);
    expect(removeSource(db, 'arxiv:cs.CL+cs.LG')).toBe('arxiv:cs.CL+cs.LG');
    expect(() => removeSource(db, 'arxiv:cs.CL+cs.LG')).toThrow(/not a followed source/);
    db.close();
  });
});

describe('the daily announcement', () => {
  it('one request per cycle; ETag on the next; a repeated batch is not a second day', async () => {
    let body = FEED_4;
    let etag = '"a1"';
    const srv = await server((req) =>
      req.headers['if-none-match'] === etag
        ? { status: 304 }
        : { headers: { etag, 'content-type': 'application/rss+xml' }, body },
    );
    const db = fresh();
    const rig = arxivRig(srv.url);
    let now = T0;
    const d = deps(db, rig.http, () => now);

    const first = await syncAnnouncement(d, rig.source);
    expect(first).toEqual({
      source: SRC,
      outcome: 'saved',
      day: '2026-09-24',
      papers: 4,
      new: 4,
      updated: 0,
      requests: 1,
    });
    expect(listings(db)).toEqual([
      { day: '2026-09-24', id: '2609.26811', type: 'new' },
      { day: '2026-09-24', id: '2609.26820', type: 'new' },
      { day: '2026-09-24', id: '2205.06398', type: 'cross' },
      { day: '2026-09-24', id: '2009.13987', type: 'replace' },
    ]);
    const req = srv.requests[0]!;
    expect(req.path).toBe('/rss/cs.LG+cs.AI+cs.CL+stat.ML');
    expect(req.headers['user-agent']).toBe(ARXIV_USER_AGENT);
    expect(req.headers['user-agent']).toMatch(/^papers\/\d+\.\d+\.\d+ \(\+https:\/\/\S+\)$/);
    expect(req.headers.authorization).toBeUndefined();

    // Later the same cycle: no request at all.
    now = T0 + 10 * 3600_000;
    expect(await syncAnnouncement(d, rig.source)).toMatchObject({ outcome: 'fresh', requests: 0 });
    expect(srv.requests).toHaveLength(1);

    // After the next arXiv midnight: asked again, conditionally; nothing changed.
    now = nextAnnouncementAt(T0) + 60_000;
    expect(await syncAnnouncement(d, rig.source)).toMatchObject({ outcome: 'not-modified', requests: 1 });
    expect(srv.requests[1]!.headers['if-none-match']).toBe('"a1"');

    // The next cycle serves the same batch under Friday's date: not a new day.
    now = nextAnnouncementAt(now) + 60_000;
    etag = '"a2"';
    body = FEED_4.replace(/Thu, 24 Sep 2026/g, 'Fri, 25 Sep 2026');
    expect(await syncAnnouncement(d, rig.source)).toMatchObject({ outcome: 'repeat', day: '2026-09-24', requests: 1 });
    expect(db.prepare('SELECT DISTINCT day FROM listings').pluck().all()).toEqual(['2026-09-24']);
    db.close();
  });

  it('an empty channel is a day without an announcement, not an error', async () => {
    const srv = await server(() => ({ body: EMPTY }));
    const db = fresh();
    const rig = arxivRig(srv.url, 'arxiv:test');
    const s = await syncAnnouncement(
      deps(db, rig.http, () => Date.parse('2024-11-28T20:00:00Z')),
      rig.source,
    );
    expect(s).toMatchObject({ outcome: 'empty', day: '2024-11-28', papers: 0 });
    expect(db.prepare('SELECT outcome FROM sync_days WHERE source = ?').pluck().get('arxiv:test')).toBe('empty');
    db.close();
  });

  it('the error feed (HTTP 400) is a usage error naming the category', async () => {
    const err = `<?xml version='1.0' encoding='UTF-8'?><rss version="2.0"><channel><title>Feed error for query: http://rss.arxiv.org/rss/cs.LG</title>
<description>Bad archive 'cs.LG'. Valid archive names are: cs</description></channel></rss>`;
    const srv = await server(() => ({ status: 400, body: err }));
    const db = fresh();
    const rig = arxivRig(srv.url);
    await expect(
      syncAnnouncement(
        deps(db, rig.http, () => T0),
        rig.source,
      ),
    ).rejects.toThrow(UsageError);
    await expect(
      syncAnnouncement(
        deps(db, rig.http, () => T0),
        rig.source,
      ),
    ).rejects.toThrow(/Bad archive 'cs.LG'/);
    db.close();
  });

  it('a truncated feed is fetched again, 3 s later at least; one that stays truncated fails the day and writes nothing', async () => {
    let cut = 1;
    const srv = await server(() => ({ body: cut-- > 0 ? FEED_4.slice(0, 5000) : FEED_4 }));
    const db = fresh();
    const rig = arxivRig(srv.url, SRC, 3000);
    expect(
      await syncAnnouncement(
        deps(db, rig.http, () => T0),
        rig.source,
      ),
    ).toMatchObject({ outcome: 'saved', papers: 4, requests: 2 });
    expect(rig.sleeps).toEqual([3000]);

    const srv2 = await server(() => ({ body: FEED_4.slice(0, 5000) }));
    const db2 = fresh();
    const rig2 = arxivRig(srv2.url);
    const s = await syncAnnouncement(
      deps(db2, rig2.http, () => T0),
      rig2.source,
    );
    expect(s).toMatchObject({ outcome: 'failed', day: '2026-09-24', requests: 3 });
    expect(s.error).toMatch(/cut short|truncated/);
    expect(listings(db2)).toEqual([]);
    expect(db2.prepare('SELECT outcome FROM sync_days').pluck().all()).toEqual(['failed']);
    db.close();
    db2.close();
  });

  it('503 with Retry-After is honoured, then the feed is read', async () => {
    let busy = 1;
    const srv = await server(() =>
      busy-- > 0
        ? { status: 503, headers: { 'retry-after': '20' }, body: '<h1>Retry after 20 seconds</h1>' }
        : { body: FEED_4 },
    );
    const db = fresh();
    const rig = arxivRig(srv.url, SRC, 3000);
    expect(
      await syncAnnouncement(
        deps(db, rig.http, () => T0),
        rig.source,
      ),
    ).toMatchObject({ outcome: 'saved', requests: 2 });
    expect(rig.sleeps).toEqual([20_000]);
    db.close();
  });
});

describe('politeness', () => {
  it('one request at a time per host, the delay between the end of one and the start of the next', async () => {
    let clock = 0;
    const sleeps: number[] = [];
    const gate = new PoliteGate(
      3000,
      async (ms) => {
        sleeps.push(ms);
        clock += ms;
      },
      () => clock,
    );
    const log: string[] = [];
    const job = (name: string, ms: number) => async () => {
      log.push(`start ${name} ${clock}`);
      clock += ms;
      log.push(`end ${name} ${clock}`);
    };
    await Promise.all([
      gate.run('http://a.test/x', job('a1', 500)),
      gate.run('http://a.test/y', job('a2', 100)),
      gate.run('http://b.test/z', job('b1', 10)),
    ]);
    const at = (entry: string) => Number(log.find((l) => l.startsWith(entry))!.split(' ')[2]);
    // a2 waited for a1 and then the delay; b1, another host, did not wait for either.
    expect(at('start a2') - at('end a1')).toBeGreaterThanOrEqual(3000);
    expect(at('start b1')).toBeLessThan(at('start a2'));
    expect(log.findIndex((l) => l.startsWith('start a2'))).toBeGreaterThan(
      log.findIndex((l) => l.startsWith('end a1')),
    );
    expect(sleeps).toContain(3000);
  });
});

const OAI_FIRST = readArxivSample('oai/oai2-2014-01-16_ListRecords_arXivRaw_1000rec_2104191.xml');
const OAI_LAST = readFileSync(join(ROOT, 'fixtures', 'arxiv', 'oai-arXivRaw-last-page.xml'), 'utf8');
const EXPIRED =
  "<?xml version='1.0'?><OAI-PMH xmlns='http://www.openarchives.org/OAI/2.0/'><responseDate>2014-01-17T00:00:01Z</responseDate><error code='badResumptionToken'>The value of the resumptionToken argument is invalid or expired.</error></OAI-PMH>";

describe('backfill by OAI-PMH', () => {
  const since = '2008-01-25';
  /** quant-ph papers of the two pages first submitted on or after `since`, by day. */
  const expected = (db: DB) =>
    db
      .prepare(`SELECT day, count(*) AS n FROM listings WHERE source = 'arxiv:quant-ph' GROUP BY day ORDER BY day`)
      .all();

  it('pages by token, papers on their first-version day as submitted; a second run adds nothing', async () => {
    const srv = await server((req) => ({ body: req.query.resumptionToken ? OAI_LAST : OAI_FIRST }));
    const db = fresh();
    const rig = arxivRig(srv.url, 'arxiv:quant-ph');
    const s = await backfillSource(
      deps(db, rig.http, () => T0),
      rig.source,
      since,
    );
    expect(srv.requests.map((r) => r.query)).toEqual([
      { verb: 'ListRecords', metadataPrefix: 'arXivRaw', set: 'physics:quant-ph', from: since },
      { verb: 'ListRecords', resumptionToken: '496549|47001' },
    ]);
    expect(s).toMatchObject({ pages: 2, resumed: false, restarts: 0 });
    const days = expected(db) as { day: string; n: number }[];
    // 10 + 11 + 12 + ... of the real page from the 25th on, plus the last page's new paper on the 31st.
    expect(days).toEqual([
      { day: '2008-01-25', n: 10 },
      { day: '2008-01-26', n: 3 },
      { day: '2008-01-27', n: 4 },
      { day: '2008-01-28', n: 11 },
      { day: '2008-01-29', n: 12 },
      { day: '2008-01-30', n: 6 },
      { day: '2008-01-31', n: expect.any(Number) },
    ]);
    expect(s.papers).toBe(days.reduce((a, d) => a + d.n, 0));
    expect(db.prepare(`SELECT DISTINCT type FROM listings`).pluck().all()).toEqual(['submitted']);
    expect(getPaper(db, '0801.4990')).toMatchObject({
      authors: ['Ann Author', 'Bo Writer'],
      publishedAt: '2008-01-31T20:51:03.000Z',
      categories: ['quant-ph', 'cs.IT'],
      listings: [{ source: 'arxiv:quant-ph', day: '2008-01-31', type: 'submitted' }],
    });
    // 0801.3673 (first version the 23rd) is before `since`: not listed, though on both pages.
    expect(getPaper(db, '0801.3673')).toBeUndefined();
    expect(db.prepare('SELECT count(*) FROM harvest_records').pluck().get()).toBe(0);
    const again = await backfillSource(
      deps(db, rig.http, () => T0),
      rig.source,
      since,
    );
    expect(again).toMatchObject({ new: 0, updated: 0 });
    db.close();
  });

  it('interrupted between pages: no day written; resumed from the token, no page fetched twice, no duplicate', async () => {
    let down = true;
    const srv = await server((req) =>
      req.query.resumptionToken ? (down ? { reset: true } : { body: OAI_LAST }) : { body: OAI_FIRST },
    );
    const db = fresh();
    const rig = arxivRig(srv.url, 'arxiv:quant-ph');
    await expect(
      backfillSource(
        deps(db, rig.http, () => T0),
        rig.source,
        since,
      ),
    ).rejects.toThrow(NetworkError);
    expect(db.prepare('SELECT count(*) FROM listings').pluck().get()).toBe(0);
    expect(db.prepare('SELECT cursor IS NOT NULL FROM harvests').pluck().get()).toBe(1);
    down = false;
    const before = srv.requests.length;
    const s = await backfillSource(
      deps(db, rig.http, () => T0),
      rig.source,
      since,
    );
    expect(s).toMatchObject({ resumed: true, pages: 2 });
    expect(srv.requests.slice(before).map((r) => r.query.resumptionToken ?? 'first')).toEqual(['496549|47001']);
    const n = db.prepare('SELECT count(*) FROM listings').pluck().get();
    expect(db.prepare('SELECT count(DISTINCT paper_id) FROM listings').pluck().get()).toBe(n);
    expect(n).toBe(s.papers);
    db.close();
  });

  it('an expired token starts the harvest over; 503 + Retry-After is waited out', async () => {
    let expired = 1;
    let busy = 1;
    const srv = await server((req) => {
      if (busy-- > 0) return { status: 503, headers: { 'retry-after': '10' }, body: '<h1>Retry after 10 seconds</h1>' };
      if (req.query.resumptionToken) return expired-- > 0 ? { body: EXPIRED } : { body: OAI_LAST };
      return { body: OAI_FIRST };
    });
    const db = fresh();
    const rig = arxivRig(srv.url, 'arxiv:quant-ph');
    const s = await backfillSource(
      deps(db, rig.http, () => T0),
      rig.source,
      since,
    );
    expect(s).toMatchObject({ restarts: 1, pages: 3 });
    expect(rig.sleeps).toContain(10_000);
    expect(srv.requests.map((r) => r.query.resumptionToken ?? 'first')).toEqual([
      'first',
      'first',
      '496549|47001',
      'first',
      '496549|47001',
    ]);
    expect(db.prepare('SELECT count(DISTINCT paper_id) FROM listings').pluck().get()).toBe(s.papers);
    db.close();
  });
});

describe('papers add', () => {
  const byId: Record<string, string> = {
    'quant-ph/0201082': readArxivSample('api/api-2026_id_quant-ph_0201082v1_s0_m100_86989fe779ef.xml'),
    '1707.08567': readArxivSample('api/api-2026_id_1707.08567_s0_m100_6a1afebfc6a3.xml'),
  };
  const none = readArxivSample('api/api-2026_id_0000.0000_s0_m100_8b51d9633a68.xml');

  it('fetches by id_list (old-style ids too); an unknown id is not found; a bad id fails before any request', async () => {
    const srv = await server((req) => {
      // As arXiv does: an id with its version answers that version (here the only one kept).
      const ids = (req.query.id_list ?? '').split(',').map((id) => id.replace(/v\d+$/, ''));
      const entries = ids.map((id) => /<entry>[\s\S]*<\/entry>/.exec(byId[id] ?? '')?.[0] ?? '').join('\n');
      return { body: none.replace('</feed>', `${entries}</feed>`) };
    });
    const db = fresh();
    const rig = arxivRig(srv.url, 'arxiv');
    const d = { db, http: rig.http, now: () => new Date(T0) };
    const r = await addPapers(d, rig.source, ['quant-ph/0201082v1', 'https://arxiv.org/abs/1707.08567', '2301.99999']);
    expect(r).toEqual({
      requested: ['quant-ph/0201082', '1707.08567', '2301.99999'],
      inserted: ['quant-ph/0201082', '1707.08567'],
      updated: [],
      unchanged: [],
      notFound: ['2301.99999'],
      failed: [],
    });
    expect(srv.requests.map((q) => q.query)).toEqual([
      // The version typed is asked for (issue 22.11).
      { id_list: 'quant-ph/0201082v1,1707.08567,2301.99999', max_results: '3' },
    ]);
    expect(getPaper(db, 'quant-ph/0201082')).toMatchObject({
      version: 1,
      categories: ['quant-ph', 'cs.PL'],
      arxivComments: '32 pages',
      // listed as added on the day it was added, so list and export reach it
      listings: [{ source: 'arxiv', day: '2026-09-24', type: 'added' }],
      days: ['2026-09-24'],
    });
    expect((await addPapers(d, rig.source, ['quant-ph/0201082'])).unchanged).toEqual(['quant-ph/0201082']);
    await expect(addPapers(d, rig.source, ['1707.08567', 'not-an-id'])).rejects.toThrow(UsageError);
    expect(srv.requests).toHaveLength(2);
    db.close();
  });
});

describe('through the existing read commands', () => {
  it('show takes old-style ids (with a subject class too) and prints the new JSON fields', async () => {
    const { runCli } = await import('./helpers/run-cli.js');
    const home = tempHome();
    const srv = await server(() => ({
      body: readArxivSample('api/api-2026_id_quant-ph_0201082v1_s0_m100_86989fe779ef.xml'),
    }));
    const db = openDb(join(home, 'papers.db'));
    const rig = arxivRig(srv.url, 'arxiv');
    await addPapers({ db, http: rig.http, now: () => new Date(T0) }, rig.source, ['quant-ph/0201082']);
    db.close();
    for (const id of [
      'quant-ph/0201082',
      'quant-ph/0201082v1',
      'https://arxiv.org/abs/quant-ph/0201082',
      'quant-ph.QA/0201082',
    ]) {
      const r = await runCli(['show', id, '--json'], { home });
      expect(r.exitCode).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({
        id: 'quant-ph/0201082',
        categories: ['quant-ph', 'cs.PL'],
        primaryCategory: 'quant-ph',
        version: 1,
        doi: null,
        arxivComments: '32 pages',
        // listed where `papers add` put it: on the day it was added
        listings: [{ source: 'arxiv', day: '2026-09-24', type: 'added' }],
        url: 'https://arxiv.org/abs/quant-ph/0201082',
      });
    }
  });
});

describe('bodies that are not the feed', () => {
  it('an HTML page with 200 fails the day, names what came, and writes nothing', async () => {
    const srv = await server(() => ({
      headers: { 'content-type': 'text/html' },
      body: '<!doctype html><html><body>Maintenance</body></html>',
    }));
    const db = fresh();
    const rig = arxivRig(srv.url);
    const s = await syncAnnouncement(
      deps(db, rig.http, () => T0),
      rig.source,
    );
    expect(s).toMatchObject({ outcome: 'failed', requests: 1 });
    expect(s.error).toMatch(/returned an HTML page where XML was expected/);
    expect(listings(db)).toEqual([]);
    db.close();
  });
});

describe('doctor with arXiv days', () => {
  it('a backfill reaching 2008 and an announcement synced once are not HF gaps or unsettled days', async () => {
    const { checkArchive } = await import('../src/core/doctor.js');
    const srv = await server((req) =>
      req.path.startsWith('/rss') ? { body: FEED_4 } : { body: req.query.resumptionToken ? OAI_LAST : OAI_FIRST },
    );
    const db = fresh();
    const rig = arxivRig(srv.url, 'arxiv:quant-ph');
    await backfillSource(
      deps(db, rig.http, () => T0),
      rig.source,
      '2008-01-25',
    );
    const rig2 = arxivRig(srv.url);
    await syncAnnouncement(
      deps(db, rig2.http, () => T0),
      rig2.source,
    );
    const findings = checkArchive(db, new Date('2026-10-20T00:00:00Z'));
    expect(findings.filter((f) => !f.ok)).toEqual([]);
    db.close();
  });
});
