// A capture without a date lands on its entries' days (issue 22.7): `papers import` of an
// API answer saved without `date=` (the latest entries over several days) puts each entry
// on its own `submittedOnDailyAt` day, says what it inferred, and marks nothing gone.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from './helpers/fixtures.js';
import { runCli, tempHome } from './helpers/run-cli.js';

const NOW = '2025-06-26T09:00:00Z';
const read = (day: string) => JSON.parse(readFileSync(join(FIXTURES, `${day}.json`), 'utf8')) as unknown[];

describe('import of a capture spanning several days', () => {
  it("puts each entry on its submittedOnDailyAt day and says so; a day's other papers stay listed", async () => {
    const home = tempHome();
    // The archive already has 2025-06-25's list; the capture holds one of its papers only.
    const first = await runCli(['import', join(FIXTURES, '2025-06-25.json')], { home, now: NOW });
    expect(first.exitCode, first.stderr).toBe(0);
    const capture = [...read('2025-06-25').slice(0, 1), ...read('2025-05-22'), ...read('2025-03-17')];
    const file = join(home, 'latest.json');
    writeFileSync(file, JSON.stringify(capture));
    const r = await runCli(['import', file], { home, now: NOW });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr.split('\n')[0]).toBe(
      `${file}: 3 days by each entry's submittedOnDailyAt (2025-03-17: 2, 2025-05-22: 1, 2025-06-25: 1), ` +
        '4 papers (3 new, 0 updated)',
    );
    const days = async (d: string) =>
      (JSON.parse((await runCli(['list', '--date', d, '--json'], { home, now: NOW })).stdout) as { id: string }[])
        .length;
    expect([await days('2025-03-17'), await days('2025-05-22'), await days('2025-06-25')]).toEqual([2, 1, 2]);
    const gone = JSON.parse((await runCli(['list', '--date', '2025-06-25', '--json'], { home, now: NOW })).stdout);
    expect(gone.every((p: { gone: string[] }) => p.gone.length === 0)).toBe(true);
    const json = JSON.parse((await runCli(['import', file, '--json'], { home, now: NOW })).stdout);
    expect(json[0]).toMatchObject({
      dayFrom: 'entries',
      days: [
        { day: '2025-03-17', papers: 2 },
        { day: '2025-05-22', papers: 1 },
        { day: '2025-06-25', papers: 1 },
      ],
    });
  });

  it('a capture of one day without a date in its name says the day came from its entries', async () => {
    const home = tempHome();
    const file = join(home, 'saved.json');
    writeFileSync(file, JSON.stringify(read('2025-03-17')));
    const r = await runCli(['import', file], { home, now: NOW });
    expect(r.stderr.split('\n')[0]).toBe(
      `${file}: 2025-03-17 (from the entries' submittedOnDailyAt), 2 papers (2 new, 0 updated)`,
    );
  });

  it('--date still puts the whole file on that day', async () => {
    const home = tempHome();
    const file = join(home, 'latest.json');
    writeFileSync(file, JSON.stringify([...read('2025-05-22'), ...read('2025-03-17')]));
    const r = await runCli(['import', '--date', '2025-05-22', file], { home, now: NOW });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr.split('\n')[0]).toBe(`${file}: 2025-05-22, 3 papers (3 new, 0 updated)`);
  });
});
