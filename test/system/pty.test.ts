// The pager as a user meets it (issue 20): the built CLI (bin/papers.js, dist/) in a
// pseudo-terminal of 10 rows, stdout and stderr on one screen. Long output goes to PAGER, or
// to `less -FRX` when PAGER is unset; output that fits is not paged; piped output never is;
// a pager quit early ends the command with exit 0. A pager that cannot start leaves the
// output on the screen: silently when it is not installed, said with --verbose otherwise.
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltRun, runBuilt } from '../helpers/built-cli.js';
import { FIXTURES, ROOT, stripAnsi } from '../helpers/fixtures.js';
import { runCli, tempHome } from '../helpers/run-cli.js';
import { LESS, SCRIPT, requireProgram } from '../helpers/system-tools.js';

const SCREEN = { rows: 10, columns: 80 };
const LONG = ['list', '--abstract'];
const SHORT = ['list', '-n', '1'];
let home = '';

beforeAll(async () => {
  home = tempHome();
  const days = ['2024-06-13', '2025-03-17', '2025-06-25', '2025-10-14'];
  const r = await runCli(['import', ...days.map((d) => join(FIXTURES, `${d}.json`))], { home });
  expect(r.exitCode, r.stderr).toBe(0);
});

function env(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { PAPERS_HOME: home, HOME: home, PATH: process.env.PATH, TERM: 'xterm-256color', ...extra };
}

