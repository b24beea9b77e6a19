// `papers today` with a fixed clock: TTY and piped, --json, --offline, refresh when
// stale, the fallback to the latest day, and a network failure.
import { beforeEach, describe, expect, it } from 'vitest';
import { ANSI, fixtureDays, requestLog, useHfServer, stripAnsi } from './helpers/fixtures.js';
import { runCli, tempHome, type RunCliOptions } from './helpers/run-cli.js';

const NOW = '2025-03-17T12:00:00Z'; // a Monday
const TSV =
  [
    '2503.11002\t2025-03-17\t57\tOpen-Mill 1.0: Training a Commercial-Grade Video Model for $150k',
    '2503.10515\t2025-03-17\t12\tAgents That Ask: Clarifying Questions for Web Tasks',
  ].join('\n') + '\n';

const server = useHfServer(fixtureDays());
let home: string;

beforeEach(() => {
  server.faults.length = 0;
  server.requests.length = 0;
  home = tempHome();
});

function today(args: string[] = [], opts: RunCliOptions = {}) {
  return runCli(['today', ...args], { home, now: NOW, ...opts, env: { HF_ENDPOINT: server.url, ...opts.env } });
}

describe('papers today --date D', () => {
  it('a named day without a list is that day: empty, with where the nearest list is; a future day is a usage error', async () => {
    await today(); // syncs the week through 2025-03-17, whose only list is on the 17th
    await runCli(['sync', '--date', '2024-07-01', '-q'], { home, now: NOW, env: { HF_ENDPOINT: server.url } });
    const r = await today(['--date', '2025-03-16', '--offline']); // a Sunday
    expect(r).toEqual({
      stdout: '',
      stderr:
        'no papers listed on 2025-03-16; the latest earlier day with a list is 2024-07-01 (papers today --date 2024-07-01)\n',
      exitCode: 0,
    });
    expect((await today(['--date', '2025-03-16', '--offline', '--json'])).stdout).toBe('[]\n');
    // --date naming today is that day too (no fallback, unlike plain `today`).
    const named = await today(['--date', '2025-03-16', '--offline', '--json'], { now: '2025-03-16T12:00:00Z' });
    expect(named.stdout).toBe('[]\n');
    server.requests.length = 0;
    const early = await today(['--date', '2020-01-06', '--json']); // before Daily Papers: nothing to fetch
    expect(early.stdout).toBe('[]\n');
    expect(server.requests).toEqual([]);
    const future = await today(['--date', '2025-03-18']);
    expect(future.exitCode).toBe(2);
    expect(future.stderr).toBe('error: 2025-03-18 is in the future (today is 2025-03-17 UTC)\n');
  });
});

