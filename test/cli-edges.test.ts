// Edges a new user hit (a review of the CLI as a user would try it): nested commands'
// exit codes, -o over the archive, keywords matched as text, a malformed HF_ENDPOINT,
// how failed days are retried, -q (Ctrl-C during a runaway grep: test/system/signals.test.ts).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, makeEntries, query, useHfServer } from './helpers/fixtures.js';
import { FAST_HTTP, runCli, syncOwn, tempHome } from './helpers/run-cli.js';

const DAY = '2025-05-05';
const ENTRIES = makeEntries(DAY, 3);
ENTRIES[0]!.paper.ai_keywords = ['diffusion model', 'source'];
ENTRIES[1]!.paper.ai_keywords = ['retrieval'];
const server = useHfServer(new Map([[DAY, ENTRIES]]));

async function synced(): Promise<{ home: string; env: Record<string, string> }> {
  const home = tempHome();
  const env = { HF_ENDPOINT: server.url };
  const r = await runCli(['sync', '--date', DAY], { home, env, now: '2025-05-06T00:00:00Z' });
  expect(r.exitCode).toBe(0);
  return { home, env };
}

describe('nested commands (watch ...) behave like the others', () => {
  it('usage errors exit 2 with one error line; --help exits 0', async () => {
    const home = tempHome();
    for (const argv of [
      ['watch', 'add'],
      ['watch', 'rm'],
      ['watch', 'list', '--bogus'],
      ['watch', 'show'],
    ]) {
      const r = await runCli(argv, { home });
      expect({ argv, code: r.exitCode }).toEqual({ argv, code: 2 });
      expect(r.stderr).toMatch(/^error: [^\n]*\n$/);
    }
    const help = await runCli(['watch', 'list', '--help'], { home });
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('Usage: papers watch list');
    expect(help.stderr).toBe('');
  });

  it('watch add --help offers no day options, which a watch cannot use', async () => {
    const help = await runCli(['watch', 'add', '--help'], { home: tempHome() });
    expect(help.stdout).toContain('--keyword');
    expect(help.stdout).not.toMatch(/--since|--until|--week|--month|--date/);
  });
});

describe('-o never replaces the archive', () => {
  it('digest -o ARCHIVE is refused, the archive intact', async () => {
    const { home } = await synced();
    const db = join(home, 'papers.db');
    const before = readFileSync(db).subarray(0, 16).toString('latin1');
    for (const target of [db, `${db}-wal`, join(home, '.', 'papers.db')]) {
      const r = await runCli(['digest', '-o', target], { home });
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(/^error: refusing to write the digest over the archive/);
    }
    expect(readFileSync(db).subarray(0, 16).toString('latin1')).toBe(before);
    expect((await runCli(['list', '--json'], { home })).exitCode).toBe(0);
  });
});

describe('keywords are matched as text, not as their stored JSON', () => {
  it('-k and --exclude see the keywords, never the quotes and commas around them', async () => {
    const { home } = await synced();
    const ids = async (...args: string[]) =>
      (JSON.parse((await runCli(['list', '--json', ...args], { home })).stdout) as { id: string }[])
        .map((p) => p.id)
        .sort();
    const all = await ids();
    expect(all).toHaveLength(3);
    expect(await ids('-k', '"')).toEqual([]);
    expect(await ids('-k', 'diffusion model","source')).toEqual([]);
    expect(await ids('--exclude', '"')).toEqual(all);
    expect(await ids('-k', 'source')).toEqual(['2505.10000']);
    expect(await ids('-k', 'retrieval')).toEqual(['2505.10001']);
  });
});

describe('a malformed HF_ENDPOINT', () => {
  it('is a usage error before any request, and records no failed day', async () => {
    const home = tempHome();
    const requests = server.requests.length;
    for (const endpoint of ['ftp://example.org', 'not-a-url']) {
      const r = await runCli(['sync', '--date', DAY], { home, env: { HF_ENDPOINT: endpoint } });
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(/^error: HF_ENDPOINT is not an http\(s\) URL/);
    }
    expect(server.requests).toHaveLength(requests);
    if (existsSync(join(home, 'papers.db'))) {
      expect(query(join(home, 'papers.db'), 'SELECT count(*) AS n FROM sync_days')[0]).toEqual({ n: 0 });
    }
  });
});

