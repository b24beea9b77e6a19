// `papers recommend` as a command: too few stars, the default candidates (as `new`) and day
// options, starred papers left out, --tag, --why, as JSON, piped and on a TTY.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../src/db/open.js';
import type { PaperRecord } from '../src/sources/types.js';
import { stripAnsi } from './helpers/fixtures.js';
import { runCli, tempHome } from './helpers/run-cli.js';
import { makeRecord, saveHfDay } from './helpers/paper.js';

const TOPICS: Record<string, string[]> = {
  spec: ['speculative decoding', 'draft model', 'token acceptance rate', 'parallel verification', 'decoding latency'],
  video: [
    'video diffusion',
    'temporal consistency',
    'text-to-video generation',
    'motion priors',
    'frame interpolation',
  ],
  robot: ['robot manipulation', 'embodied policy', 'grasping tasks', 'sim-to-real transfer', 'robot arm'],
};
const COMMON = ['large language models', 'standard benchmarks', 'training data', 'strong baselines', 'scaling study'];

function paper(id: string, topic: string, i: number): PaperRecord {
  const t = TOPICS[topic]!;
  const pick = (list: string[], k: number) => list[(i * 7 + k * 3) % list.length]!;
  const title = `${pick(t, 0)} with ${pick(COMMON, 1)}`.replace(/^./, (c) => c.toUpperCase());
  const abstract = `We study ${pick(t, 1)} and ${pick(t, 2)} for ${pick(COMMON, 2)}. Our ${pick(t, 3)} improves ${pick(COMMON, 3)}.`;
  return makeRecord(id, { title, abstract, authors: ['Ada Lovelace'], upvotes: 10 + (i % 5) });
}

/** Day 1 (2025-03-03): 12 papers per topic, 2503.1TNNN; day 2 (2025-03-04): 5 per topic, 2503.2TNNN. */
function archive(home: string): void {
  const db = openDb(join(home, 'papers.db'));
  const day = (d: number, n: number) =>
    Object.keys(TOPICS).flatMap((topic, ti) =>
      Array.from({ length: n }, (_, i) => paper(`2503.${d}${ti}${String(i).padStart(3, '0')}`, topic, i + d * 13)),
    );
  for (const [d, n, date] of [
    [1, 12, '2025-03-03'],
    [2, 5, '2025-03-04'],
  ] as const) {
    saveHfDay(db, date, day(d, n));
  }
  db.close();
}

const NOW = '2025-03-05T12:00:00Z';
const SPEC_STARS = ['2503.10000', '2503.10001', '2503.10002', '2503.10003'];
const VIDEO_STARS = ['2503.11000', '2503.11001', '2503.11002', '2503.11003', '2503.11004', '2503.11005'];

describe('papers recommend', () => {
  const home = tempHome();
  const cli = (argv: string[], tty = false) => runCli(argv, { home, now: NOW, tty });
  beforeAll(() => archive(home));

  it('with fewer than 3 stars says what to do on stderr, exits 0 and recommends nothing', async () => {
    await cli(['star', '2503.10000', '2503.10001']);
    const r = await cli(['recommend']);
    expect(r).toMatchObject({ exitCode: 0, stdout: '' });
    expect(r.stderr).toContain('2 starred papers, at least 3 needed');
    expect(r.stderr).toContain('hint: star papers you liked');
    const j = await cli(['recommend', '--json']);
    expect(j).toMatchObject({ exitCode: 0, stdout: '[]\n' });
    expect(j.stderr).toContain('at least 3 needed');
  });

  it('ranks the latest day (as new, with no mark) by the stars, with a score in JSON', async () => {
    await cli(['star', ...SPEC_STARS]);
    await cli(['star', ...VIDEO_STARS, '--tag', 'video']);
    const r = await cli(['recommend', '--json', '--tag', 'video']);
    expect(r.exitCode).toBe(0);
    const papers = JSON.parse(r.stdout) as { id: string; day: string; score: number }[];
    expect(papers).toHaveLength(15);
    expect(new Set(papers.map((p) => p.day))).toEqual(new Set(['2025-03-04']));
    expect(papers.slice(0, 5).every((p) => p.id.startsWith('2503.21'))).toBe(true);
    expect(papers.every((p, i) => i === 0 || papers[i - 1]!.score >= p.score)).toBe(true);
    const all = JSON.parse((await cli(['recommend', '--json', '-n', '3'])).stdout) as { id: string }[];
    expect(all).toHaveLength(3);
  });

  it('with day options ranks those days, and never recommends a starred paper', async () => {
    const r = await cli(['recommend', '--date', '2025-03-03', '--tag', 'video', '--limit', '100', '--json']);
    const ids = (JSON.parse(r.stdout) as { id: string }[]).map((p) => p.id);
    expect(ids).toHaveLength(36 - SPEC_STARS.length - VIDEO_STARS.length);
    for (const s of [...SPEC_STARS, ...VIDEO_STARS]) expect(ids).not.toContain(s);
    expect(ids.slice(0, 6).every((id) => id.startsWith('2503.11'))).toBe(true);
  });

  it('piped: list columns, then the score and with --why the terms', async () => {
    const r = await cli(['recommend', '--tag', 'video', '-n', '2', '--why']);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toHaveLength(6);
      expect(row[0]).toMatch(/^2503\.21\d{3}$/);
      expect(row[1]).toBe('2025-03-04');
      expect(row[4]).toMatch(/^-?\d+\.\d{4}$/);
      expect(row[5]).toMatch(/video|temporal|motion|frame|diffusion/);
    }
    const plain = await cli(['recommend', '--tag', 'video', '-n', '1']);
    expect(plain.stdout.trim().split('\t')).toHaveLength(5);
  });

  it('on a TTY: numbered paper blocks with the score and why', async () => {
    const r = await cli(['recommend', '--tag', 'video', '-n', '2', '--why'], true);
    const out = stripAnsi(r.stdout);
    expect(out).toMatch(/^1\. /);
    expect(out).toMatch(/\n {2,}relevance [01]\.\d\d · score -?\d\.\d\d · why: \S/);
    expect(stripAnsi(r.stderr)).toContain('2 of 15 candidates, ranked by a model of 6 stars');
  });

  it('refuses a bad tag with exit 2', async () => {
    expect((await cli(['recommend', '--tag', '??'])).exitCode).toBe(2);
  });
});

