// Issue 15.1: a re-sync never silently loses listings. A paper that leaves its day's list
// stays listed, marked gone (in `show --json`); a list that shrinks by more than half, ends
// early on a later page or drops entries without an id or title leaves the day unsettled,
// with its listings whole, a warning, and a retry by later syncs; `doctor` and `status`
// report it. Only an explicit prune removes listings.
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkArchive } from '../src/core/doctor.js';
import { archiveStatus } from '../src/core/status.js';
import { openDb } from '../src/db/open.js';
import { makeEntries, query, type Entry, useHfServer } from './helpers/fixtures.js';
import { coreSync } from './helpers/core-sync.js';
import { runCli, tempHome } from './helpers/run-cli.js';

const DAY = '2025-02-04';
const NOW = '2025-02-10T12:00:00Z';
let home: string;
const served = new Map<string, Entry[]>();

// Faults and the request log are forgotten after each test (useHfServer).
const server = useHfServer((d: string) => served.get(d));
beforeEach(() => {
  served.clear();
  home = tempHome();
});

const dbPath = () => join(home, 'papers.db');
const cli = (argv: string[], now = NOW) => runCli(argv, { home, now, env: { HF_ENDPOINT: server.url } });
const listed = (day = DAY) =>
  query<{ paper_id: string; gone: number }>(
    dbPath(),
    'SELECT paper_id, gone_at IS NOT NULL AS gone FROM listings WHERE day = ? ORDER BY rank',
    day,
  );
const dayRow = (day = DAY) =>
  query<{ outcome: string; warning: string | null }>(
    dbPath(),
    'SELECT outcome, warning FROM sync_days WHERE day = ?',
    day,
  )[0];

const core = (opts: { days?: string[]; prune?: boolean }) => coreSync(dbPath(), server.url, NOW, opts);

describe('a paper that leaves its day', () => {
  it('stays listed, marked gone: in show --json and list; back on the list, it is listed again', async () => {
    const all = makeEntries(DAY, 14);
    served.set(DAY, all);
    expect((await cli(['sync', '--date', DAY])).exitCode).toBe(0);
    served.set(
      DAY,
      all.filter((_, i) => i !== 3),
    );
    const s = await core({ days: [DAY] });
    expect(s).toMatchObject({ ok: 1, unsettled: 0, gone: 1, warnings: [] });
    const gone = all[3]!.paper.id as string;
    expect(listed()).toHaveLength(14);
    expect(
      listed()
        .filter((l) => l.gone)
        .map((l) => l.paper_id),
    ).toEqual([gone]);
    const show = JSON.parse((await cli(['show', gone, '--json'])).stdout) as { days: string[]; gone: string[] };
    expect(show).toMatchObject({ days: [DAY], gone: [DAY] });
    const kept = JSON.parse((await cli(['show', all[0]!.paper.id, '--json'])).stdout) as { gone: string[] };
    expect(kept.gone).toEqual([]);
    expect((await cli(['list', '--date', DAY])).stdout.split('\n').filter(Boolean)).toHaveLength(14);
    expect(dayRow()).toEqual({ outcome: 'ok', warning: null });

    served.set(DAY, all);
    await core({ days: [DAY] });
    expect(listed().every((l) => !l.gone)).toBe(true);
    expect(JSON.parse((await cli(['show', gone, '--json'])).stdout).gone).toEqual([]);
  });
});

