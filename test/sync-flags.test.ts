// The sync flags of issue 15 on the command line: a shorter list is kept whole and warned
// about (even with -q), --prune accepts it for the days named, --deadline bounds a run.
import { describe, expect, it } from 'vitest';
import { makeEntries, useHfServer, type Entry } from './helpers/fixtures.js';
import { runCli, tempHome } from './helpers/run-cli.js';

const DAY = '2025-02-04';
const served = new Map<string, Entry[]>([[DAY, makeEntries(DAY, 14)]]);
const server = useHfServer((d) => served.get(d));
const NOW = '2025-02-20T12:00:00Z';

const cli = (home: string, argv: string[]) => runCli(argv, { home, now: NOW, env: { HF_ENDPOINT: server.url } });
const count = async (home: string) => JSON.parse((await cli(home, ['list', '--date', DAY, '--json'])).stdout).length;

describe('papers sync and a list that shrank', () => {
  it('keeps the day whole and warns (with -q too); --prune accepts the shorter list', async () => {
    const home = tempHome();
    served.set(DAY, makeEntries(DAY, 14));
    expect((await cli(home, ['sync', '--date', DAY])).exitCode).toBe(0);
    served.set(DAY, makeEntries(DAY, 1));
    const r = await cli(home, ['-q', 'sync', '--date', DAY]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(
      new RegExp(`^warning: ${DAY}: upstream lists 1 of the 14 papers the archive has for ${DAY}`),
    );
    expect(await count(home)).toBe(14);
    const pruned = await cli(home, ['sync', '--date', DAY, '--prune']);
    expect([pruned.exitCode, pruned.stderr]).toEqual([
      0,
      'synced 1 day: 1 paper (0 papers new to the archive, 0 updated), 0 failed\n',
    ]);
    expect(await count(home)).toBe(1);
  });

  it('--prune needs days to prune', async () => {
    const r = await cli(tempHome(), ['sync', '--prune']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^error: --prune needs the days it prunes/);
  });

  it('--deadline ends a run that a stalling host would hold, naming the days left', async () => {
    const home = tempHome();
    server.faults.push({ match: 'daily_papers', kind: 'hang', times: Infinity });
    const r = await cli(home, [
      'sync',
      '--since',
      '2025-02-03',
      '--until',
      '2025-02-05',
      '--deadline',
      '300ms',
      '-c',
      '1',
    ]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^error: the sync ran out of its time budget: 0 of 3 days synced, 3 left/m);
  });
});
