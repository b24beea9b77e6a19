// One runner for every source (issue 21, with 22.1 and 23.5/7/8/9): two syncs of different
// sources on one archive (the second waits, naming the first's pid), Ctrl-C in either
// exits 130 with whole days, a backfill counts in status, a paper added by id is listed and
// exported, add keeps its good batches, a harvest always ends, `today` shows the archive
// within its budget. Real processes (bin/papers.js) where the user sees the behaviour.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BY_ID, NO_ENTRY, OAI_FIRST, OAI_LAST, readArxivSample } from './helpers/arxiv.js';
import { fixtureDays, query, useHfServer } from './helpers/fixtures.js';
import { requireBuild, runPapers, spawnPapers, waitFor } from './helpers/reliability.js';
import { runCli, tempHome } from './helpers/run-cli.js';

const FEED_4 = readArxivSample('rss/cs.LG+cs.AI+cs.CL+stat.ML_2026-09-24_4items.xml');
const NOW = '2026-09-24T13:00:00Z';

const hf = useHfServer(fixtureDays());

interface Seen {
  path: string;
  query: Record<string, string>;
  at: number;
}

/**
 * A stand-in for every arXiv host. `hold` keeps OAI requests unanswered until released;
 * `oai` answers a ListRecords request (the real pages by default).
 */
async function arxivServer() {
  const requests: Seen[] = [];
  const held: ServerResponse[] = [];
  const state = {
    hold: false,
    oai: (q: Record<string, string>) => ({ status: 200, body: q.resumptionToken ? OAI_LAST : OAI_FIRST }),
    api: (ids: string[]) => {
      const entries = ids.map((id) => /<entry>[\s\S]*<\/entry>/.exec(BY_ID[id] ?? '')?.[0] ?? '').join('\n');
      return { status: 200, body: NO_ENTRY.replace('</feed>', `${entries}</feed>`) };
    },
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    const q = Object.fromEntries(url.searchParams);
    requests.push({ path: url.pathname, query: q, at: Date.now() });
    let a = { status: 404, body: 'not here' };
    if (url.pathname.startsWith('/rss/')) a = { status: 200, body: FEED_4 };
    else if (url.pathname === '/oai') {
      if (state.hold) {
        held.push(res);
        return;
      }
      a = state.oai(q);
    } else if (url.pathname === '/api/query') a = state.api((q.id_list ?? '').split(','));
    res.writeHead(a.status, { 'content-type': 'application/xml' });
    res.end(a.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const release = () => {
    state.hold = false;
    for (const res of held.splice(0)) {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(OAI_FIRST);
    }
  };
  const close = () =>
    new Promise<void>((r) => {
      for (const res of held.splice(0)) res.destroy();
      server.closeAllConnections();
      server.close(() => r());
    });
  return { url, requests, state, release, close };
}

let arxiv: Awaited<ReturnType<typeof arxivServer>>;
let home: string;
beforeAll(() => requireBuild());
beforeEach(async () => {
  home = tempHome();
  arxiv = await arxivServer();
});
afterEach(() => arxiv.close());

const env = (extra: Record<string, string> = {}) => ({
  PAPERS_HOME: home,
  HF_ENDPOINT: hf.url,
  ARXIV_ENDPOINT: arxiv.url,
  PAPERS_ARXIV_DELAY_MS: '0',
  ...extra,
});
const cli = (argv: string[], extra: Record<string, string> = {}) => runCli(argv, { home, now: NOW, env: env(extra) });
const oaiRequests = () => arxiv.requests.filter((r) => r.path === '/oai').length;

describe('two syncs of different sources on one archive', () => {
  it('an HF sync with --wait waits for an arXiv backfill, naming its pid, then runs', async () => {
    arxiv.state.hold = true;
    const first = spawnPapers(['sync', '--source', 'arxiv:quant-ph', '--since', '2008-01-25'], env());
    await waitFor(() => oaiRequests() > 0, 'the backfill to ask for its first page');
    const second = spawnPapers(['sync', '--source', 'hf', '--date', '2025-03-17', '--wait', '30s'], env());
    await waitFor(() => second.stderr().includes('waiting'), 'the second sync to wait', 20_000, 10);
    expect(second.stderr()).toBe(`waiting for another sync (pid ${first.child.pid}, arxiv:quant-ph) to finish…\n`);
    arxiv.release();
    const [a, b] = await Promise.all([first.done, second.done]);
    expect([a.code, a.stderr]).toEqual([0, expect.stringMatching(/backfilled since 2008-01-25: 7 days/)]);
    expect(b.code).toBe(0);
    expect(b.stderr).toMatch(/synced 1 day: 2 papers \(2 papers new to the archive, 0 updated\), 0 failed\n$/);
  }, 60_000);

  it('an arXiv sync with --wait 0 fails at once, naming the HF sync that holds the lock', async () => {
    hf.faults.push({ match: 'date=2025-03-17', kind: 'hang', times: Infinity });
    const first = spawnPapers(['sync', '--date', '2025-03-17'], env());
    await waitFor(() => hf.requests.length > 0, 'the HF sync to ask for its day');
    const second = await runPapers(['sync', '--source', 'arxiv:cs.CL', '--wait', '0'], env());
    expect(second.code).toBe(1);
    expect(second.stderr.split('\n')[0]).toMatch(
      new RegExp(
        `^error: another papers sync is running on this archive \\(pid ${first.child.pid}, started .*, syncing hf\\)$`,
      ),
    );
    first.child.kill('SIGINT');
    const a = await first.done;
    expect(a.code).toBe(130);
    hf.faults.length = 0;
  }, 60_000);

  it('Ctrl-C during a backfill exits 130: nothing half written, the run recorded interrupted', async () => {
    arxiv.state.hold = true;
    const p = spawnPapers(['sync', '--source', 'arxiv:quant-ph', '--since', '2008-01-25'], env());
    await waitFor(() => oaiRequests() > 0, 'the backfill to ask for its first page');
    p.child.kill('SIGINT');
    const r = await p.done;
    expect(r.code).toBe(130);
    const db = join(home, 'papers.db');
    // The feed's day was saved whole before the harvest began; no submitted listing exists.
    expect(query(db, `SELECT count(*) AS n FROM listings WHERE type = 'submitted'`)).toEqual([{ n: 0 }]);
    expect(query(db, 'SELECT source, kind, status FROM sync_runs ORDER BY id')).toEqual([
      { source: 'arxiv:quant-ph', kind: 'feed', status: 'ok' },
      { source: 'arxiv:quant-ph', kind: 'harvest', status: 'interrupted' },
    ]);
  }, 60_000);
});

describe('status after a backfill', () => {
  it('counts the backfill: kind, days and papers of each source', async () => {
    expect((await cli(['sync', '--source', 'arxiv:quant-ph', '--since', '2008-01-25'])).exitCode).toBe(0);
    const staged = query<{ n: number }>(
      join(home, 'papers.db'),
      `SELECT count(*) AS n FROM listings WHERE type = 'submitted'`,
    );
    const s = JSON.parse((await cli(['status', '--json'])).stdout);
    expect(s.lastSync).toMatchObject({ status: 'ok', days: 7, papers: staged[0]!.n });
    expect(s.sources).toEqual([
      expect.objectContaining({ source: 'arxiv:quant-ph', kind: 'feed', status: 'ok', days: 1, papers: 4 }),
      expect.objectContaining({
        source: 'arxiv:quant-ph',
        kind: 'harvest',
        status: 'ok',
        days: 7,
        papers: staged[0]!.n,
        unsettled: [],
      }),
    ]);
    const text = (await cli(['status'])).stdout;
    expect(text).toMatch(new RegExp(`source\\tarxiv:quant-ph backfill .*: ok, 7 days, ${staged[0]!.n} papers`));
  });

  it('a failed backfill shows in status and doctor', async () => {
    arxiv.state.oai = () => ({ status: 500, body: 'down' });
    const r = await cli(['sync', '--source', 'arxiv:quant-ph', '--since', '2008-01-25'], {});
    expect(r.exitCode).toBe(1);
    const s = JSON.parse((await cli(['status', '--json'])).stdout);
    expect(s.sources.find((x: { kind: string }) => x.kind === 'harvest')).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/500/),
    });
    const doctor = JSON.parse((await cli(['doctor', '--json'])).stdout);
    expect(doctor.findings.find((f: { check: string }) => f.check === 'runs')).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/^last run: arxiv:quant-ph harvest failed/),
      repair: 'papers sync --source arxiv:quant-ph --since DAY',
    });
  });
});