describe('papers today', () => {
  it('piped: one id/day/upvotes/title line per paper, by upvotes, no colour, nothing on stderr', async () => {
    const r = await today();
    expect(r).toEqual({ stdout: TSV, stderr: '', exitCode: 0 });
    // an empty archive: the whole last week is fetched first
    expect(requestLog(server).sort()).toEqual(
      ['2025-03-11', '2025-03-12', '2025-03-13', '2025-03-14', '2025-03-15', '2025-03-16', '2025-03-17'].map(
        (d) => `api ${d} limit=100 p=0`,
      ),
    );
  });

  it('NO_COLOR on a TTY: the TTY layout without escapes', async () => {
    await today();
    const r = await today(['--offline'], { tty: true, env: { NO_COLOR: '1' } });
    expect(r.stdout).not.toMatch(ANSI);
    expect(r.stdout).toContain('Hugging Face Daily Papers · 2025-03-17 (Monday) · 2 papers');
  });

  it('TTY: a header, ranked blocks with upvotes, first authors et al., id, link and keywords, in colour', async () => {
    const r = await today([], { tty: true, columns: 80 });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(ANSI);
    expect(stripAnsi(r.stdout).split('\n')).toEqual([
      'Hugging Face Daily Papers · 2025-03-17 (Monday) · 2 papers',
      '',
      '1.    ▲57 Open-Mill 1.0: Training a Commercial-Grade Video Model for $150k',
      '          Lena Fischer, Kofi Mensah, Yuki Sato et al. · 2503.11002',
      '          https://arxiv.org/abs/2503.11002',
      '          code: https://github.com/open-mill/open-mill',
      '          keywords: video generation, data curation, latent space, two-stage',
      '          training',
      '',
      '2.    ▲12 Agents That Ask: Clarifying Questions for Web Tasks',
      '          Omar Haddad · 2503.10515 · https://arxiv.org/abs/2503.10515',
      '          keywords: web agents, clarifying questions',
      '',
    ]);
    for (const line of stripAnsi(r.stdout).split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('--json: an array of papers with id, title, author names, abstract, upvotes, publishedAt, days, url', async () => {
    const r = await today(['--json']);
    expect(r.exitCode).toBe(0);
    const papers = JSON.parse(r.stdout);
    expect(papers).toHaveLength(2);
    expect(papers[0]).toMatchObject({
      id: '2503.11002',
      title: 'Open-Mill 1.0: Training a Commercial-Grade Video Model for $150k',
      authors: ['Lena Fischer', 'Kofi Mensah', 'Yuki Sato', 'Ana Costa'],
      abstract:
        'We train a video generation model that rivals commercial systems for $150k of compute. Data curation, a two-stage schedule and a compressed latent space do most of the work.',
      upvotes: 57,
      publishedAt: '2025-03-14T17:58:40.000Z',
      days: ['2025-03-17'],
      url: 'https://arxiv.org/abs/2503.11002',
    });
    expect(papers.map((p: { id: string }) => p.id)).toEqual(['2503.11002', '2503.10515']);
    expect(r.stderr).toBe('');
  });

  it('--json lists every listing day of a paper', async () => {
    await runCli(['sync', '--since', '2024-06-13', '--until', '2024-06-19'], {
      home,
      now: '2024-06-20T00:00:00Z',
      env: { HF_ENDPOINT: server.url },
    });
    const r = await today(['--date', '2024-06-19', '--json', '--offline'], { now: '2024-06-20T00:00:00Z' });
    const papers = JSON.parse(r.stdout);
    expect(papers.map((p: { id: string; days: string[] }) => [p.id, p.days])).toEqual([
      ['2406.12044', ['2024-06-19']],
      ['2406.08117', ['2024-06-13', '2024-06-19']],
    ]);
  });

  it('--offline never touches the network', async () => {
    await today();
    server.requests.length = 0;
    const r = await today(['--offline'], { now: '2025-03-17T18:00:00Z' });
    expect(r).toEqual({ stdout: TSV, stderr: '', exitCode: 0 });
    expect(server.requests).toEqual([]);
  });

  it('--offline on an empty archive says so and exits 0', async () => {
    const r = await today(['--offline']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('no list for 2025-03-17 yet, and the archive has no earlier day; run `papers sync`\n');
    expect(server.requests).toEqual([]);
  });

  it('refreshes only when the day is older than --max-age', async () => {
    await today();
    server.requests.length = 0;
    await today([], { now: '2025-03-17T12:20:00Z' });
    expect(server.requests).toEqual([]);
    await today([], { now: '2025-03-17T12:40:00Z' });
    expect(requestLog(server)).toEqual(['api 2025-03-17 limit=100 p=0']);
    server.requests.length = 0;
    await today(['--max-age', '2h'], { now: '2025-03-17T14:00:00Z' });
    expect(server.requests).toEqual([]);
  });

  it('when today has no list yet, says so on stderr and shows the latest day that has one', async () => {
    await runCli(['sync', '--date', '2024-06-13'], {
      home,
      now: '2024-06-14T00:00:00Z',
      env: { HF_ENDPOINT: server.url },
    });
    server.requests.length = 0;
    const r = await today([], { now: '2024-06-15T10:00:00Z' }); // a Saturday: []
    expect(r.exitCode).toBe(0);
    expect(requestLog(server)).toEqual(['api 2024-06-15 limit=100 p=0']);
    expect(r.stderr).toBe('no list for 2024-06-15 yet; showing 2024-06-13, the latest day with a list\n');
    expect(r.stdout).toBe(
      '2406.08117\t2024-06-13\t18\tSkim Before You Read: Token Pruning for Long-Context Retrieval Augmented Generation\n' +
        '2406.07790\t2024-06-13\t4\tHearing the "Thud": Audio-Visual Contact Detection\n',
    );
    const tty = await today(['--offline'], { now: '2024-06-15T10:00:00Z', tty: true });
    expect(stripAnsi(tty.stdout)).toMatch(/^Hugging Face Daily Papers · 2024-06-13 \(Thursday\) · 2 papers\n/);
  });

  it('a network failure: one warning line, the cached list, exit 0', async () => {
    await today();
    const r = await today([], { now: '2025-03-17T13:00:00Z', env: { HF_ENDPOINT: 'http://127.0.0.1:9' } });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(TSV);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^warning: could not refresh 2025-03-17 \(.*127\.0\.0\.1:9.*\); showing the archive as it is$/,
    );
  });

  it('a network failure with nothing cached: the warning, then that there is nothing to show', async () => {
    const r = await today([], { env: { HF_ENDPOINT: 'http://127.0.0.1:9' } });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^warning: could not refresh 2025-03-17 \(.*\); showing the archive as it is\nno list for 2025-03-17 yet, and the archive has no earlier day\n$/,
    );
  });

  it('--date shows another day; --abstract adds the abstract; --limit cuts the list', async () => {
    const r = await today(['--date', '2025-06-25', '--abstract', '--limit', '1'], { now: '2025-06-26T00:00:00Z' });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(
      '2506.19033\t2025-06-25\t21\tPuppeteer: Animating Any 3D Mesh with Joint Video-Pose Diffusion\tWe animate arbitrary meshes by denoising video and pose together.\n',
    );
  });

  it('--limit 0 prints nothing and does not pretend the day has no list', async () => {
    await today();
    const r = await today(['--offline', '--limit', '0']);
    expect(r).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    const json = await today(['--offline', '--limit', '0', '--json']);
    expect(JSON.parse(json.stdout)).toEqual([]);
    expect(json.stderr).toBe('');
  });

  it('while a sync runs: a warning, the archive as it is, exit 0', async () => {
    await today();
    server.requests.length = 0;
    server.faults.push({ match: 'date=2025-03-10', kind: 'hang' });
    const ac = new AbortController();
    const env = { HF_ENDPOINT: server.url };
    const running = runCli(['sync', '--date', '2025-03-10'], { home, now: NOW, env, signal: ac.signal });
    while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    const r = await today([], { now: '2025-03-17T13:00:00Z' });
    ac.abort();
    await running;
    expect(r).toEqual({
      stdout: TSV,
      stderr: 'warning: a sync is running; showing the archive as it is\n',
      exitCode: 0,
    });
    expect(requestLog(server)).toEqual(['api 2025-03-10 limit=100 p=0']);
  });
});
