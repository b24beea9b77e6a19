// Keep-up commands through simulated days of syncs against the local API server with a
// fixed clock: what is new, marks (global and per watch), watches, digests, rising
// papers, upvote history, stats.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters as plain } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STEP_TIME, T, scenarioDays } from '../fixtures/keepup/scenario.js';
import { openDb, type DB } from '../src/db/open.js';
import { risingPapers, sparkline, upvoteHistory } from '../src/core/signals.js';
import { runCli, tempHome, type CliResult } from './helpers/run-cli.js';
import { startHfServer } from '../kit/hf-server.mjs';

const DAY_MS = 86_400_000;
const ids = (r: CliResult) => (JSON.parse(r.stdout) as { id: string }[]).map((p) => p.id);
const [A, B, C, D, E, F, G] = [T.A[0], T.B[0], T.C[0], T.D[0], T.E[0], T.F[0], T.G[0]];

describe('keep up through simulated days', () => {
  const home = tempHome();
  let server: { url: string; close(): Promise<void> };
  let days = scenarioDays(1);
  let now: string = STEP_TIME[1];
  const cli = (argv: string[], opts: { tty?: boolean; now?: string } = {}) =>
    runCli(argv, { home, now: opts.now ?? now, tty: opts.tty, env: { HF_ENDPOINT: server.url } });
  const ok = async (argv: string[], opts: { tty?: boolean } = {}) => {
    const r = await cli(argv, opts);
    expect(r.exitCode, `${argv.join(' ')}: ${r.stderr}`).toBe(0);
    return r;
  };
  const step = async (n: 1 | 2 | 3) => {
    days = scenarioDays(n);
    now = STEP_TIME[n];
    await ok(['sync', '-q']);
  };
  const withDb = <T>(fn: (db: DB) => T): T => {
    const db = openDb(join(home, 'papers.db'));
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    server = await startHfServer((d: string) => days.get(d));
  });
  afterAll(async () => {
    await server?.close();
  });

  it('day 1: everything is new until marked; --mark-seen prints, then moves the mark', async () => {
    await step(1);
    expect(ids(await ok(['new', '--json']))).toEqual([C, A, B]);
    const piped = await ok(['new', '--mark-seen']);
    expect(
      piped.stdout
        .trim()
        .split('\n')
        .map((l) => l.split('\t').slice(0, 3)),
    ).toEqual([
      [C, '2025-03-10', '20'],
      [A, '2025-03-10', '10'],
      [B, '2025-03-10', '5'],
    ]);
    // The first run says, on stderr wherever it goes, that it covers one day.
    expect(piped.stderr).toBe(
      'no mark yet: showing the latest day, 2025-03-10; marked: the next run starts from here\n',
    );
    expect(ids(await ok(['new', '--json']))).toEqual([]);
    expect((await ok(['new'])).stdout).toBe('');
  });

  it('day 2: only papers listed since the mark and not shown; re-listed papers and new versions are not new', async () => {
    await step(2);
    expect(ids(await ok(['new', '--json']))).toEqual([D, E]);
    // Every list filter applies.
    expect(ids(await ok(['new', '-k', 'agents', '--json']))).toEqual([D]);
    expect(ids(await ok(['new', '--org', 'video', '--json']))).toEqual([E]);
    expect(ids(await ok(['new', '--min-upvotes', '5', '--json']))).toEqual([D]);
    expect(ids(await ok(['new', '--limit', '1', '--json']))).toEqual([D]);
    // --since picks by listing day instead of the mark, as on list.
    expect(ids(await ok(['new', '--since', '2025-03-11', '--json']))).toEqual([C, A, D, E]);
    expect(ids(await ok(['new', '--since', '2025-03-10', '--json']))).toEqual([C, A, D, E, B]);
    expect(ids(await ok(['new', '--since', '2025-03-10', '--until', '2025-03-10', '--json']))).toEqual([C, A, B]);
    const tty = await ok(['new'], { tty: true });
    expect(tty.stdout).toContain('\u001b[');
    expect(plain(tty.stdout)).toMatch(/^2025-03-11 · 2 new\n\n +▲8 Tool Use for Autonomous Agents\n/);
    expect(plain(tty.stdout)).toContain(T.E[1]);
    expect(tty.stdout).not.toContain(T.A[1]);
    expect(tty.stderr).toMatch(
      /2 new papers, listed since 2025-03-10, not shown before \(marked at the sync of 2025-03-10 20:00 UTC\)/,
    );
  });

  it('watches: add validates, list counts, show matches, rm', async () => {
    await ok(['watch', 'add', 'agents', '-k', 'agent', '-k', 'agents', '--any']);
    await ok(['watch', 'add', 'diffusion', '--query', 'diffusion']);
    const bad = [
      ['watch', 'add', 'bad/name', '-k', 'x'],
      ['watch', 'add', 'x'.repeat(65), '-k', 'x'],
      ['watch', 'add', 'nothing'],
      ['watch', 'add', 'nothing', '--any'],
      ['watch', 'add', 'agents', '-k', 'other'],
      ['watch', 'add', 'days', '-k', 'x', '--since', '3d'],
      ['watch', 'add', 'rawbad', '--query', 'title:(', '--raw'],
      ['watch', 'add', 'rawonly', '-k', 'x', '--raw'],
    ];
    for (const argv of bad) {
      const r = await cli(argv);
      expect(r.exitCode, argv.join(' ')).toBe(2);
      expect(r.stderr, argv.join(' ')).toMatch(/^error: .*\n(hint: .*\n)?$/);
    }
    expect((await cli(['watch', 'add', 'agents', '-k', 'other'])).stderr).toMatch(/--force/);
    // --force replaces; put the original back the same way.
    await ok(['watch', 'add', 'agents', '-k', 'other', '--force']);
    expect(ids(await ok(['watch', 'show', 'agents', '--json']))).toEqual([]);
    await ok(['watch', 'add', 'agents', '-k', 'agent', '-k', 'agents', '--any', '--force']);

    const list = JSON.parse((await ok(['watch', 'list', '--json'])).stdout) as {
      name: string;
      new: number;
      query: string | null;
      filter: object;
    }[];
    expect(list.map((w) => [w.name, w.new, w.query])).toEqual([
      ['agents', 2, null],
      ['diffusion', 1, 'diffusion'],
    ]);
    expect(list[0]!.filter).toEqual({ keywords: ['agent', 'agents'], any: true });
    expect((await ok(['watch', 'list'])).stdout).toBe(
      'agents\t-k agent -k agents --any\t2\tnever\ndiffusion\t--query diffusion\t1\tnever\n',
    );
    expect(ids(await ok(['watch', 'show', 'agents', '--json']))).toEqual([A, D]);
    expect(ids(await ok(['watch', 'show', 'diffusion', '--json'])).sort()).toEqual([B, E]);

    const missing = await cli(['watch', 'rm', 'nope']);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(/^error: no watch named "nope"\nhint: .*watch list/);
    expect((await cli(['watch', 'show', 'nope'])).exitCode).toBe(1);
    await ok(['watch', 'add', 'tmp', '--author', 'lovelace']);
    await ok(['watch', 'rm', 'tmp']);
    expect((await cli(['watch', 'show', 'tmp'])).exitCode).toBe(1);
  });

  it("new --watch uses the watch's own mark, independent of the global one", async () => {
    expect(ids(await ok(['new', '--watch', 'agents', '--json']))).toEqual([A, D]);
    await ok(['new', '--watch', 'agents', '--mark-seen']);
    expect(ids(await ok(['new', '--watch', 'agents', '--json']))).toEqual([]);
    expect(ids(await ok(['new', '--json']))).toEqual([D, E]);
    // No mark yet: the latest listing day only (B was listed the day before).
    expect(ids(await ok(['new', '--watch', 'diffusion', '--json']))).toEqual([E]);
    expect((await cli(['new', '--watch', 'agents', '-k', 'x'])).exitCode).toBe(2);
    expect((await cli(['new', '--watch', 'nope'])).exitCode).toBe(1);
  });

  it('day 3: watches report only what they have not shown; digest sections by upvotes', async () => {
    await step(3);
    expect(ids(await ok(['new', '--watch', 'agents', '--json']))).toEqual([F]);
    expect(ids(await ok(['new', '--json']))).toEqual([F, G, D, E]);

    const digest = JSON.parse((await ok(['digest', '--format', 'json'])).stdout) as {
      generatedAt: string;
      sections: { watch: string; papers: { id: string; upvotes: number; aiSummary: string | null }[] }[];
    };
    expect(digest.generatedAt).toBe(STEP_TIME[3]);
    expect(digest.sections.map((s) => [s.watch, s.papers.map((p) => [p.id, p.upvotes])])).toEqual([
      ['agents', [[F, 30]]],
      ['diffusion', [[G, 12]]],
    ]);

    const md = (await ok(['digest', '--since', '2025-03-10'])).stdout;
    expect(md).toMatch(/^# Papers digest · 2025-03-17\n\n6 papers, 2 watches: listed since 2025-03-10 · /);
    expect(md).toContain('## agents (3)');
    expect(md).toContain('## diffusion (3)');
    expect(md.indexOf(T.B[1])).toBeLessThan(md.indexOf(T.G[1]));
    expect(md.indexOf(T.G[1])).toBeLessThan(md.indexOf(T.E[1]));
    expect(md).toContain(`[${T.F[1]}](<https://arxiv.org/abs/${F}>)`);
    expect(md).toContain(`AI summary of ${T.F[1]}.`);
    // B has no AI summary: its abstract stands in.
    expect(md).toContain(`${T.B[1]}. We study this problem`);
    expect((await ok(['digest', '--watch', 'agents', '--format', 'json'])).stdout).not.toContain(T.B[1]);
    const missing = await cli(['digest', '--watch', 'nope']);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(/no watch named "nope"/);

    // --since ignores the marks and picks listing days.
    const since = JSON.parse(
      (await ok(['digest', '--since', '2025-03-11', '--format', 'json'])).stdout,
    ) as typeof digest;
    expect(since.sections.map((s) => s.papers.map((p) => p.id))).toEqual([
      [F, D, A],
      [G, E],
    ]);
  });

  it('digest -o writes atomically; --mark-seen moves only the digested watches', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'papers-digest-'));
    const out = join(dir, 'digest.md');
    const r = await ok(['digest', '--watch', 'diffusion', '-o', out, '--mark-seen']);
    expect(r.stdout).toBe('');
    expect(readdirSync(dir)).toEqual(['digest.md']);
    expect(readFileSync(out, 'utf8')).toContain('## diffusion (1)');
    const after = JSON.parse((await ok(['digest', '--format', 'json'])).stdout) as {
      sections: { watch: string; papers: unknown[] }[];
    };
    expect(after.sections.map((s) => [s.watch, s.papers.length])).toEqual([
      ['agents', 1],
      ['diffusion', 0],
    ]);
    expect((await ok(['digest'])).stdout).toContain('No new papers.');
    // A missing folder: exit 1, nothing left behind.
    const bad = await cli(['digest', '-o', join(dir, 'no', 'such', 'x.md')]);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toMatch(/cannot write .*x\.md/);
    expect(readdirSync(dir)).toEqual(['digest.md']);
    await ok(['digest', '--mark-seen', '-o', out]);
    expect(ids(await ok(['new', '--watch', 'agents', '--json']))).toEqual([]);
  });

  it('without watches, the digest is every new paper against the global mark', async () => {
    await ok(['watch', 'rm', 'agents']);
    await ok(['watch', 'rm', 'diffusion']);
    const d = JSON.parse((await ok(['digest', '--format', 'json', '--mark-seen'])).stdout) as {
      sections: { watch: null; title: string; papers: { id: string }[] }[];
    };
    expect(d.sections.map((s) => [s.watch, s.title, s.papers.map((p) => p.id)])).toEqual([
      [null, 'New papers', [F, D, G, E]],
    ]);
    expect(ids(await ok(['new', '--json']))).toEqual([]);
  });

  it('keeps a snapshot per change: history, sparkline, rising over a window', () => {
    withDb((db) => {
      expect(upvoteHistory(db, B)).toEqual([
        { at: STEP_TIME[1], upvotes: 5, comments: 0, githubStars: null },
        { at: STEP_TIME[2], upvotes: 9, comments: 0, githubStars: null },
        { at: STEP_TIME[3], upvotes: 40, comments: 0, githubStars: null },
      ]);
      // A re-listed paper whose values did not change gets no new snapshot.
      expect(upvoteHistory(db, A).map((s) => s.upvotes)).toEqual([10, 15]);
      expect(sparkline(upvoteHistory(db, B).map((s) => s.upvotes))).toBe('▁▂█');
      const nowD = new Date(STEP_TIME[3]);
      const rising = (days: number, extra = {}) =>
        risingPapers(db, { windowMs: days * DAY_MS, now: nowD, ...extra }).map((p) => [p.id, p.growth]);
      expect(rising(3)).toEqual([
        [B, 31],
        [D, 12],
      ]);
      expect(rising(7)).toEqual([
        [B, 35],
        [D, 12],
        [A, 5],
        [C, 1],
      ]);
      expect(rising(7, { keywords: ['agents'] })).toEqual([
        [D, 12],
        [A, 5],
      ]);
      expect(rising(7, { limit: 2 })).toEqual([
        [B, 35],
        [D, 12],
      ]);
      expect(rising(7, { since: '2025-03-11' })).toEqual([
        [D, 12],
        [A, 5],
        [C, 1],
      ]);
      // As seen on day 2: only the changes up to then.
      expect(risingPapers(db, { windowMs: DAY_MS, now: new Date(STEP_TIME[2]) }).map((p) => [p.id, p.growth])).toEqual([
        [A, 5],
        [B, 4],
        [C, 1],
      ]);
    });
  });

  it('stats: papers per period by first listing day, top keywords and organizations', async () => {
    const s = JSON.parse((await ok(['stats', '--by', 'week', '--top', '2', '--json'])).stdout) as {
      papers: number;
      periods: {
        period: string;
        papers: number;
        upvotes: number;
        keywords: { name: string; papers: number }[];
        organizations: { name: string; papers: number }[];
      }[];
    };
    expect(s.papers).toBe(7);
    expect(s.periods).toEqual([
      {
        period: '2025-W11',
        since: '2025-03-10',
        until: '2025-03-16',
        papers: 5,
        upvotes: 15 + 40 + 21 + 20 + 3,
        keywords: [
          { name: 'agents', papers: 2 },
          { name: 'tool use', papers: 2 },
        ],
        organizations: [
          { name: 'Agents Inc', papers: 3 },
          { name: 'Video Lab', papers: 2 },
        ],
      },
      {
        period: '2025-W12',
        since: '2025-03-17',
        until: '2025-03-23',
        // The week the clock is in: shown, and marked as not over yet.
        partial: true,
        papers: 2,
        upvotes: 42,
        keywords: [
          { name: 'agents', papers: 1 },
          { name: 'audio', papers: 1 },
        ],
        organizations: [{ name: 'Agents Inc', papers: 1 }],
      },
    ]);
    const month = JSON.parse((await ok(['stats', '--json'])).stdout) as typeof s;
    expect(month.periods.map((p) => [p.period, p.papers])).toEqual([['2025-03', 7]]);
    const since = JSON.parse(
      (await ok(['stats', '--by', 'week', '--since', '2025-03-17', '--json'])).stdout,
    ) as typeof s;
    expect(since.periods.map((p) => [p.period, p.papers])).toEqual([['2025-W12', 2]]);
    expect((await ok(['stats', '--by', 'week'])).stdout).toBe(
      '2025-W11\t5\t99\tagents:2; tool use:2; image diffusion:1; LLM:1; reasoning:1\tAgents Inc:3; Video Lab:2\n' +
        '2025-W12\t2\t42\tagents:1; audio:1; debate:1; diffusion:1\tAgents Inc:1\n',
    );
    const tty = plain((await ok(['stats', '--by', 'week'], { tty: true })).stdout);
    expect(tty).toMatch(/2025-W11\s+5 █{40}\n/);
    expect(tty).toMatch(/2025-W12\*\s+2 █{16}\n/);
    expect(tty).toContain('Agents Inc 3');
    expect((await cli(['stats', '--since', 'tomorrowish'])).exitCode).toBe(2);
  });

  it('leaves no stray files and the archive is consistent', () => {
    expect(existsSync(join(home, 'papers.db'))).toBe(true);
    withDb((db) => expect(db.pragma('integrity_check', { simple: true })).toBe('ok'));
  });
});
