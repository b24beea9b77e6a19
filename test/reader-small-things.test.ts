// Small things people notice (issue 22.12): `today` and `new` order ties alike; `search`
// sorts by upvotes or date and counts its matches; piped `watch list` rows end in a value;
// a digest whose sections share one scope says it once; --sort github-stars (stars kept).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from './helpers/fixtures.js';
import { runCli, tempHome } from './helpers/run-cli.js';

const DAY = '2025-06-25';
const NOW = '2025-06-26T09:00:00Z';
let home = '';

beforeAll(async () => {
  home = tempHome();
  // A day whose papers tie on upvotes, listed out of id order.
  const base = JSON.parse(readFileSync(join(FIXTURES, `${DAY}.json`), 'utf8')) as {
    paper: { id: string; upvotes: number; title: string };
    title: string;
  }[];
  const entries = ['2506.00003', '2506.00001', '2506.00002'].map((id, i) => {
    const e = structuredClone(base[0]!);
    e.paper.id = id;
    e.paper.upvotes = 7;
    e.paper.title = e.title = `Tied paper ${i} about agents`;
    return e;
  });
  const file = join(home, `${DAY}.json`);
  writeFileSync(file, JSON.stringify([...base, ...entries]));
  const r = await runCli(['import', file], { home, now: NOW });
  expect(r.exitCode, r.stderr).toBe(0);
});

const ids = (s: string) => (JSON.parse(s) as { id: string }[]).map((p) => p.id);

describe('small things', () => {
  it('today, new and list order a tie the same way (upvotes, then id)', async () => {
    const today = ids((await runCli(['today', '--offline', '--date', DAY, '--json'], { home, now: NOW })).stdout);
    const fresh = ids((await runCli(['new', '--date', DAY, '--json'], { home, now: NOW })).stdout);
    const list = ids((await runCli(['list', '--date', DAY, '--json'], { home, now: NOW })).stdout);
    expect(today).toEqual(fresh);
    expect(today).toEqual(list);
    const tied = today.filter((id) => id.startsWith('2506.0000'));
    expect(tied).toEqual(['2506.00001', '2506.00002', '2506.00003']);
  });

  it('search --sort upvotes|date, and the number of matches on a terminal', async () => {
    const rel = ids((await runCli(['search', 'agents', '--json'], { home, now: NOW })).stdout);
    const up = ids((await runCli(['search', 'agents', '--sort', 'upvotes', '--json'], { home, now: NOW })).stdout);
    expect([...up].sort()).toEqual([...rel].sort());
    const j = JSON.parse(
      (await runCli(['search', 'agents', '--sort', 'upvotes', '--json'], { home, now: NOW })).stdout,
    );
    const votes = j.map((p: { upvotes: number }) => p.upvotes);
    expect(votes).toEqual([...votes].sort((a: number, b: number) => b - a));
    const date = await runCli(['search', 'agents', '--sort', 'date', '--json'], { home, now: NOW });
    expect(date.exitCode).toBe(0);
    const tty = await runCli(['search', 'agents', '-n', '1'], { home, now: NOW, tty: true, env: { NO_COLOR: '1' } });
    expect(tty.stdout.split('\n')[0]).toBe(`${rel.length} papers match · the first 1 by relevance (-n for more)`);
    const bad = await runCli(['search', 'agents', '--sort', 'stars'], { home, now: NOW });
    expect(bad.exitCode).toBe(2);
  });

  it('piped watch list ends each row with a value', async () => {
    await runCli(['watch', 'add', 'agents', '-k', 'agents'], { home, now: NOW });
    const r = await runCli(['watch', 'list'], { home, now: NOW });
    for (const row of r.stdout.trimEnd().split('\n')) expect(row.split('\t').at(-1)).not.toBe('');
    expect(r.stdout).toMatch(/\tnever\n$/);
  });

  it('--sort github-stars, and stars as its old name', async () => {
    const gh = await runCli(['list', '--sort', 'github-stars', '--json'], { home, now: NOW });
    const old = await runCli(['list', '--sort', 'stars', '--json'], { home, now: NOW });
    expect(gh.exitCode, gh.stderr).toBe(0);
    expect(ids(old.stdout)).toEqual(ids(gh.stdout));
  });

  it('a digest says a scope shared by every section once, not under each', async () => {
    await runCli(['watch', 'add', 'tied', '-k', 'tied'], { home, now: NOW });
    const md = (await runCli(['digest'], { home, now: NOW })).stdout;
    expect(md.match(/no mark yet/g)).toHaveLength(1);
  });
});
