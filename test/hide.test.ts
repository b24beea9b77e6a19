// `papers hide` / `unhide` ("not this", issue 24): a hidden paper leaves new, digest and
// recommend (unless --hidden), is a negative for the model so that its neighbours fall, and
// comes back with unhide. In-process, and through bin/papers.js as a real process.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../src/db/migrations.js';
import { openDb } from '../src/db/open.js';
import type { PaperRecord } from '../src/sources/types.js';
import { ROOT } from './helpers/fixtures.js';
import { makeRecord, saveHfDay } from './helpers/paper.js';
import { runCli, tempHome } from './helpers/run-cli.js';

const TOPICS: Record<string, string[]> = {
  spec: ['speculative decoding', 'draft model', 'token acceptance', 'parallel verification', 'decoding latency'],
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
  return makeRecord(id, {
    title: `${pick(t, 0)} with ${pick(COMMON, 1)} ${i}`,
    abstract: `We study ${pick(t, 1)} and ${pick(t, 2)} for ${pick(COMMON, 2)}. Our ${pick(t, 3)} helps ${pick(COMMON, 3)}.`,
    upvotes: 10 + (i % 5),
  });
}

/** 2025-03-03: 12 papers per topic (2503.1TNNN); 2025-03-04: 5 per topic (2503.2TNNN). */
function archive(home: string): void {
  const db = openDb(join(home, 'papers.db'));
  for (const [d, n, date] of [
    [1, 12, '2025-03-03'],
    [2, 5, '2025-03-04'],
  ] as const) {
    const papers = Object.keys(TOPICS).flatMap((topic, ti) =>
      Array.from({ length: n }, (_, i) => paper(`2503.${d}${ti}${String(i).padStart(3, '0')}`, topic, i + d * 13)),
    );
    saveHfDay(db, date, papers);
  }
  db.close();
}

const NOW = '2025-03-05T12:00:00Z';
const VIDEO_STARS = ['2503.11000', '2503.11001', '2503.11002', '2503.11003', '2503.11004', '2503.11005'];
/** A video paper of the last day, and its neighbours: the day's other video papers. */
const HIDE = '2503.21000';
const NEIGHBOURS = ['2503.21001', '2503.21002', '2503.21003', '2503.21004'];

type Rec = { id: string; score: number; relevance: number };

