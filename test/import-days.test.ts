// `import` refuses days that cannot be listing days (issue 15.4): `--date 9999-12-31`, days
// after tomorrow (UTC) and before the source began are usage errors; a file whose own day is
// such a day is skipped with a warning. An archive never gets a day that would make a walk
// over its days endless.
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkImportDay, listingDayProblem } from '../src/core/import.js';
import { UsageError } from '../src/errors.js';
import { hfDaily } from '../src/sources/hf-daily.js';
import { fixtureEntries, fixturePath, query } from './helpers/fixtures.js';
import { runCli, tempHome } from './helpers/run-cli.js';

const NOW = '2025-07-01T12:00:00Z';
let home: string;
let dir: string;

beforeEach(() => {
  home = tempHome();
  dir = tempHome();
});

const imp = (args: string[]) => runCli(['import', ...args], { home, now: NOW });
const days = () => query<{ day: string }>(join(home, 'papers.db'), 'SELECT DISTINCT day FROM listings ORDER BY day').map((r) => r.day);

describe('listingDayProblem', () => {
  const now = new Date(NOW);
  it('tomorrow (UTC) is the last possible day, the source start the first', () => {
    expect(listingDayProblem('2025-07-02', now, hfDaily)).toBeUndefined();
    expect(listingDayProblem('2023-05-01', now, hfDaily)).toBeUndefined();
    expect(listingDayProblem('2025-07-03', now, hfDaily)).toBe('2025-07-03 is after tomorrow (2025-07-02, UTC): no list can exist for it yet');
    expect(listingDayProblem('9999-12-31', now, hfDaily)).toMatch(/^9999-12-31 is after tomorrow/);
    expect(listingDayProblem('2023-04-30', now, hfDaily)).toBe('2023-04-30 is before hf-daily began (2023-05-01)');
    expect(() => checkImportDay('9999-12-31', now, hfDaily)).toThrow(UsageError);
  });
});

describe('papers import refuses impossible days', () => {
  it.each(['9999-12-31', '2025-07-03', '2020-01-01'])('--date %s: a usage error, exit 2, nothing written', async (day) => {
    const r = await imp(['--date', day, fixturePath('2025-03-17.json')]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^error: --date ${day} is (after tomorrow|before hf-daily began)`));
    expect(r.stderr).toContain('hint: pass the listing day the file was saved for');
  });

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
    const entries = fixtureEntries('2025-06-25.json').map((e) => ({ ...e, paper: { ...e.paper, submittedOnDailyAt: '9999-12-31T00:00:00.000Z' } }));
    const file = join(dir, 'body.json');
    writeFileSync(file, JSON.stringify(entries));
    const r = await imp(['--json', file]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      expect.objectContaining({ file, day: '9999-12-31', papers: 0, notImported: expect.stringMatching(/after tomorrow/) }),
    ]);
    expect(query(join(home, 'papers.db'), 'SELECT count(*) AS n FROM papers')).toEqual([{ n: 0 }]);
  });
});