describe('the hint after failed days', () => {
  it('says the next sync retries recent days, and names the command for older ones', async () => {
    // Days failing on their own (5xx after retries); a host that cannot be reached at all is one error instead.
    server.faults.push({ match: 'daily_papers', kind: 'status', status: 503, times: Infinity });
    try {
      const env = { HF_ENDPOINT: server.url };
      const recent = await runCli(['sync', '--date', DAY], {
        home: tempHome(),
        env,
        http: FAST_HTTP,
        now: '2025-05-07T00:00:00Z',
      });
      expect(recent.exitCode).toBe(1);
      expect(recent.stderr).toContain('failed days are retried by the next `papers sync`');
      const old = await runCli(['sync', '--since', '2025-05-04', '--until', DAY], {
        home: tempHome(),
        env,
        http: FAST_HTTP,
        now: '2025-09-01T00:00:00Z',
      });
      expect(old.exitCode).toBe(1);
      expect(old.stderr).toContain('retry with `papers sync --since 2025-05-04 --until 2025-05-05`');
    } finally {
      server.faults.length = 0;
    }
  });
});

describe('-q', () => {
  it('today -q prints no notice about showing an earlier day', async () => {
    const { home } = await synced();
    const r = await runCli(['-q', 'today', '--offline'], { home, now: '2025-05-08T00:00:00Z' });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(3);
    const loud = await runCli(['today', '--offline'], { home, now: '2025-05-08T00:00:00Z' });
    expect(loud.stderr).toContain('showing 2025-05-05');
  });
});

describe('papers help', () => {
  it('help COMMAND prints that help; an unknown command is a usage error, not the general help', async () => {
    const home = tempHome();
    const ok = await runCli(['help', 'search'], { home });
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toContain('Usage: papers search');
    const afterGlobals = await runCli(['-q', '--db', join(home, 'x.db'), 'help', 'serch'], { home });
    expect(afterGlobals.exitCode).toBe(2);
    const bad = await runCli(['help', 'serch'], { home });
    expect(bad.exitCode).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe("error: unknown command 'serch'\nhint: `papers --help` lists the commands\n");
  });
});

describe('papers new --limit', () => {
  it('--mark-seen with --limit is refused (it would mark unseen papers); the count says "1 of 3"', async () => {
    const { home } = await synced();
    const r = await runCli(['new', '-n', '1', '--mark-seen'], { home });
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: --mark-seen cannot be combined with --limit/);
    expect(JSON.parse((await runCli(['new', '--json'], { home })).stdout)).toHaveLength(3);
    const tty = await runCli(['new', '-n', '1'], { home, tty: true });
    expect(tty.stderr).toContain('1 of 3 new papers');
  });
});

describe('papers show: what is an arXiv id', () => {
  it('ids that cannot exist are usage errors (2); plausible ids not in the archive exit 1', async () => {
    const home = tempHome();
    expect((await runCli(['today', '--offline'], { home })).exitCode).toBe(0);
    for (const id of [
      '9999.99999',
      '2413.12345',
      '2505.9999',
      '1412.12345',
      '0612.1234',
      '1234',
      'arxiv.org/abs/2400.00001',
    ]) {
      const r = await runCli(['show', id], { home });
      expect({ id, code: r.exitCode }).toEqual({ id, code: 2 });
      expect(r.stderr).toMatch(/^error: not an arXiv id: /);
    }
    for (const id of [
      '2406.12345',
      '2406.12345v2',
      '1412.1234',
      '0704.0001',
      'hep-th/9901001',
      'https://arxiv.org/pdf/2501.00001v1.pdf',
    ]) {
      const r = await runCli(['show', id], { home });
      expect({ id, code: r.exitCode }).toEqual({ id, code: 1 });
    }
    // The source is the authority: an id it sent is shown, plausible or not.
    const day = '2025-05-20';
    const entries = makeEntries(day, 1);
    entries[0]!.paper.id = '2513.00001';
    await syncOwn(home, day, entries);
    const stored = await runCli(['show', '2513.00001', '--json'], { home });
    expect(stored.exitCode, stored.stderr).toBe(0);
    expect(JSON.parse(stored.stdout).id).toBe('2513.00001');
  });
});

describe('ids are checked before the archive is opened', () => {
  it('star, unstar, hide and unhide: a malformed id is a usage error (2), not "no archive" (1)', async () => {
    for (const cmd of ['star', 'unstar', 'hide', 'unhide']) {
      const home = tempHome();
      const r = await runCli([cmd, 'not-an-id'], { home });
      expect([cmd, r.exitCode, r.stderr.split('\n')[0]]).toEqual([cmd, 2, 'error: not an arXiv id: "not-an-id"']);
      expect(existsSync(join(home, 'papers.db'))).toBe(false);
      // A well-formed id on no archive: that is the archive's to say.
      expect((await runCli([cmd, '2406.12345'], { home })).exitCode).toBe(1);
    }
  });
});

