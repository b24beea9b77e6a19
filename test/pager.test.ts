// Issue 11.9: long output on a terminal goes through the pager, as git and gh do; short
// output, piped output, --no-pager and PAGER=cat do not; a pager quit early (q) ends the
// command quietly with exit 0.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from './helpers/fixtures.js';
import { runCli, tempHome } from './helpers/run-cli.js';

let home = '';
const DAYS = ['2024-06-13', '2024-06-19', '2025-03-17', '2025-05-22', '2025-06-25', '2025-10-14'];

beforeAll(async () => {
  home = tempHome();
  const r = await runCli(['import', ...DAYS.map((d) => join(FIXTURES, `${d}.json`))], {
    home,
    now: '2025-10-15T00:00:00Z',
  });
  expect(r.exitCode, r.stderr).toBe(0);
});

/** Runs papers on a fake terminal of 10 rows whose pager writes what it gets to a file. */
async function paged(argv: string[], env: Record<string, string> = {}, tty = true) {
  const file = join(tempHome(), 'paged.txt');
  const r = await runCli(argv, { home, tty, env: { LINES: '10', PAGER: `cat > '${file}'`, ...env } });
  return { ...r, paged: existsSync(file) ? readFileSync(file, 'utf8') : null };
}

describe('the pager', () => {
  it('takes output longer than the screen, and the terminal gets none of it', async () => {
    const direct = await runCli(['list', '--abstract'], { home, tty: true, env: { PAGER: 'cat' } });
    expect(direct.stdout.split('\n').length).toBeGreaterThan(10);
    const r = await paged(['list', '--abstract']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.paged).toBe(direct.stdout);
  });

  it('is not started for output that fits, for pipes, with --no-pager or with PAGER=cat', async () => {
    expect((await paged(['list', '-n', '1'])).paged).toBeNull();
    const piped = await paged(['list', '--abstract'], {}, false);
    expect([piped.paged, piped.stdout.split('\n').length > 5]).toEqual([null, true]);
    const off = await paged(['--no-pager', 'list', '--abstract']);
    expect([off.paged, off.stdout.length > 0]).toEqual([null, true]);
    const cat = await runCli(['list', '--abstract'], { home, tty: true, env: { LINES: '10', PAGER: 'cat' } });
    expect(cat.stdout.split('\n').length).toBeGreaterThan(10);
  });

  it('that quits early ends the command quietly, exit 0', async () => {
    const r = await paged(['list', '--abstract'], { PAGER: 'head -c 20 >/dev/null' });
    expect([r.exitCode, r.stderr, r.stdout]).toEqual([0, '', '']);
  });

  it('that does not exist leaves the output on the terminal', async () => {
    const r = await paged(['list', '--abstract'], { PAGER: undefined as unknown as string, PATH: '/nonexistent' });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout.split('\n').length).toBeGreaterThan(10);
  });
});

describe('a pager that does not start', () => {
  it('is silent only when the program is missing; any other failure is named with --verbose', async () => {
    // A `less` first in PATH that cannot be executed: EACCES, not ENOENT.
    const bin = tempHome();
    writeFileSync(join(bin, 'less'), '#!/bin/sh\ncat\n', { mode: 0o644 });
    const env = { PAGER: undefined as unknown as string, PATH: bin, NO_COLOR: '1' };
    const quiet = await paged(['list', '--abstract'], env);
    expect([quiet.exitCode, quiet.stderr]).toEqual([0, '']);
    expect(quiet.stdout.split('\n').length).toBeGreaterThan(10);
    const loud = await paged(['--verbose', 'list', '--abstract'], env);
    expect(loud.stderr).toMatch(/^pager less did not start: .*EACCES/m);
    expect(loud.stdout).toBe(quiet.stdout);
    // No such program: nothing to report, even with --verbose.
    const missing = await paged(['--verbose', 'list', '--abstract'], { ...env, PATH: '/nonexistent' });
    expect([missing.exitCode, missing.stderr, missing.stdout]).toEqual([0, '', quiet.stdout]);
  });
});
