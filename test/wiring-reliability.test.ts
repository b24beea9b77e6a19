// The reliability work of issue 15 as the CLI shows it: `status` counts unsettled and
// suspect days, `show` marks days whose list no longer has the paper, `import` refuses an
// impossible --date before it opens anything, `doctor` explains a permission problem.
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeEntries, startHfServer, type Entry, type HfServer } from './helpers/fixtures.js';
import { coreSync } from './helpers/core-sync.js';
import { runCli, tempHome } from './helpers/run-cli.js';

const DAY = '2025-02-04';
const NOW = '2025-02-10T12:00:00Z';
let server: HfServer;
let home: string;
const served = new Map<string, Entry[]>();

beforeAll(async () => {
  server = await startHfServer((d: string) => served.get(d));
});
afterAll(() => server.close());
beforeEach(() => {
  served.clear();
  server.faults.length = 0;
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
      { source: 'hf-daily', day: DAY, at: '2025-02-10T12:00:00.000Z', warning: expect.stringContaining('1 of the 14') },
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
    served.set(DAY, all.filter((_, i) => i !== 3));
    await coreSync(dbPath(), server.url, NOW, { days: [DAY] });

    const piped = await cli(['show', gone]);
    expect(piped.exitCode).toBe(0);
    expect(piped.stdout).toMatch(/^listed\t2025-02-04 \(no longer listed upstream\), 2025-02-05$/m);
    const tty = strip((await cli(['show', gone], { tty: true })).stdout);
    expect(tty).toMatch(/^listed +2025-02-04 \(no longer listed upstream\), 2025-02-05$/m);
    const kept = await cli(['show', all[0]!.paper.id as string]);
    expect(kept.stdout).toMatch(/^listed\t2025-02-04$/m);
  });
});
