import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BY_ID,
  NO_ENTRY,
  OAI_FIRST,
  OAI_LAST,
  readArxivSample,
  startArxivServer,
  type Answer,
  type Seen,
} from './helpers/arxiv.js';
import { fixtureDays, useHfServer } from './helpers/fixtures.js';
import { runCli, tempHome, type RunCliOptions } from './helpers/run-cli.js';

const FEED_4 = readArxivSample('rss/cs.LG+cs.AI+cs.CL+stat.ML_2026-09-24_4items.xml');
const SRC = 'arxiv:cs.LG+cs.AI+cs.CL+stat.ML';
// Thu 2026-09-24, 09:00 New York: after that day's announcement.
const NOW = '2026-09-24T13:00:00Z';
const ERROR_FEED = `<?xml version='1.0' encoding='UTF-8'?><rss version="2.0"><channel>
<title>Feed error for query: http://rss.arxiv.org/rss/cs.LG</title>
<description>Bad archive 'cs.LG'. Valid archive names are: cs</description></channel></rss>`;

const hf = useHfServer(fixtureDays());
let closers: (() => Promise<void>)[] = [];
let home: string;
beforeEach(() => {
  home = tempHome();
  hf.requests.length = 0;
});
afterEach(async () => {
  for (const c of closers) await c();
  closers = [];
});

/** The default arXiv: the 4-item feed, the query API by id_list, OAI-PMH in two pages. */
function arxivRoute(req: Seen): Answer {
  if (req.path.startsWith('/rss/')) return { headers: { 'content-type': 'application/rss+xml' }, body: FEED_4 };
  if (req.path === '/api/query') {
    // As arXiv does: an id with its version answers that version (here the only one kept).
    const ids = (req.query.id_list ?? '').split(',').map((id) => id.replace(/v\d+$/, ''));
    const entries = ids.map((id) => /<entry>[\s\S]*<\/entry>/.exec(BY_ID[id] ?? '')?.[0] ?? '').join('\n');
    return { body: NO_ENTRY.replace('</feed>', `${entries}</feed>`) };
  }
  if (req.path === '/oai') return { body: req.query.resumptionToken ? OAI_LAST : OAI_FIRST };
  return { status: 404, body: 'not here' };
}

async function arxiv(route: (req: Seen) => Answer = arxivRoute) {
  const s = await startArxivServer(route);
  closers.push(s.close);
  return s;
}

function cli(url: string, argv: string[], opts: RunCliOptions = {}) {
  return runCli(argv, {
    home,
    now: NOW,
    ...opts,
    env: { HF_ENDPOINT: hf.url, ARXIV_ENDPOINT: url, PAPERS_ARXIV_DELAY_MS: '0', ...opts.env },
  });
}

describe('papers source', () => {
  it('add, list (TSV and JSON), rm; a followed source again says so', async () => {
    const srv = await arxiv();
    expect(await cli(srv.url, ['source', 'add', 'arxiv:cs.cl+cs.LG'])).toEqual({
      stdout: '',
      stderr: 'following arxiv:cs.CL+cs.LG\n',
      exitCode: 0,
    });
    expect((await cli(srv.url, ['source', 'add', 'arxiv:cs.CL+cs.LG'])).stderr).toBe(
      'already following arxiv:cs.CL+cs.LG\n',
    );
    const tsv = await cli(srv.url, ['source', 'list']);
    expect(tsv.stdout).toBe(
      `arxiv:cs.CL+cs.LG\t\t0\t${NOW.replace('Z', '.000Z')}\nhf\t\t0\t${tsv.stdout.split('\t').at(-1)}`,
    );
    const json = JSON.parse((await cli(srv.url, ['source', 'list', '--json'])).stdout);
    expect(json[0]).toEqual({
      name: 'arxiv:cs.CL+cs.LG',
      addedAt: '2026-09-24T13:00:00.000Z',
      lastDay: null,
      papers: 0,
    });
    expect(json.map((s: { name: string }) => s.name)).toEqual(['arxiv:cs.CL+cs.LG', 'hf']);
    const tty = await cli(srv.url, ['source', 'list'], { tty: true, env: { NO_COLOR: '1' } });
    expect(tty.stdout).toMatch(/arxiv:cs\.CL\+cs\.LG\s+not synced yet\s+0 papers\s+since 2026-09-24/);
    expect(await cli(srv.url, ['source', 'rm', 'arxiv:cs.CL+cs.LG'])).toMatchObject({
      stderr: 'stopped following arxiv:cs.CL+cs.LG; its papers stay in the archive\n',
      exitCode: 0,
    });
    expect(JSON.parse((await cli(srv.url, ['source', 'list', '--json'])).stdout)).toHaveLength(1);
    expect(srv.requests).toEqual([]);
  });

  it('a category arXiv does not have exits 2 with a did-you-mean; rm of a source not followed exits 2', async () => {
    const srv = await arxiv();
    const bad = await cli(srv.url, ['source', 'add', 'arxiv:cs.CLL']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/arXiv has no category "?cs\.CLL"?/);
    expect(bad.stderr).toMatch(/hint: did you mean cs\.CL/);
    const rm = await cli(srv.url, ['source', 'rm', 'arxiv:quant-ph']);
    expect(rm.exitCode).toBe(2);
    expect(rm.stderr).toMatch(/not a followed source/);
  });
});