describe('a harvest always ends', () => {
  it('a resumption token seen twice ends the harvest with one error, exit 1', async () => {
    arxiv.state.oai = () => ({ status: 200, body: OAI_FIRST });
    const r = await cli(['sync', '--source', 'arxiv:quant-ph', '--since', '2008-01-25']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/error: .*repeated a resumption token it gave before/);
    expect(oaiRequests()).toBe(2);
  });

  it('--deadline holds for an arXiv backfill', async () => {
    arxiv.state.hold = true;
    const r = await runPapers(
      ['sync', '--source', 'arxiv:quant-ph', '--since', '2008-01-25', '--deadline', '1s'],
      env(),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/arxiv:quant-ph: the sync ran out of its time budget/);
  }, 30_000);
});

describe('papers add', () => {
  it('an added paper is listed as added (list --type added, list, export)', async () => {
    expect((await cli(['add', 'quant-ph/0201082'])).exitCode).toBe(0);
    const added = await cli(['list', '--type', 'added']);
    expect(added.stdout.split('\n')[0]).toMatch(/^quant-ph\/0201082\t/);
    expect((await cli(['list'])).stdout).toMatch(/^quant-ph\/0201082\t/m);
    const exported = JSON.parse((await cli(['export', '--format', 'json'])).stdout);
    expect(exported.map((p: { id: string }) => p.id)).toEqual(['quant-ph/0201082']);
  });

  it('keeps every batch that succeeded, names the ids of the one that failed, exit 1', async () => {
    // 250 ids: three batches; the second answers 500 every time.
    const ids = Array.from({ length: 250 }, (_, i) => `2301.${String(10000 + i)}`);
    ids[0] = 'quant-ph/0201082';
    ids[200] = '1707.08567';
    arxiv.state.api = (asked) =>
      asked.includes(ids[100]!)
        ? { status: 500, body: 'oops' }
        : {
            status: 200,
            body: NO_ENTRY.replace(
              '</feed>',
              `${asked.map((id) => /<entry>[\s\S]*<\/entry>/.exec(BY_ID[id] ?? '')?.[0] ?? '').join('\n')}</feed>`,
            ),
          };
    const r = await cli(['add', ...ids, '--json']);
    expect(r.exitCode).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.inserted).toEqual(['quant-ph/0201082', '1707.08567']);
    expect(out.failed).toHaveLength(1);
    expect(out.failed[0].ids).toEqual(ids.slice(100, 200));
    expect(r.stderr).toMatch(/^error: 100 ids not fetched \(.*500.*\): 2301\.10100, /m);
    const db = join(home, 'papers.db');
    expect(query(db, 'SELECT id FROM papers ORDER BY id')).toEqual([{ id: '1707.08567' }, { id: 'quant-ph/0201082' }]);
  }, 60_000);
});