describe('papers digest --for-you', () => {
  interface Section {
    watch: string | null;
    forYou: boolean;
    title: string;
    considered?: number;
    papers: { id: string; score?: number; relevance?: number }[];
  }
  interface DigestJson {
    papers: number;
    sections: Section[];
  }
  const starred = async (stars = VIDEO_STARS) => {
    const home = tempHome();
    archive(home);
    const cli = async (argv: string[]) => {
      const r = await runCli(argv, { home, now: NOW });
      expect(r.exitCode, r.stderr).toBe(0);
      return r;
    };
    if (stars.length) await cli(['star', ...stars]);
    const digest = async (...argv: string[]) =>
      JSON.parse((await cli(['digest', '-f', 'json', ...argv])).stdout) as DigestJson;
    return { cli, digest };
  };

  it('has no "For you" section without enough stars, or with --for-you 0', async () => {
    const none = await starred(['2503.11000', '2503.11001']);
    expect((await none.digest()).sections.map((s) => s.title)).toEqual(['New papers']);
    const some = await starred();
    expect((await some.digest('--for-you', '0')).sections.map((s) => s.title)).toEqual(['New papers']);
    expect((await some.cli(['digest', '--for-you', '0'])).stdout).not.toContain('For you');
  });

  it('shows only the papers that look like the stars, with their relevance, and counts each paper once', async () => {
    const { digest, cli } = await starred();
    const d = await digest();
    expect(d.sections.map((s) => [s.title, s.forYou])).toEqual([
      ['For you', true],
      ['New papers', false],
    ]);
    const forYou = d.sections[0]!;
    // The day's 5 video papers are like the video stars; the 10 others are not.
    expect(forYou.papers.map((p) => p.id).sort()).toEqual([
      '2503.21000',
      '2503.21001',
      '2503.21002',
      '2503.21003',
      '2503.21004',
    ]);
    expect(forYou.considered).toBe(15);
    expect(forYou.papers.every((p) => p.relevance! >= 0.3 && p.relevance! <= 1)).toBe(true);
    expect(d.papers).toBe(15);
    expect((await digest('--for-you', '3')).sections[0]!.papers).toHaveLength(3);
    const md = (await cli(['digest'])).stdout;
    // The sections share one scope: said once, under the title (issue 22.12), not in each section.
    expect(md).toContain('## For you (5)\n\n`papers recommend`\n');
    expect(md).toContain('15 papers considered; shown: relevance to your stars at least 0.3');
    expect(md).toMatch(/^15 papers: listed on 2025-03-04/m);
    expect(md).toMatch(/listed 2025-03-04 · relevance [01]\.\d\d/);
    expect(md).toContain('15 papers:');
    const html = (await cli(['digest', '-f', 'html'])).stdout;
    expect(html).toContain('For you <span');
    expect(html).toMatch(/relevance [01]\.\d\d/);
  });

  it('is empty, and says so, when nothing looks like the stars', async () => {
    // Stars on speculative decoding; the day (--date 2025-03-04) without its spec papers: hidden.
    const { digest, cli } = await starred(SPEC_STARS);
    await cli(['hide', '2503.20000', '2503.20001', '2503.20002', '2503.20003', '2503.20004']);
    const d = await digest('--date', '2025-03-04');
    expect(d.sections[0]).toMatchObject({ title: 'For you', forYou: true, considered: 10, papers: [] });
    const md = (await cli(['digest', '--date', '2025-03-04'])).stdout;
    expect(md).toContain('## For you (0)');
    expect(md).toContain('Nothing today looks like your stars (10 papers considered).');
  });

  it('with --date ranks that day', async () => {
    const { digest } = await starred();
    const d = await digest('--date', '2025-03-03');
    const ids = d.sections[0]!.papers.map((p) => p.id);
    expect(d.sections[0]!.forYou).toBe(true);
    expect(ids.every((id) => id.startsWith('2503.1'))).toBe(true);
    for (const s of VIDEO_STARS) expect(ids).not.toContain(s);
  });

  it('--mark-seen moves its own mark: ranked once, and the mark of `papers new` stays with watches', async () => {
    const { digest, cli } = await starred();
    await cli(['watch', 'add', 'robots', '-k', 'robot']);
    const first = await digest('--mark-seen');
    expect(first.sections.map((s) => s.title)).toEqual(['For you', 'robots']);
    const again = await digest();
    expect(again.sections.map((s) => s.title)).toEqual(['robots']);
    const fresh = JSON.parse((await cli(['new', '--json'])).stdout) as unknown[];
    expect(fresh).toHaveLength(15);
  });
});