describe('a list that looks cut short', () => {
  it('shrunk to 1 of 14: every listing kept, the day unsettled with a warning, doctor reports it, the next sync retries it', async () => {
    const all = makeEntries(DAY, 14);
    served.set(DAY, all);
    await cli(['sync', '--date', DAY]);
    served.set(DAY, all.slice(0, 1));
    const s = await core({ days: [DAY] });
    const warning = `upstream lists 1 of the 14 papers the archive has for ${DAY}: kept every listing, the next sync fetches it again; \`papers sync --date ${DAY} --prune\` accepts the shorter list`;
    expect(s).toMatchObject({ ok: 0, unsettled: 1, failed: 0, gone: 0, warnings: [{ day: DAY, warning }] });
    expect(listed()).toHaveLength(14);
    expect(listed().some((l) => l.gone)).toBe(false);
    expect(dayRow()).toEqual({ outcome: 'ok', warning });

    const db = openDb(dbPath(), { readonly: true });
    try {
      const finding = checkArchive(db, new Date(NOW)).find((f) => f.check === 'lists')!;
      expect(finding).toMatchObject({ ok: false, days: [DAY], repair: `papers sync --date ${DAY}` });
      expect(finding.detail).toContain(`1 day whose last list looked cut short: ${DAY}`);
      expect(archiveStatus(db, dbPath()).suspectDays).toEqual([
        { source: 'hf', day: DAY, at: '2025-02-10T12:00:00.000Z', warning },
      ]);
    } finally {
      db.close();
    }
    const doctor = await cli(['doctor']);
    expect(doctor.exitCode).toBe(1);
    expect(doctor.stdout).toContain(`FAIL lists: 1 day whose last list looked cut short: ${DAY}`);

    // An incremental sync the next day, and a range, fetch it again although it had settled.
    server.requests.length = 0;
    await cli(['sync'], '2025-02-11T12:00:00Z');
    expect(server.requests.map((r) => r.query.date)).toContain(DAY);
    server.requests.length = 0;
    await cli(['sync', '--since', DAY, '--until', DAY], '2025-02-11T13:00:00Z');
    expect(server.requests.map((r) => r.query.date)).toEqual([DAY]);

    // Upstream whole again: the warning goes, the day can settle.
    served.set(DAY, all);
    await cli(['sync', '--date', DAY], '2025-02-11T14:00:00Z');
    expect(dayRow()).toEqual({ outcome: 'ok', warning: null });
  });

  it('a second page answering [] cut a 130-paper day to 100: all 130 kept, unsettled', async () => {
    const all = makeEntries(DAY, 130);
    served.set(DAY, all);
    await cli(['sync', '--date', DAY]);
    server.faults.push({
      match: `date=${DAY}&limit=100&p=1`,
      kind: 'status',
      status: 200,
      body: '[]',
      headers: { 'content-type': 'application/json' },
    });
    const s = await core({ days: [DAY] });
    expect(s.unsettled).toBe(1);
    expect(s.warnings[0]!.warning).toMatch(
      new RegExp(
        `^the list for ${DAY} ended on page 2 with 100 papers, fewer than the 130 the archive has: kept every listing`,
      ),
    );
    expect(listed()).toHaveLength(130);
    expect(listed().some((l) => l.gone)).toBe(false);
  });

  it('entries without a title are left out and say so: the day is saved but unsettled', async () => {
    const all = makeEntries(DAY, 5);
    delete all[1]!.title;
    delete all[1]!.paper.title;
    served.set(DAY, all);
    const s = await core({ days: [DAY] });
    expect(s).toMatchObject({ unsettled: 1, papers: 4 });
    expect(s.warnings[0]!.warning).toBe(
      `1 entry for ${DAY} had no id or title and was left out: kept every listing, the next sync fetches it again`,
    );
    expect(listed()).toHaveLength(4);
    expect(dayRow()!.warning).toBe(s.warnings[0]!.warning);
  });

  it('an empty list for a day with papers still fails the day and keeps them', async () => {
    served.set(DAY, makeEntries(DAY, 3));
    await cli(['sync', '--date', DAY]);
    served.set(DAY, []);
    const r = await cli(['sync', '--date', DAY]);
    expect(r.exitCode).toBe(1);
    expect(listed()).toHaveLength(3);
  });
});

describe('prune', () => {
  it('makes the day exactly the upstream list: departed papers and gone marks deleted, no warning', async () => {
    const all = makeEntries(DAY, 14);
    served.set(DAY, all);
    await cli(['sync', '--date', DAY]);
    served.set(DAY, all.slice(0, 13));
    await core({ days: [DAY] }); // one marked gone
    served.set(DAY, all.slice(0, 2));
    const s = await core({ days: [DAY], prune: true });
    expect(s).toMatchObject({ ok: 1, unsettled: 0, warnings: [] });
    expect(listed()).toEqual(all.slice(0, 2).map((e) => ({ paper_id: e.paper.id, gone: 0 })));
    expect(dayRow()).toEqual({ outcome: 'ok', warning: null });
    // the papers themselves stay in the archive
    expect(query(dbPath(), 'SELECT count(*) AS n FROM papers')).toEqual([{ n: 14 }]);
  });
});