describe('several sources', () => {
  it("one source's failure does not stop the others: each runs, the exit status says it failed", async () => {
    for (const name of ['arxiv:cs.CL', 'arxiv:quant-ph']) expect((await cli(['source', 'add', name])).exitCode).toBe(0);
    // arxiv:cs.CL (first by name) cannot be harvested; quant-ph can.
    arxiv.state.oai = (q) =>
      q.set?.startsWith('cs:')
        ? { status: 500, body: 'down' }
        : { status: 200, body: q.resumptionToken ? OAI_LAST : OAI_FIRST };
    const r = await cli(['sync', '--source', 'arxiv', '--since', '2008-01-25']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^error: arxiv:cs\.CL: .*500/m);
    expect(r.stderr).toMatch(/^arxiv:quant-ph: backfilled since 2008-01-25: 7 days, /m);
  });
});

describe('papers today on a bad network', () => {
  it('a host that never answers: the archive within --timeout, one warning, exit 0 (a real process)', async () => {
    expect((await runPapers(['sync', '--date', '2025-03-17'], env())).code).toBe(0);
    hf.faults.push({ match: 'date=', kind: 'hang', times: Infinity });
    // Today (the machine's clock) has no list in the archive: its week is asked for, and hangs.
    const r = await runPapers(['today', '--timeout', '1'], env(), 20_000);
    hf.faults.length = 0;
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^warning: could not refresh \d{4}-\d\d-\d\d \(.*\); showing the archive as it is$/);
    expect(lines.slice(1)).toEqual([expect.stringMatching(/showing 2025-03-17, the latest day with a list$/)]);
  }, 30_000);

  it('a refused connection: the same one warning', async () => {
    await cli(['sync', '--date', '2025-03-17']);
    const r = await runCli(['today'], {
      home,
      now: NOW,
      env: env({ HF_ENDPOINT: 'http://127.0.0.1:9' }),
    });
    expect(r.exitCode).toBe(0);
    expect(r.stderr.split('\n')[0]).toMatch(
      /^warning: could not refresh 2026-09-24 \(.*\); showing the archive as it is$/,
    );
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(2);
  }, 30_000);
});

describe('politeness across processes', () => {
  it('papers add beside an arXiv sync: the two processes never ask arXiv closer than the delay', async () => {
    const delay = 1500;
    const e = env({ PAPERS_ARXIV_DELAY_MS: String(delay) });
    expect((await runPapers(['source', 'add', 'arxiv:cs.CL'], e)).code).toBe(0);
    const [a, b] = await Promise.all([
      runPapers(['sync', '--source', 'arxiv:cs.CL'], e),
      runPapers(['add', 'quant-ph/0201082'], e),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const times = arxiv.requests.map((r) => r.at).sort((x, y) => x - y);
    expect(times).toHaveLength(2);
    // The server's clock: the second request came at least the delay after the first was answered.
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(delay);
  }, 30_000);
});

describe('hostile XML', () => {
  it('a body nested 20,000 levels deep is a parse error, said once and not retried', async () => {
    const deep = `<?xml version="1.0"?><OAI-PMH>${'<a>'.repeat(20_000)}${'</a>'.repeat(20_000)}</OAI-PMH>`;
    arxiv.state.oai = () => ({ status: 200, body: deep });
    const r = await cli(['sync', '--source', 'arxiv:quant-ph', '--since', '2008-01-25']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/error: .*nested deeper than 256 levels/);
    expect(r.stderr).not.toMatch(/call stack/);
    expect(r.stderr.match(/nested deeper/g)).toHaveLength(1);
    expect(oaiRequests()).toBe(1);
  });
});