describe('papers hide / unhide', () => {
  const home = tempHome();
  const cli = async (argv: string[]) => {
    const r = await runCli(argv, { home, now: NOW });
    expect(r.exitCode, r.stderr).toBe(0);
    return r;
  };
  const ids = async (argv: string[]) => (JSON.parse((await cli([...argv, '--json'])).stdout) as Rec[]).map((p) => p.id);
  const recommend = async (...argv: string[]) =>
    JSON.parse((await cli(['recommend', '--date', '2025-03-04', '-n', '100', '--json', ...argv])).stdout) as Rec[];
  beforeAll(async () => {
    archive(home);
    await cli(['star', ...VIDEO_STARS]);
  });

  it('hides from new, digest and recommend (unless --hidden); its neighbours fall; unhide brings it back', async () => {
    const before = await recommend();
    expect(before.map((p) => p.id)).toContain(HIDE);
    expect(await ids(['new'])).toContain(HIDE);

    const h = await cli(['hide', HIDE]);
    expect(h.stderr).toBe('hid 1 paper\n');
    expect(await ids(['new'])).not.toContain(HIDE);
    expect(await ids(['new', '--hidden'])).toContain(HIDE);
    const after = await recommend();
    expect(after.map((p) => p.id)).not.toContain(HIDE);
    expect(after).toHaveLength(before.length - 1);
    expect((await recommend('--hidden')).map((p) => p.id)).toContain(HIDE);
    // "Not this" reaches the hidden paper's neighbours: each scores lower than before.
    const score = (list: Rec[], id: string) => list.find((p) => p.id === id)!.score;
    for (const id of NEIGHBOURS) expect(score(after, id)).toBeLessThan(score(before, id));
    const digest = JSON.parse((await cli(['digest', '-f', 'json'])).stdout) as { sections: { papers: Rec[] }[] };
    for (const s of digest.sections) expect(s.papers.map((p) => p.id)).not.toContain(HIDE);
    // list and search still find it: hiding is about what is new for you, not the archive.
    expect(await ids(['list', '--date', '2025-03-04'])).toContain(HIDE);

    const again = await cli(['hide', HIDE]);
    expect(again.stderr).toBe('hid 0 papers (1 already hidden)\n');
    const u = await cli(['unhide', HIDE, '2503.29999']);
    expect(u.stderr).toBe('unhid 1 paper\nnot hidden: 2503.29999\n');
    expect(await ids(['new'])).toContain(HIDE);
    expect((await recommend()).map((p) => p.score)).toEqual(before.map((p) => p.score));
  });

  it('refuses a paper the archive lacks (exit 1, nothing hidden) and a bad id (exit 2)', async () => {
    const r = await runCli(['hide', '2503.21001', '2601.00001'], { home, now: NOW });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^error: not in the archive: 2601\.00001\n/);
    expect(await ids(['new'])).toContain('2503.21001');
    const bad = await runCli(['hide', 'not-an-id'], { home, now: NOW });
    expect(bad.exitCode).toBe(2);
  });

  it('its migration is idempotent: run again over an archive with hidden papers, it keeps them', async () => {
    await cli(['hide', '2503.21002']);
    const db = openDb(join(home, 'papers.db'));
    const m = migrations.find((x) => x.name === 'm012_hidden_papers')!;
    m.up(db);
    expect(db.prepare('SELECT paper_id FROM hidden').pluck().all()).toEqual(['2503.21002']);
    db.close();
    await cli(['unhide', '2503.21002']);
  });
});

describe('papers hide through bin/papers.js', () => {
  const run = promisify(execFile);
  const papers = async (home: string, ...args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, [join(ROOT, 'bin', 'papers.js'), ...args], {
        env: { PATH: process.env.PATH ?? '', HOME: home, PAPERS_HOME: home, NO_COLOR: '1' },
        timeout: 30_000,
      });
      return { stdout, stderr, code: 0 };
    } catch (err) {
      const e = err as { stdout: string; stderr: string; code: number };
      return { stdout: e.stdout, stderr: e.stderr, code: e.code };
    }
  };

  it('hides from new and recommend in the built CLI, and --hidden shows it', async () => {
    const home = tempHome();
    archive(home);
    expect((await papers(home, 'star', ...VIDEO_STARS)).code).toBe(0);
    const hide = await papers(home, 'hide', `https://huggingface.co/papers/${HIDE}`);
    expect(hide).toMatchObject({ code: 0, stdout: '', stderr: 'hid 1 paper\n' });
    const newIds = (await papers(home, 'new', '--since', '2025-03-04')).stdout.split('\n').map((l) => l.split('\t')[0]);
    expect(newIds).toHaveLength(15); // 14 papers and the final newline
    expect(newIds).not.toContain(HIDE);
    const rec = await papers(home, 'recommend', '--date', '2025-03-04', '--json');
    expect(rec.code).toBe(0);
    const recIds = (JSON.parse(rec.stdout) as Rec[]).map((p) => p.id);
    expect(recIds).not.toContain(HIDE);
    expect(recIds.slice(0, 4).sort()).toEqual(NEIGHBOURS);
    const withHidden = await papers(home, 'recommend', '--date', '2025-03-04', '--json', '--hidden');
    expect((JSON.parse(withHidden.stdout) as Rec[]).map((p) => p.id)).toContain(HIDE);
    const missing = await papers(home, 'unhide');
    expect(missing.code).toBe(2);
  });
});
