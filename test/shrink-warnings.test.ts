// What an arXiv feed or `papers import` drops is said, as HF sync says it (issue 23.9): a
// list that shrinks a day by half, or comes with entries left out, keeps every listing and
// warns; papers that left a whole-looking list are marked gone and counted; a feed of newer
// versions of the same papers is a new announcement, not a repeat.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resultOf, runSources, type RunnerDeps } from '../src/core/runner.js';
import { feedTask, type AnnouncementSummary } from '../src/core/sources.js';
import { openDb } from '../src/db/open.js';
import { nextAnnouncementAt } from '../src/sources/arxiv/adapter.js';
import { arxivRig, readArxivSample, startArxivServer } from './helpers/arxiv.js';
import { makeEntries, query } from './helpers/fixtures.js';
import { runCli, tempHome } from './helpers/run-cli.js';

const DAY = '2025-03-18';
const NOW = '2025-03-19T12:00:00Z';

describe('papers import of a day the archive has', () => {
  it('a file with less than half the papers warns and keeps every listing; one left out is marked gone', async () => {
    const home = tempHome();
    const dir = tempHome();
    const all = makeEntries(DAY, 10);
    const write = (sub: string, entries: unknown[]) => {
      const p = join(dir, `${sub}-${DAY}.json`);
      writeFileSync(p, JSON.stringify(entries));
      return p;
    };
    const cli = (argv: string[]) => runCli(argv, { home, now: NOW });
    expect((await cli(['import', write('all', all)])).exitCode).toBe(0);
    const db = join(home, 'papers.db');
    const listed = () =>
      query<{ n: number; gone: number }>(
        db,
        `SELECT count(*) AS n, count(gone_at) AS gone FROM listings WHERE source = 'hf' AND day = ?`,
        DAY,
      )[0];

    const short = await cli(['import', write('short', all.slice(0, 4))]);
    expect(short.exitCode, short.stderr).toBe(0);
    expect(short.stderr).toMatch(
      /^warning: \S+short-2025-03-18\.json: upstream lists 4 of the 10 papers the archive has for 2025-03-18: kept every listing, the next sync fetches it again/m,
    );
    expect(listed()).toEqual({ n: 10, gone: 0 });
    expect(query(db, `SELECT warning IS NOT NULL AS w FROM sync_days WHERE day = ?`, DAY)).toEqual([{ w: 1 }]);

    const dropped = await cli(['import', write('nine', all.slice(0, 9))]);
    expect(dropped.exitCode).toBe(0);
    expect(dropped.stderr).toMatch(/2025-03-18, 9 papers \(0 new, 0 updated, 1 no longer listed\)/);
    expect(listed()).toEqual({ n: 10, gone: 1 });

    const broken = JSON.parse(JSON.stringify(all)) as { paper: { id?: string } }[];
    delete broken[3]!.paper.id;
    const left = await cli(['-q', 'import', write('broken', broken)]);
    expect(left.exitCode).toBe(0);
    expect(left.stderr).toMatch(
      /warning: .*1 entry for 2025-03-18 had no id or title and was left out: kept every listing/,
    );
  });
});

describe('an arXiv feed for a day the archive has', () => {
  const FEED_4 = readArxivSample('rss/cs.LG+cs.AI+cs.CL+stat.ML_2026-09-24_4items.xml');
  const T0 = Date.parse('2026-09-24T13:00:00Z');
  let closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of closers) await c();
    closers = [];
  });
  const items = (body: string) => body.match(/<item>[\s\S]*?<\/item>/g)!;
  const withItems = (keep: string[]) => {
    const all = items(FEED_4);
    return FEED_4.replace(all.join('\n    '), keep.join('\n    ')).replace(/(<\/item>)\s*<item>/g, '$1<item>');
  };
  /** An archive and a local arXiv serving `state.body`, synced at `state.now`. */
  async function feedRig() {
    const state = { body: FEED_4, now: T0 };
    const srv = await startArxivServer(() => ({
      headers: { 'content-type': 'application/rss+xml' },
      body: state.body,
    }));
    closers.push(srv.close);
    const db = openDb(join(tempHome(), 'papers.db'));
    const rig = arxivRig(srv.url);
    const deps: RunnerDeps = {
      db,
      http: rig.http,
      now: () => new Date(state.now),
      pid: process.pid,
      lockPath: null,
    };
    // The feed as the one runner runs it (issue 21): its task, its result.
    const sync = async () => resultOf((await runSources(deps, [feedTask(rig.source)], {}))[0]) as AnnouncementSummary;
    return { state, db, sync };
  }

  it('shrunk by half: kept and warned; one gone: marked and counted', async () => {
    const { state, db, sync } = await feedRig();
    const live = () =>
      db.prepare(`SELECT count(*) FROM listings WHERE day = '2026-09-24' AND gone_at IS NULL`).pluck().get();
    expect(await sync()).toMatchObject({ outcome: 'saved', papers: 4 });

    // A later look at the same day's feed: one item of four.
    expect(items(FEED_4).length).toBe(4);
    state.body = withItems(items(FEED_4).slice(0, 1));
    state.now = nextAnnouncementAt(state.now) + 60_000;
    const short = await sync();
    expect(short).toMatchObject({ outcome: 'saved', day: '2026-09-24', papers: 1 });
    expect(short.warning).toBe('upstream lists 1 of the 4 papers the archive has for 2026-09-24: kept every listing');
    expect(live()).toBe(4);

    // Three of four: the one that left is marked gone, and counted.
    state.body = withItems(items(FEED_4).slice(0, 3));
    state.now = nextAnnouncementAt(state.now) + 60_000;
    const three = await sync();
    expect(three).toMatchObject({ outcome: 'saved', papers: 3, gone: 1 });
    expect(three.warning).toBeUndefined();
    expect(live()).toBe(3);

    db.close();
  });

  it('the same papers at newer versions the next day are a new announcement, not a repeat', async () => {
    const { state, db, sync } = await feedRig();
    expect(await sync()).toMatchObject({ outcome: 'saved', papers: 4 });
    state.body = FEED_4.replace(/Thu, 24 Sep 2026/g, 'Fri, 25 Sep 2026').replace(
      /(oai:arXiv\.org:\d{4}\.\d{4,5})v(\d+)/g,
      (_, id: string, v: string) => `${id}v${Number(v) + 1}`,
    );
    // Friday in New York, after its announcement.
    state.now = Date.parse('2026-09-25T13:00:00Z');
    const bumped = await sync();
    expect(bumped).toMatchObject({ outcome: 'saved', day: '2026-09-25', papers: 4 });
    expect(db.prepare(`SELECT version FROM papers WHERE id = '2205.06398'`).pluck().get()).toBe(3);
    // The same batch again under Saturday's date: a repeat, as before.
    state.body = state.body.replace(/Fri, 25 Sep 2026/g, 'Sat, 26 Sep 2026');
    state.now = Date.parse('2026-09-26T13:00:00Z');
    expect(await sync()).toMatchObject({ outcome: 'repeat', day: '2026-09-25' });
    db.close();
  });
});