/** A pager stub in a folder of its own: it records that it ran, its arguments, LESS, and what it got. */
function stubPager(name: string, body = 'cat > "$dir/got"'): { dir: string; path: string; ran(): string | null } {
  const dir = tempHome();
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\ndir=${JSON.stringify(dir)}\necho "ran with [$*] LESS=$LESS" > "$dir/ran"\n${body}\n`);
  chmodSync(path, 0o755);
  return { dir, path, ran: () => (existsSync(join(dir, 'ran')) ? readFileSync(join(dir, 'ran'), 'utf8') : null) };
}

const got = (dir: string) => readFileSync(join(dir, 'got'), 'utf8');

/** The command in a terminal of 10 rows. */
function inTerminal(argv: string[], e: Record<string, string | undefined>, input?: string): Promise<BuiltRun> {
  return runBuilt(argv, { env: e, tty: SCREEN, input, timeoutMs: 30_000 });
}

let reference: Promise<string> | undefined;
/** What the terminal gets with no pager: what a pager must receive. */
function unpagedOutput(): Promise<string> {
  reference ??= runBuilt(['--no-pager', ...LONG], { env: env(), tty: SCREEN }).then((r) => {
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n').length).toBeGreaterThan(SCREEN.rows * 3);
    // Colour on a terminal: the pager must get it too (less -R shows it).
    expect(r.stdout).toMatch(/\x1b\[/);
    return r.stdout;
  });
  return reference;
}

describe('the pager, through the built CLI in a terminal', () => {
  it('PAGER gets the whole output, and the screen none of it', async (ctx) => {
    requireProgram(ctx, SCRIPT);
    const pager = stubPager('pager');
    const r = await inTerminal(LONG, env({ PAGER: pager.path }));
    expect(r.exitCode, r.stdout).toBe(0);
    expect(pager.ran()).toBe('ran with [] LESS=FRX\n');
    expect(got(pager.dir)).toBe(await unpagedOutput());
    expect(r.stdout).toBe('');
  });

  it('PAGER unset: `less -FRX` from PATH', async (ctx) => {
    requireProgram(ctx, SCRIPT);
    const less = stubPager('less');
    const r = await inTerminal(LONG, env({ PAGER: undefined, PATH: `${less.dir}:${process.env.PATH}` }));
    expect(r.exitCode, r.stdout).toBe(0);
    expect(less.ran()).toBe('ran with [-FRX] LESS=FRX\n');
    expect(got(less.dir)).toBe(await unpagedOutput());
  });

  it('output that fits the screen is not paged', async (ctx) => {
    requireProgram(ctx, SCRIPT);
    const pager = stubPager('pager');
    const r = await inTerminal(SHORT, env({ PAGER: pager.path }));
    expect(r.exitCode).toBe(0);
    expect(pager.ran()).toBeNull();
    expect(stripAnsi(r.stdout)).toMatch(/^ +▲\d+ .+\n/);
    expect(r.stdout.split('\n').length).toBeLessThan(SCREEN.rows);
  });

  it('piped output is never paged', async () => {
    const pager = stubPager('pager');
    const r = await runBuilt(LONG, { env: env({ PAGER: pager.path }) });
    expect(r.exitCode).toBe(0);
    expect(pager.ran()).toBeNull();
    // One line per paper, all of them.
    const titles = stripAnsi(await unpagedOutput()).match(/▲\d+ /g) ?? [];
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(titles.length);
  });

  it('a pager quit early (q) ends the command quietly, exit 0', async (ctx) => {
    requireProgram(ctx, SCRIPT);
    // A pager that reads the first page and leaves, as `q` does.
    const pager = stubPager('pager', 'head -c 200 > "$dir/got"');
    const r = await inTerminal(LONG, env({ PAGER: pager.path }));
    expect([r.exitCode, r.stdout]).toEqual([0, '']);
    expect(got(pager.dir)).toBe(
      Buffer.from(await unpagedOutput())
        .subarray(0, 200)
        .toString(),
    );
  });

  it('the real less: q at the first page ends the command, exit 0, nothing on stderr', async (ctx) => {
    requireProgram(ctx, SCRIPT);
    requireProgram(ctx, LESS);
    const r = await inTerminal(LONG, env({ PAGER: undefined }), 'q');
    expect(r.exitCode, r.stdout).toBe(0);
    // The first page was shown, the last title never reached the screen, and no error.
    const screen = stripAnsi(r.stdout);
    const titles = [...stripAnsi(await unpagedOutput()).matchAll(/▲\d+ (.+)/g)].map((m) => m[1]!);
    expect(screen).toContain(titles[0]);
    expect(screen).not.toContain(titles.at(-1));
    expect(screen).not.toMatch(/error/i);
  });

  it('a pager that is not installed is a silent fallback, even with --verbose', async (ctx) => {
    requireProgram(ctx, SCRIPT);
    const empty = tempHome();
    const r = await inTerminal(['--verbose', ...LONG], env({ PAGER: undefined, PATH: empty }));
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(await unpagedOutput());
  });
});

describe('a broken bundle is not a silent fallback', () => {
  // A copy of bin/ and dist/ beside node_modules, whose child_process shim gives nothing
  // (as the Proxy without ownKeys did): spawn is undefined inside the bundle.
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(ROOT, 'node_modules', '.cache-papers-broken-'));
    cpSync(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
    mkdirSync(join(dir, 'dist'));
    cpSync(join(ROOT, 'dist', 'papers.cjs'), join(dir, 'dist', 'papers.cjs'));
    const bundle = readFileSync(join(dir, 'dist', 'papers.cjs'), 'utf8');
    const real = 'process.getBuiltinModule("node:child_process")';
    expect(bundle).toContain(real);
    writeFileSync(join(dir, 'dist', 'papers.cjs'), bundle.split(real).join('({})'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('with --verbose the pager failure is named; the output still reaches the screen', async (ctx) => {
    requireProgram(ctx, SCRIPT);
    const pager = stubPager('pager');
    const bin = join(dir, 'bin', 'papers.js');
    const quiet = await runBuilt(LONG, { env: env({ PAGER: pager.path }), tty: SCREEN, bin });
    expect(quiet.exitCode).toBe(0);
    expect(pager.ran()).toBeNull();
    expect(quiet.stdout).toBe(await unpagedOutput());
    const loud = await runBuilt(['--verbose', ...LONG], { env: env({ PAGER: pager.path }), tty: SCREEN, bin });
    expect(loud.exitCode).toBe(0);
    expect(stripAnsi(loud.stdout)).toMatch(/^pager .*pager did not start: .*spawn.* is not a function/m);
  });
});
