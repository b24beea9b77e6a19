// Issue 11.6: grep takes the flags of grep and ripgrep (-v, -l, -L, -c, -F, -e), and -v
// is no longer the global --verbose (which turned a request to invert into verbose logs).
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from './helpers/fixtures.js';
import { runCli, tempHome } from './helpers/run-cli.js';

let home = '';
const DAYS = ['2025-03-17', '2025-05-22', '2025-06-25'];

beforeAll(async () => {
  home = tempHome();
  const r = await runCli(['import', ...DAYS.map((d) => join(FIXTURES, `${d}.json`))], {
    home,
    now: '2025-07-01T00:00:00Z',
  });
  expect(r.exitCode, r.stderr).toBe(0);
});

const grep = (...args: string[]) => runCli(['grep', ...args], { home });

describe('papers grep, as grep and rg', () => {
  it('-l prints the ids of papers with a matching line; -L those without', async () => {
    expect((await grep('-i', '-l', 'video')).stdout).toBe('2506.19033\n2503.11002\n');
    expect((await grep('-i', '-L', 'video')).stdout).toBe('2506.18800\n2505.15210\n2503.10515\n');
  });

  it('-c counts matching lines per paper, papers without one left out (rg)', async () => {
    expect((await grep('-i', '-c', 'video')).stdout).toBe('2506.19033:2\n2503.11002:2\n');
    expect(JSON.parse((await grep('-i', '-c', 'video', '--json')).stdout)).toEqual([
      { id: '2506.19033', count: 2 },
      { id: '2503.11002', count: 2 },
    ]);
  });

  it('-v selects the lines that do not match', async () => {
    const r = await grep('-v', '-i', 'video', '--field', 'title');
    expect(
      r.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(':')[0]),
    ).toEqual(['2506.18800', '2505.15210', '2503.10515']);
    expect(r.stderr).toBe('');
  });

  it('-e is repeatable (any pattern may match), -F matches as typed', async () => {
    const ids = (r: { stdout: string }) => r.stdout.trim().split('\n');
    expect(ids(await grep('-l', '-e', 'Puppeteer', '-e', 'Tokenizers'))).toEqual(['2506.19033', '2506.18800']);
    // `2$` is an anchor as a regular expression, two characters with -F.
    expect((await grep('-l', '2$:')).stdout).toBe('');
    expect(ids(await grep('-l', '-F', '2$:'))).toEqual(['2505.15210']);
  });

  it('needs a pattern; -l, -L and -c exclude each other', async () => {
    const none = await grep();
    expect([none.exitCode, none.stderr.split('\n')[0]]).toEqual([2, 'error: no pattern']);
    const both = await grep('-l', '-c', 'x');
    expect(both.exitCode).toBe(2);
  });

  it('-v is not --verbose any more: it never turns on request logs', async () => {
    const r = await runCli(['-v', 'list'], { home });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/unknown option '-v'/);
  });
});
