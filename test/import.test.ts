// `papers import`: saved API bodies and saved pages through the same parse and save
// path as sync; the day from --date, else the file name, else the page itself.
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkImportDay } from '../src/core/import.js';
import { listingDayProblem } from '../src/dates.js';
import { UsageError } from '../src/errors.js';
import { hfDaily } from '../src/sources/hf-adapter.js';
import {
  dumpArchive,
  fixtureEntries,
  fixturePath,
  fixtureDays,
  query,
  readFixture,
  startHfServer,
} from './helpers/fixtures.js';
import { runCli, tempHome } from './helpers/run-cli.js';

const NOW = '2025-07-01T00:00:00Z';
let home: string;
let dir: string;

beforeEach(() => {
  home = tempHome();
  dir = tempHome();
});

const imp = (args: string[]) => runCli(['import', ...args], { home, now: NOW });
const dbPath = () => join(home, 'papers.db');
const listings = () =>
  query<{ day: string; paper_id: string; rank: number }>(
    dbPath(),
    'SELECT day, paper_id, rank FROM listings ORDER BY day, rank',
  );

/** A copy of a fixture under a name of our choosing. */
function copy(fixture: string, name: string): string {
  const p = join(dir, name);
  copyFileSync(fixturePath(fixture), p);
  return p;
}