describe('papers sync with arXiv sources', () => {
  it('hf-only archives sync as before: one summary line, no arXiv request', async () => {
    const srv = await arxiv();
    const r = await cli(srv.url, ['sync', '--date', '2025-03-17'], { now: '2025-03-17T12:00:00Z' });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/^synced 1 day: \d+ papers \(\d+ papers? new to the archive, 0 updated\), 0 failed\n$/);
    expect(srv.requests).toEqual([]);
  });

  it('syncs every followed source: hf through the day sync, arXiv through its feed; one line each; -q says nothing', async () => {
    const srv = await arxiv();
    await cli(srv.url, ['source', 'add', SRC]);
    const r = await cli(srv.url, ['sync']);
    expect(r.exitCode).toBe(0);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^hf: synced \d+ days: /);
    expect(lines[1]).toBe(`${SRC}: announcement of 2026-09-24: 4 papers (4 papers new to the archive, 0 updated)`);
    expect(srv.requests.map((q) => q.path)).toEqual(['/rss/cs.LG+cs.AI+cs.CL+stat.ML']);
    expect(srv.requests[0]!.headers['user-agent']).toMatch(/^papers\/\S+ \(\+https:\/\//);
    // The same announcement cycle: no second request, and -q prints nothing.
    const again = await cli(srv.url, ['sync', '-q']);
    expect(again).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(srv.requests).toHaveLength(1);
    const list = await cli(srv.url, ['source', 'list', '--json']);
    expect(JSON.parse(list.stdout)[0]).toMatchObject({ name: SRC, lastDay: '2026-09-24', papers: 4 });
  });

  it('--source NAME syncs that source alone, followed or not; --json gives its summary', async () => {
    const srv = await arxiv();
    const r = await cli(srv.url, ['sync', '--source', 'arxiv:cs.lg+cs.AI+cs.CL+stat.ML', '--json']);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      announcement: { source: SRC, outcome: 'saved', day: '2026-09-24', papers: 4, new: 4, updated: 0, requests: 1 },
    });
    expect(r.stderr).toBe('');
    expect(hf.requests).toEqual([]);
    const text = await cli(srv.url, ['sync', '--source', SRC]);
    expect(text.stderr).toBe(`${SRC}: announcement of 2026-09-24 already synced; the next is after 20:00 US Eastern\n`);
  });

  it('--source arxiv:… --since D backfills from OAI-PMH, listed as submitted; other day options are refused', async () => {
    const srv = await arxiv();
    const r = await cli(srv.url, ['sync', '--source', 'arxiv:quant-ph', '--since', '2008-01-25']);
    expect(r.exitCode).toBe(0);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[1]).toMatch(
      /^arxiv:quant-ph: backfilled since 2008-01-25: 7 days, \d+ papers \(\d+ papers? new to the archive, 0 updated\) in 2 pages$/,
    );
    expect(srv.requests.filter((q) => q.path === '/oai').map((q) => q.query)).toEqual([
      { verb: 'ListRecords', metadataPrefix: 'arXivRaw', set: 'physics:quant-ph', from: '2008-01-25' },
      { verb: 'ListRecords', resumptionToken: '496549|47001' },
    ]);
    const listed = await cli(srv.url, [
      'list',
      '--source',
      'arxiv:quant-ph',
      '--type',
      'submitted',
      '--date',
      '2008-01-29',
    ]);
    expect(listed.stdout.trimEnd().split('\n')).toHaveLength(12);
    const bad = await cli(srv.url, ['sync', '--source', 'arxiv:quant-ph', '--days', '3']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/takes --since only/);
  });

  it('a bad source name or day option exits 2 before the archive is created or any request made', async () => {
    const srv = await arxiv();
    for (const argv of [
      ['--source', 'arxiv:cs.XX'],
      ['--source', 'arxiv:cs.CL', '--date', '2026-09-01'],
      ['--source', 'x'],
    ]) {
      const r = await cli(srv.url, ['sync', ...argv]);
      expect(r.exitCode, argv.join(' ')).toBe(2);
    }
    expect((await cli(srv.url, ['source', 'list'])).stderr).toMatch(/no archive at/);
    expect(srv.requests).toEqual([]);
  });

  it('a feed arXiv refuses exits 2 naming the category; an upstream failure exits 1', async () => {
    const refused = await arxiv(() => ({ status: 400, body: ERROR_FEED }));
    const r = await cli(refused.url, ['sync', '--source', 'arxiv:cs.LG']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/Bad archive 'cs\.LG'/);
    const down = await arxiv(() => ({ status: 500, body: 'down' }));
    const f = await cli(down.url, ['sync', '--source', 'arxiv:cs.LG']);
    expect(f.exitCode).toBe(1);
    expect(f.stderr).toMatch(/^arxiv:cs\.LG: announcement of 2026-09-24 failed\nerror: arxiv:cs\.LG: .*500/);
  });
});

