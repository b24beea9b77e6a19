// The reliability work of issue 15 as the CLI shows it: `status` counts unsettled and
// suspect days, `show` marks days whose list no longer has the paper, `import` refuses an
// impossible --date before it opens anything, `doctor` explains a permission problem.
import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { fixturePath, makeEntries, type Entry, useHfServer } from './helpers/fixtures.js';
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
const cli = (argv: string[], o: { tty?: boolean; now?: string } = {}) =>
  runCli(argv, { home, now: o.now ?? NOW, tty: o.tty, columns: 100, env: { HF_ENDPOINT: server.url } });
const strip = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');

describe('status: unsettled and suspect days', () => {
  it('a clean recent day: unsettled 1, suspect none; a list cut short: suspect names the day', async () => {
    const all = makeEntries(DAY, 14);
    served.set(DAY, all);
    expect((await cli(['sync', '--date', DAY])).exitCode).toBe(0);
    let piped = (await cli(['status'])).stdout;
    expect(piped).toMatch(/^unsettled days\t1$/m);
    expect(piped).toMatch(/^suspect days\tnone$/m);
    const json = JSON.parse((await cli(['status', '--json'])).stdout);
    expect(json).toMatchObject({ unsettledDays: 1, suspectDays: [] });

    served.set(DAY, all.slice(0, 1));
    await coreSync(dbPath(), server.url, NOW, { days: [DAY] });
    piped = (await cli(['status'])).stdout;
    expect(piped).toMatch(/^suspect days\t2025-02-04$/m);
    const tty = strip((await cli(['status'], { tty: true })).stdout);
    expect(tty).toMatch(/^unsettled days 1$/m);
    expect(tty).toMatch(/^suspect days {3}2025-02-04$/m);
    const s = JSON.parse((await cli(['status', '--json'])).stdout);
    expect(s.suspectDays).toEqual([
      { source: 'hf', day: DAY, at: '2025-02-10T12:00:00.000Z', warning: expect.stringContaining('1 of the 14') },
    ]);
  });
});

describe('show: days whose list no longer has the paper', () => {
  it('marked in `listed`, on a terminal and piped; other papers unmarked', async () => {
    const other = '2025-02-05';
    const all = makeEntries(DAY, 14);
    const gone = all[3]!.paper.id as string;
    served.set(DAY, all);
    served.set(other, [all[3]!]);
    expect((await cli(['sync', '--since', DAY, '--until', other])).exitCode).toBe(0);
    served.set(
      DAY,
      all.filter((_, i) => i !== 3),
    );
    await coreSync(dbPath(), server.url, NOW, { days: [DAY] });

    const piped = await cli(['show', gone]);
    expect(piped.exitCode).toBe(0);
    // One row per listing, with its source (issue 22.5).
    expect(piped.stdout).toMatch(/^listed\t2025-02-04 hf \(no longer listed upstream\)\nlisted\t2025-02-05 hf$/m);
    const tty = strip((await cli(['show', gone], { tty: true })).stdout);
    expect(tty).toMatch(/^listed +2025-02-04 hf \(no longer listed upstream\)\n +2025-02-05 hf$/m);
    const kept = await cli(['show', all[0]!.paper.id as string]);
    expect(kept.stdout).toMatch(/^listed\t2025-02-04 hf$/m);
  });
});

describe('import: impossible days', () => {
  it('several files with a bad --date: one usage error, exit 2, no archive created', async () => {
    const files = [fixturePath('2024-06-13.json'), fixturePath('2024-06-19.json'), fixturePath('2024-07-01.json')];
    const r = await cli(['import', '--date', '9999-12-31', ...files]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe(
      'error: --date 9999-12-31 is after tomorrow (2025-02-11, UTC): no list can exist for it yet\n' +
        'hint: pass the listing day the file was saved for\n',
    );
    expect(existsSync(dbPath())).toBe(false);
  });

  it('a file whose day is impossible prints only its warning line, even with -q; the summary counts it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'papers-imp-'));
    const future = join(dir, '9999-12-31.json');
    copyFileSync(fixturePath('2024-06-19.json'), future);
    const ok = fixturePath('2024-06-13.json');
    const r = await cli(['import', future, ok]);
    expect(r.exitCode, r.stderr).toBe(0);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toEqual([
      `warning: ${future}: not imported: 9999-12-31 is after tomorrow (2025-02-11, UTC): no list can exist for it yet (the day from its name)`,
      expect.stringMatching(new RegExp(`^${ok.replace(/[.]/g, '\\.')}: 2024-06-13, \\d+ papers`)),
      'imported 1 of 2 files, 1 not imported',
    ]);
    const q = await cli(['-q', 'import', future]);
    expect(q.stderr).toBe(
      `warning: ${future}: not imported: 9999-12-31 is after tomorrow (2025-02-11, UTC): no list can exist for it yet (the day from its name)\n`,
    );
  });
});