describe('forced colour when piped', () => {
  it('grep --color highlights the match in piped lines (for less -R); without it, plain', async () => {
    const { home } = await synced();
    const forced = await runCli(['--color', 'grep', 'Item 1$', '--field', 'title'], { home });
    expect(forced.exitCode).toBe(0);
    expect(forced.stdout).toMatch(
      /^2505\.10001:title:1:Generated Paper 1 on 2025-05-05: A Study of \u001b\[1m\u001b\[31mItem 1\u001b\[39m\u001b\[22m\n$/,
    );
    const env = await runCli(['grep', 'Item 1$', '--field', 'title'], { home, env: { FORCE_COLOR: '1' } });
    expect(env.stdout).toBe(forced.stdout);
    const plainOut = await runCli(['grep', 'Item 1$', '--field', 'title'], { home });
    expect(plainOut.stdout).toBe('2505.10001:title:1:Generated Paper 1 on 2025-05-05: A Study of Item 1\n');
  });
});

describe('list --sort rising without history', () => {
  it('says that rising needs upvotes from successive syncs, not "widen the filters"', async () => {
    const { home } = await synced();
    const r = await runCli(['list', '--sort', 'rising'], { home, tty: true, now: '2025-05-06T00:00:00Z' });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('rising needs syncs on two different occasions');
  });
});

describe('grep takes grep and rg habits', () => {
  it('-w whole words, -n accepted (line numbers are always shown), -m/--max-count and --limit', async () => {
    const { home } = await synced();
    const g = async (...args: string[]) => {
      const r = await runCli(['grep', ...args], { home });
      expect(r.exitCode, r.stderr).toBe(0);
      return r.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(':').slice(0, 3).join(':'));
    };
    expect(await g('--field', 'title', 'Stud')).toHaveLength(3);
    expect(await g('-w', '--field', 'title', 'Stud')).toEqual([]);
    expect(await g('-w', '-i', '--field', 'title', 'study|item 2')).toEqual([
      '2505.10000:title:1',
      '2505.10001:title:1',
      '2505.10002:title:1',
    ]);
    expect(await g('-n', '--field', 'title', 'Item 2')).toEqual(['2505.10002:title:1']);
    expect(await g('-m', '1', '--field', 'title', 'Item')).toEqual(['2505.10000:title:1']);
    expect(await g('--limit', '2', '--field', 'title', 'Item')).toHaveLength(2);
    const bad = await runCli(['grep', '-w', '('], { home });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/^error: invalid regular expression "\(": /);
  });
});

describe('watch remove', () => {
  it('is rm by another name', async () => {
    const home = tempHome();
    expect((await runCli(['watch', 'add', 'x', '-k', 'agent'], { home })).exitCode).toBe(0);
    const r = await runCli(['watch', 'remove', 'x'], { home });
    expect([r.exitCode, r.stderr]).toEqual([0, 'removed watch x\n']);
    expect((await runCli(['watch', 'list', '--json'], { home })).stdout.trim()).toBe('[]');
  });
});

describe('repeated or conflicting flags (issue 15.9)', () => {
  it('are refused with exit 2, not silently resolved', async () => {
    const home = tempHome();
    expect((await runCli(['today', '--offline'], { home })).exitCode).toBe(0);
    const cases: [string[], RegExp][] = [
      [['list', '--date', '2025-01-01', '--date', '2025-01-02'], /--date was given twice/],
      [
        ['list', '--date', '2025-01-01', '--since', '2025-01-02'],
        /option '--date <day>' cannot be used with option '--since <day>'/,
      ],
      [['export', '--week', '2025-W02', '--month', '2025-01'], /cannot be used with/],
      [['sync', '--date', '2025-01-01', '--until', '2025-01-02'], /cannot be used with/],
      [['search', 'x', '--limit', '3', '-n', '4'], /--limit was given twice/],
      [['export', '-f', 'csv', '--format', 'json'], /--format was given twice/],
    ];
    for (const [argv, message] of cases) {
      const r = await runCli(argv, { home });
      expect({ argv, code: r.exitCode }).toEqual({ argv, code: 2 });
      expect(r.stderr).toMatch(message);
    }
  });
});

describe('watch add', () => {
  it('counts every match in the archive, and how many are new (a first read: the latest day)', async () => {
    const home = tempHome();
    const files = ['2025-03-17', '2025-06-25'].map((d) => join(FIXTURES, `${d}.json`));
    expect((await runCli(['import', ...files], { home, now: '2025-07-01T00:00:00Z' })).exitCode).toBe(0);
    const r = await runCli(['watch', 'add', 'video', '-k', 'video'], { home, now: '2025-07-01T00:00:00Z' });
    expect(r.stderr).toBe('saved watch video: -k video (2 matches in the archive, 1 new: papers watch show video)\n');
  });
});