describe('papers add', () => {
  it('fetches ids in one batch; an id arXiv does not know exits 1 naming it, after the others are saved', async () => {
    const srv = await arxiv();
    const r = await cli(srv.url, ['add', 'quant-ph/0201082v1', 'https://arxiv.org/abs/1707.08567', '2301.99999']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(
      'added 2 papers: 2 new, 0 updated, 0 unchanged\nerror: arXiv does not know 2301.99999\n' +
        'hint: check the id on https://arxiv.org/abs/ID (a new paper can take a day to appear)\n',
    );
    expect(srv.requests.map((q) => q.query)).toEqual([
      { id_list: 'quant-ph/0201082v1,1707.08567,2301.99999', max_results: '3' },
    ]);
    const show = JSON.parse((await cli(srv.url, ['show', 'quant-ph/0201082', '--json'])).stdout);
    expect(show).toMatchObject({ id: 'quant-ph/0201082', categories: ['quant-ph', 'cs.PL'] });
    const json = await cli(srv.url, ['add', '1707.08567', '--json']);
    expect(json.exitCode).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      requested: ['1707.08567'],
      unchanged: ['1707.08567'],
      notFound: [],
    });
  });

  it('a bad id exits 2 before any request and creates no archive', async () => {
    const srv = await arxiv();
    const r = await cli(srv.url, ['add', '1707.08567', 'not-an-id']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/not-an-id/);
    expect(srv.requests).toEqual([]);
    expect((await cli(srv.url, ['source', 'list'])).exitCode).toBe(1);
  });
});