describe('papers import', () => {
  it('.json: the day from the file name', async () => {
    const r = await imp([fixturePath('2025-03-17.json')]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe(
      `${fixturePath('2025-03-17.json')}: 2025-03-17, 2 papers (2 new, 0 updated)\nimported 1 of 1 file\n`,
    );
    expect(listings()).toEqual([
      { day: '2025-03-17', paper_id: '2503.11002', rank: 1 },
      { day: '2025-03-17', paper_id: '2503.10515', rank: 2 },
    ]);
    expect(query(dbPath(), `SELECT via FROM sync_days`)).toEqual([{ via: 'import' }]);
  });

  it('.json: --date wins over the file name', async () => {
    const r = await imp(['--date', '2024-06-20', copy('2024-06-19.json', 'saved-2024-06-01.json')]);
    expect(r.exitCode).toBe(0);
    expect(listings().map((l) => l.day)).toEqual(['2024-06-20', '2024-06-20']);
  });

  it('.json without a day in its name: the day from submittedOnDailyAt (2025-03 on)', async () => {
    const r = await imp([copy('2025-06-25.json', 'body.json')]);
    expect(r.exitCode).toBe(0);
    expect(listings().map((l) => l.day)).toEqual(['2025-06-25', '2025-06-25']);
  });

  it('.json without any day: a usage error naming the file, exit 2, nothing written', async () => {
    const file = copy('2024-05-28.json', 'body.json');
    const r = await imp([file]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe(
      `error: cannot tell which day ${file} lists\nhint: pass --date YYYY-MM-DD, or name the file after its day\n`,
    );
    expect(listings()).toEqual([]);
  });

  it('.html: the day from the page props; the decoys are not imported', async () => {
    const file = copy('papers-page.html', 'page.html');
    const r = await imp([file]);
    expect(r.exitCode).toBe(0);
    expect(listings()).toEqual([
      { day: '2024-08-01', paper_id: '2407.21770', rank: 1 },
      { day: '2024-08-01', paper_id: '2407.21018', rank: 2 },
    ]);
    expect(query(dbPath(), 'SELECT id, title FROM papers ORDER BY id')).toEqual([
      { id: '2407.21018', title: 'Small Models, Long Memories' },
      { id: '2407.21770', title: 'Q&A <Bench>: It\'s "Harder" Than It Looks' },
    ]);
  });

  it('the body decides over the extension: a page saved as .json, an API body saved as .html', async () => {
    let r = await imp([copy('papers-page.html', 'saved-page.json')]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(listings().map((l) => l.day)).toEqual(['2024-08-01', '2024-08-01']);
    r = await imp([copy('2025-03-17.json', '2025-03-17.html')]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(listings().filter((l) => l.day === '2025-03-17')).toHaveLength(2);
  });

  it('.html: the file name wins over the props, and --date over both', async () => {
    let r = await imp([copy('papers-page.html', 'daily-2024-08-02.html')]);
    expect(r.exitCode).toBe(0);
    expect(listings().map((l) => l.day)).toEqual(['2024-08-02', '2024-08-02']);
    r = await imp(['--date', '2024-08-05', copy('papers-page.html', 'again-2024-08-02.html')]);
    expect(listings().map((l) => l.day)).toEqual(['2024-08-02', '2024-08-02', '2024-08-05', '2024-08-05']);
  });

  it('entries without id or title are skipped and counted', async () => {
    const r = await imp([fixturePath('2024-07-01.json')]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('2024-07-01, 1 paper (1 new, 0 updated, 2 entries without id or title skipped)');
    expect(query(dbPath(), 'SELECT entries, skipped FROM sync_days')).toEqual([{ entries: 1, skipped: 2 }]);
  });

  it('several files; a bad one is reported, the others imported, exit 1', async () => {
    const bad = copy('malformed/truncated.json', '2024-06-14.json');
    const r = await imp([fixturePath('2024-06-13.json'), bad, fixturePath('2024-06-19.json')]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`error: ${bad} is not valid JSON (truncated?)`);
    expect(r.stderr).toContain('imported 2 of 3 files, 1 failed');
    expect(listings().map((l) => l.day)).toEqual(['2024-06-13', '2024-06-13', '2024-06-19', '2024-06-19']);
  });

  it('a .json file that is not JSON says so (not "no DailyPapers element"); a folder gets a hint', async () => {
    const notJson = join(dir, '2024-06-14.json');
    writeFileSync(notJson, 'Not Found\n');
    const text = join(dir, '2024-06-15.txt');
    writeFileSync(text, 'hello\n');
    const t = await imp([text]);
    expect(t.exitCode).toBe(1);
    expect(t.stderr).toContain(
      `error: ${text} is neither a saved API body (JSON) nor a saved Daily Papers page (HTML)\n`,
    );
    rmSync(text);
    const r = await imp([notJson, dir]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(
      `error: ${notJson} is not valid JSON\n` +
        `error: ${dir} is a folder\nhint: import the files in it: papers import ${dir}/*.json\n` +
        'imported 0 of 2 files, 2 failed\n',
    );
  });

  it("a file name (or --date) that disagrees with the entries' listing day: imported as asked, with a warning", async () => {
    const renamed = copy('2025-03-17.json', '2025-03-24.json');
    const r = await imp([renamed]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain(
      `warning: ${renamed}: its entries were listed on 2025-03-17, imported as 2025-03-24 (from the file name)\n`,
    );
    expect(listings().map((l) => l.day)).toEqual(['2025-03-24', '2025-03-24']);
    const asked = await imp(['--date', '2025-03-18', fixturePath('2025-03-17.json'), '--json']);
    expect(JSON.parse(asked.stdout)[0].warning).toBe(
      'its entries were listed on 2025-03-17, imported as 2025-03-18 (from --date)',
    );
    const agreeing = await imp([fixturePath('2025-03-17.json')]);
    expect(agreeing.stderr).not.toContain('warning');
  });

  it('a file saved with a UTF-8 byte-order mark', async () => {
    for (const [fixture, name] of [
      ['2025-03-17.json', '2025-03-17.json'],
      ['papers-page.html', 'page.html'],
    ] as const) {
      const file = join(dir, name);
      writeFileSync(file, '\uFEFF' + readFixture(fixture));
      const r = await imp([file]);
      expect(r.stderr).toMatch(/^imported 1 of 1 file$/m);
      expect(r.exitCode).toBe(0);
    }
    expect(listings().map((l) => [l.day, l.paper_id])).toEqual([
      ['2024-08-01', '2407.21770'],
      ['2024-08-01', '2407.21018'],
      ['2025-03-17', '2503.11002'],
      ['2025-03-17', '2503.10515'],
    ]);
  });

  it('a missing file: exit 1, named', async () => {
    const r = await imp([join(dir, 'nope-2024-01-01.json')]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`cannot read ${join(dir, 'nope-2024-01-01.json')}: no such file`);
  });

  it('an empty body for a day that has papers keeps them', async () => {
    await imp([fixturePath('2024-06-13.json')]);
    const before = dumpArchive(dbPath());
    const empty = join(dir, '2024-06-13.json');
    writeFileSync(empty, '[]');
    const r = await imp([empty]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('lists no papers, but 2024-06-13 has papers in the archive; kept them');
    expect(dumpArchive(dbPath())).toEqual(before);
  });

  it('--json prints the result per file', async () => {
    const r = await runCli(['import', '--json', fixturePath('2025-05-22.json')], { home, now: NOW });
    expect(JSON.parse(r.stdout)).toEqual([
      {
        file: fixturePath('2025-05-22.json'),
        day: '2025-05-22',
        papers: 1,
        inserted: 1,
        updated: 0,
        skipped: 0,
        dayFrom: 'name', // where the day came from (issue 22.7)
      },
    ]);
  });

  it('an import makes the same rows as a sync of the same body', async () => {
    const now = '2026-02-01T00:00:00Z';
    await runCli(['import', fixturePath('2025-10-14.json'), fixturePath('2026-01-15.json')], { home, now });
    const imported = dumpArchive(dbPath());
    expect(imported.papers).toHaveLength(3);
    const server = await startHfServer(fixtureDays());
    try {
      const other = tempHome();
      for (const d of ['2025-10-14', '2026-01-15']) {
        const r = await runCli(['sync', '--date', d], { home: other, now, env: { HF_ENDPOINT: server.url } });
        expect(r.exitCode).toBe(0);
      }
      expect(dumpArchive(join(other, 'papers.db'))).toEqual(imported);
    } finally {
      await server.close();
    }
  });

  it('the saved page and the API body of one day give the same papers', async () => {
    // the page's entries carry a viewer flag (`upvoted`) the API has not; the columns agree
    const page = JSON.parse(
      readFixture('papers-page.html')
        .match(/data-target="DailyPapers" data-props="([^"]*)"/)![1]!
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&'),
    ).dailyPapers as Record<string, unknown>[];
    const body = join(dir, '2024-08-01.json');
    writeFileSync(body, JSON.stringify(page));
    await imp([copy('papers-page.html', 'page.html')]);
    const fromPage = query(
      dbPath(),
      'SELECT id, title, abstract, authors, upvotes, comments, submitter FROM papers ORDER BY id',
    );
    home = tempHome();
    await imp([body]);
    expect(
      query(dbPath(), 'SELECT id, title, abstract, authors, upvotes, comments, submitter FROM papers ORDER BY id'),
    ).toEqual(fromPage);
  });
});

// Days that cannot be listing days (issue 15.4): an archive never gets a day that would make
// a walk over its days endless.
const days = () => query<{ day: string }>(dbPath(), 'SELECT DISTINCT day FROM listings ORDER BY day').map((r) => r.day);

describe('listingDayProblem', () => {
  const now = new Date('2025-07-01T12:00:00Z');
  it('tomorrow (UTC) is the last possible day, the source start the first', () => {
    expect(listingDayProblem('2025-07-02', now, hfDaily)).toBeUndefined();
    expect(listingDayProblem('2023-05-01', now, hfDaily)).toBeUndefined();
    expect(listingDayProblem('2025-07-03', now, hfDaily)).toBe(
      '2025-07-03 is after tomorrow (2025-07-02, UTC): no list can exist for it yet',
    );
    expect(listingDayProblem('9999-12-31', now, hfDaily)).toMatch(/^9999-12-31 is after tomorrow/);
    expect(listingDayProblem('2023-04-30', now, hfDaily)).toBe('2023-04-30 is before hf began (2023-05-01)');
    expect(() => checkImportDay('9999-12-31', now, hfDaily)).toThrow(UsageError);
  });
});

describe('papers import refuses impossible days', () => {
  it.each(['9999-12-31', '2025-07-03', '2020-01-01'])(
    '--date %s: a usage error, exit 2, nothing written',
    async (day) => {
      const r = await imp(['--date', day, fixturePath('2025-03-17.json')]);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^error: --date ${day} is (after tomorrow|before hf began)`));
      expect(r.stderr).toContain('hint: pass the listing day the file was saved for');
    },
  );

  it('--date tomorrow is accepted', async () => {
    const r = await imp(['--date', '2025-07-02', fixturePath('2025-03-17.json')]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(days()).toEqual(['2025-07-02']);
  });

  it('a file named after an impossible day is skipped with a warning; the others are imported', async () => {
    const future = join(dir, '9999-12-31.json');
    copyFileSync(fixturePath('2025-03-17.json'), future);
    const r = await imp([future, fixturePath('2025-05-22.json')]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain(`warning: ${future}: not imported: 9999-12-31 is after tomorrow (2025-07-02, UTC)`);
    expect(r.stderr).toContain('(the day from its name)');
    expect(days()).toEqual(['2025-05-22']);
  });

  it('entries that say they were listed on an impossible day: skipped, with a warning', async () => {
    const entries = fixtureEntries('2025-06-25.json').map((e) => ({
      ...e,
      paper: { ...e.paper, submittedOnDailyAt: '9999-12-31T00:00:00.000Z' },
    }));
    const file = join(dir, 'body.json');
    writeFileSync(file, JSON.stringify(entries));
    const r = await imp(['--json', file]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      expect.objectContaining({
        file,
        day: '9999-12-31',
        papers: 0,
        notImported: expect.stringMatching(/after tomorrow/),
      }),
    ]);
    expect(query(join(home, 'papers.db'), 'SELECT count(*) AS n FROM papers')).toEqual([{ n: 0 }]);
  });
});