describe('papers today --source arxiv', () => {
  it('fetches the followed categories once per cycle and shows their announcement: new and cross by default', async () => {
    const srv = await arxiv();
    await cli(srv.url, ['source', 'add', SRC]);
    const r = await cli(srv.url, ['today', '--source', 'arxiv']);
    expect(r.exitCode).toBe(0);
    expect(
      r.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t').slice(0, 2)),
    ).toEqual([
      ['2609.26811', '2026-09-24'],
      ['2609.26820', '2026-09-24'],
      ['2205.06398', '2026-09-24'],
    ]);
    expect(srv.requests).toHaveLength(1);
    expect(hf.requests).toEqual([]);
    const all = await cli(srv.url, ['today', '--source', 'arxiv', '--type', 'all', '--json']);
    expect(JSON.parse(all.stdout).map((p: { id: string }) => p.id)).toEqual([
      '2609.26811',
      '2609.26820',
      '2205.06398',
      '2009.13987',
    ]);
    const cross = await cli(srv.url, ['today', '--source', 'arxiv', '--type', 'cross', '--json']);
    expect(JSON.parse(cross.stdout).map((p: { id: string }) => p.id)).toEqual(['2205.06398']);
    expect(srv.requests).toHaveLength(1);
    const tty = await cli(srv.url, ['today', '--source', 'arxiv', '--offline'], { tty: true, env: { NO_COLOR: '1' } });
    expect(tty.stdout.split('\n')[0]).toBe(`${SRC} · 2026-09-24 (Thursday) · 3 papers`);
  });

  it('ranks papers a watch matches first, then papers HF lists, then arXiv order; cross-lists after new', async () => {
    const srv = await arxiv();
    await cli(srv.url, ['source', 'add', SRC]);
    await cli(srv.url, ['sync', '--source', SRC, '-q']);
    // 2205.06398 (third in arXiv's order) is watched; 2609.26820 (second) is listed by HF too.
    await cli(srv.url, ['watch', 'add', 'outliers', '-k', 'outlier detection']);
    const { openDb } = await import('../src/db/open.js');
    const db = openDb(join(home, 'papers.db'));
    db.prepare(`INSERT INTO listings (day, source, paper_id, rank) VALUES ('2026-09-23', 'hf', '2609.26820', 1)`).run();
    db.close();
    const r = await cli(srv.url, ['today', '--source', 'arxiv', '--offline', '--json']);
    // 2205.06398 is a cross-list: first among the cross-lists, after the new papers (issue 22.4).
    expect(JSON.parse(r.stdout).map((p: { id: string }) => p.id)).toEqual(['2609.26820', '2609.26811', '2205.06398']);
    // Plain today is Hugging Face's list alone, as before.
    const plain = await cli(srv.url, ['today', '--offline', '--json', '--date', '2026-09-23']);
    expect(JSON.parse(plain.stdout).map((p: { id: string }) => p.id)).toEqual(['2609.26820']);
  });

  it('with 3+ stars: watch matches first, then the model of the stars, each with its relevance', async () => {
    const srv = await arxiv();
    await cli(srv.url, ['source', 'add', SRC]);
    await cli(srv.url, ['sync', '--source', SRC, '-q']);
    const { openDb } = await import('../src/db/open.js');
    const { makeRecord, saveHfDay } = await import('./helpers/paper.js');
    const db = openDb(join(home, 'papers.db'));
    const starTexts = [
      ['Explainable anomaly detection in ECG signals', 'Physiological signals hide rare anomalies; we detect them.'],
      ['Temporal reasoning for wearable sensor data', 'Symbolic temporal reasoning over time-series from sensors.'],
      ['Neuro-symbolic models of time-series', 'A neuro-symbolic detector explains anomalies in time series.'],
    ];
    const topic = (i: number) => makeRecord(`2609.0100${i}`, { title: starTexts[i]![0]!, abstract: starTexts[i]![1]! });
    const other = (i: number) =>
      makeRecord(`2609.0200${i}`, {
        title: `Image generation with diffusion transformers ${i}`,
        abstract: 'A diffusion transformer renders images from text prompts at high resolution.',
      });
    saveHfDay(db, '2026-09-20', [0, 1, 2].map(topic).concat([0, 1, 2, 3, 4, 5].map(other)));
    db.close();
    await cli(srv.url, ['star', '2609.01000', '2609.01001', '2609.01002']);
    const r = await cli(srv.url, ['today', '--source', 'arxiv', '--offline', '--json']);
    const ranked = JSON.parse(r.stdout) as { id: string; relevance: number }[];
    expect(ranked[0]!.id).toBe('2609.26820');
    expect(ranked.map((p) => p.id).sort()).toEqual(['2205.06398', '2609.26811', '2609.26820']);
    expect(ranked.every((p) => p.relevance >= 0 && p.relevance <= 1)).toBe(true);
    expect(ranked[0]!.relevance).toBeGreaterThan(ranked[2]!.relevance);
    // Piped: the relevance is the last column; a watch's matches still come first.
    await cli(srv.url, ['watch', 'add', 'polytopes', '-k', 'polytope']);
    const all = await cli(srv.url, ['today', '--source', 'arxiv', '--offline', '--type', 'all']);
    const rows = all.stdout
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(rows[0]![0]).toBe('2009.13987');
    expect(rows[1]![0]).toBe('2609.26820');
    expect(rows.every((row) => /^[01]\.\d\d$/.test(row.at(-1)!))).toBe(true);
    // list --sort for-you: the same model over any listing.
    const list = await cli(srv.url, ['list', '--source', SRC, '--sort', 'for-you', '--json']);
    expect(JSON.parse(list.stdout)[0].id).toBe('2609.26820');
    // Hidden papers are left out of today unless --hidden.
    await cli(srv.url, ['hide', '2609.26820']);
    const after = await cli(srv.url, ['today', '--source', 'arxiv', '--offline', '--json']);
    expect(JSON.parse(after.stdout).map((p: { id: string }) => p.id)).not.toContain('2609.26820');
    const shown = await cli(srv.url, ['today', '--source', 'arxiv', '--offline', '--json', '--hidden']);
    expect(JSON.parse(shown.stdout).map((p: { id: string }) => p.id)).toContain('2609.26820');
  });

  it('list --sort for-you with fewer than 3 stars exits 1 and says what to do', async () => {
    const srv = await arxiv();
    await cli(srv.url, ['source', 'add', SRC]);
    await cli(srv.url, ['sync', '--source', SRC, '-q']);
    const r = await cli(srv.url, ['list', '--sort', 'for-you']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^error: --sort for-you learns from your stars: at least 3 needed\nhint: star papers/);
  });

  it('sync --source arxiv syncs every followed arXiv source (none followed: exit 2)', async () => {
    const srv = await arxiv();
    const none = await cli(srv.url, ['sync', '--source', 'arxiv']);
    expect([none.exitCode, none.stderr.split('\n')[0]]).toEqual([2, 'error: no arXiv source is followed']);
    await cli(srv.url, ['source', 'add', SRC]);
    const r = await cli(srv.url, ['sync', '--source', 'arxiv']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(srv.requests).toHaveLength(1);
    expect(hf.requests).toEqual([]);
  });

  it('a source not followed is refused: today would fetch it behind source list', async () => {
    const srv = await arxiv();
    const r = await cli(srv.url, ['today', '--source', 'arxiv:cs.LG']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^error: arxiv:cs.LG is not a followed source\nhint: papers source add arxiv:cs.LG/);
    expect(srv.requests).toEqual([]);
  });

  it('--cat narrows the announcement; an unknown category exits 2 with a did-you-mean', async () => {
    const srv = await arxiv();
    await cli(srv.url, ['sync', '--source', SRC, '-q']);
    const r = await cli(srv.url, ['today', '--source', 'arxiv', '--cat', 'stat.ML', '--offline', '--json']);
    expect(JSON.parse(r.stdout).map((p: { id: string }) => p.id)).toEqual(['2205.06398']);
    const bad = await cli(srv.url, ['today', '--source', 'arxiv', '--cat', 'stat.MLL', '--offline']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/did you mean stat\.ML/);
  });
});

describe('export of arXiv papers', () => {
  it('BibTeX carries eprint, archivePrefix, primaryClass and the DOI; --source and --cat select', async () => {
    const srv = await arxiv();
    await cli(srv.url, ['sync', '--source', SRC, '-q']);
    const r = await cli(srv.url, [
      'export',
      '--source',
      'arxiv',
      '--cat',
      'stat.ME',
      '--format',
      'bibtex',
      '--no-abstract',
    ]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(
      [
        '@misc{dey2022outlier,',
        '  title = {{Outlier Detection for Multi-Network Data}},',
        '  author = {Pritam Dey and Zhengwu Zhang and David B. Dunson},',
        '  year = {2022},',
        '  eprint = {2205.06398},',
        '  archivePrefix = {arXiv},',
        '  primaryClass = {stat.ME},',
        '  url = {https://arxiv.org/abs/2205.06398},',
        '  doi = {10.1093/bioinformatics/btac431}',
        '}',
        '',
      ].join('\n'),
    );
    const hfOnly = await cli(srv.url, ['export', '--source', 'hf', '--format', 'bibtex']);
    expect(hfOnly).toMatchObject({ stdout: '', exitCode: 0 });
  });
});

describe('stats with sources', () => {
  it('--by category counts each paper under its primary category; --source and --cat narrow', async () => {
    const srv = await arxiv();
    await cli(srv.url, ['sync', '--source', SRC, '-q']);
    await cli(srv.url, ['sync', '--date', '2025-03-17', '-q'], { now: '2025-03-17T12:00:00Z' });
    const r = await cli(srv.url, ['stats', '--source', 'arxiv', '--by', 'category']);
    expect(r.exitCode).toBe(0);
    // The replacement (2009.13987) is not a paper of the day; the other three, one row per primary class.
    expect(
      r.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t').slice(0, 2)),
    ).toEqual([
      ['cs.LG', '2'],
      ['stat.ME', '1'],
    ]);
    const json = JSON.parse((await cli(srv.url, ['stats', '--by', 'category', '--json'])).stdout);
    expect(json.periods.at(-1)).toMatchObject({ period: '(none)' });
    expect(json.papers).toBeGreaterThan(3);
    const cat = JSON.parse((await cli(srv.url, ['stats', '--cat', 'stat.*', '--json'])).stdout);
    expect(cat.papers).toBe(1);
    const tty = await cli(srv.url, ['stats', '--source', 'arxiv', '--by', 'category'], {
      tty: true,
      env: { NO_COLOR: '1' },
    });
    expect(tty.stdout).toMatch(/^category\s+papers\ncs\.LG\s+2 █+/);
    expect(tty.stdout).toMatch(/3 papers, each counted under its primary arXiv category/);
  });
});

describe('read commands know sources', () => {
  const ids = (stdout: string) => (JSON.parse(stdout) as { id: string }[]).map((p) => p.id).sort();
  const ARXIV_DAY = ['2205.06398', '2609.26811', '2609.26820'];

  it('list, search, grep, watches and digest take --source, --cat and --type', async () => {
    const srv = await arxiv();
    await cli(srv.url, ['sync', '--source', SRC, '-q']);
    await cli(srv.url, ['sync', '--date', '2025-03-17', '-q'], { now: '2025-03-17T12:00:00Z' });
    expect(ids((await cli(srv.url, ['list', '--source', 'arxiv', '--json'])).stdout)).toEqual(ARXIV_DAY);
    expect(ids((await cli(srv.url, ['list', '--source', SRC, '--type', 'all', '--json'])).stdout)).toEqual(
      ['2009.13987', ...ARXIV_DAY].sort(),
    );
    const hfIds = ids((await cli(srv.url, ['list', '--source', 'hf', '--json'])).stdout);
    expect(hfIds.length).toBeGreaterThan(0);
    expect(hfIds.some((id) => ARXIV_DAY.includes(id))).toBe(false);
    expect(ids((await cli(srv.url, ['list', '--type', 'new', '--json'])).stdout)).toEqual(['2609.26811', '2609.26820']);
    expect(ids((await cli(srv.url, ['search', 'outlier', '--source', 'arxiv', '--json'])).stdout)).toEqual([
      '2205.06398',
    ]);
    // A paper only a replacement listed is one of no day's papers: search leaves it out as list does.
    expect(ids((await cli(srv.url, ['search', 'random', 'polytope', '--json'])).stdout)).toEqual([]);
    expect(ids((await cli(srv.url, ['search', 'random', 'polytope', '--type', 'all', '--json'])).stdout)).toEqual([
      '2009.13987',
    ]);
    expect(ids((await cli(srv.url, ['search', 'outlier', '--source', 'hf', '--json'])).stdout)).toEqual([]);
    const grep = await cli(srv.url, ['grep', '-i', 'outlier', '--field', 'title', '--cat', 'stat']);
    expect(grep.stdout).toBe('2205.06398:title:1:Outlier Detection for Multi-Network Data\n');
    expect((await cli(srv.url, ['grep', '-i', 'outlier', '--source', 'hf'])).stdout).toBe('');

    const watch = await cli(srv.url, ['watch', 'add', 'stats', '--cat', 'stat.ME', '--source', 'arxiv']);
    expect(watch.stderr).toBe(
      'saved watch stats: --source arxiv --cat stat.ME (1 match in the archive, 1 new: papers watch show stats)\n',
    );
    expect(ids((await cli(srv.url, ['watch', 'show', 'stats', '--json'])).stdout)).toEqual(['2205.06398']);
    const digest = JSON.parse(
      (await cli(srv.url, ['digest', '--format', 'json', '--source', 'hf', '--since', '2025-01-01'])).stdout,
    );
    const digestIds = digest.sections.flatMap((s: { papers: { id: string }[] }) => s.papers.map((p) => p.id));
    expect(digestIds).toEqual([]);
    const all = JSON.parse(
      (await cli(srv.url, ['digest', '--format', 'json', '--type', 'all', '--since', '2026-09-01'])).stdout,
    );
    expect(all.sections[0].papers.map((p: { id: string }) => p.id)).toEqual(['2205.06398']);
  });

  it('an unknown category or type exits 2 before reading', async () => {
    const srv = await arxiv();
    await cli(srv.url, ['sync', '--source', SRC, '-q']);
    const cat = await cli(srv.url, ['list', '--cat', 'cs.LGG']);
    expect(cat.exitCode).toBe(2);
    expect(cat.stderr).toMatch(/--cat: arXiv has no category "?cs\.LGG"?[\s\S]*did you mean cs\.LG/);
    const type = await cli(srv.url, ['list', '--type', 'fresh']);
    expect(type.exitCode).toBe(2);
    expect(type.stderr).toMatch(/--type takes new, cross, replace, replace-cross, submitted, added, all/);
    const src = await cli(srv.url, ['list', '--source', 'arxv']);
    expect(src.exitCode).toBe(2);
  });
});

describe('arXiv configuration', () => {
  it('ARXIV_ENDPOINT replaces every arXiv host; the 3 s delay is shortened only by PAPERS_ARXIV_DELAY_MS', async () => {
    const { resolveConfig, ENV_HELP } = await import('../src/config.js');
    expect(resolveConfig({}).arxivEndpoints).toEqual({
      rss: 'https://rss.arxiv.org',
      api: 'https://export.arxiv.org',
      oai: 'https://oaipmh.arxiv.org',
      pdf: 'https://arxiv.org',
    });
    expect(resolveConfig({}).arxivDelayMs).toBe(3000);
    expect(resolveConfig({ ARXIV_ENDPOINT: 'http://127.0.0.1:9/', PAPERS_ARXIV_DELAY_MS: '5' })).toMatchObject({
      arxivEndpoints: {
        rss: 'http://127.0.0.1:9',
        api: 'http://127.0.0.1:9',
        oai: 'http://127.0.0.1:9',
        pdf: 'http://127.0.0.1:9',
      },
      arxivDelayMs: 5,
    });
    expect(ENV_HELP).toMatch(/ARXIV_ENDPOINT/);
    expect(ENV_HELP).toMatch(/PAPERS_ARXIV_DELAY_MS .*for tests only/);
  });

  it('an ARXIV_ENDPOINT that is not an http(s) URL is a usage error', async () => {
    const r = await cli('ftp://example.org', ['sync', '--source', 'arxiv:cs.CL']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^error: ARXIV_ENDPOINT is not an http\(s\) URL/);
  });
});
