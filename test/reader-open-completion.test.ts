// `papers open ID [--pdf]` and `papers completion bash|zsh|fish` (issue 22.9). open: the
// URL printed when piped; $BROWSER started on a terminal; the URL printed when no browser
// can be started (a real pseudo-terminal, the built CLI). completion: a bash script that
// bash itself runs to complete commands, subcommands, options and choices.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openers } from '../src/commands/open.js';
import { ROOT } from './helpers/fixtures.js';
import { runCli } from './helpers/run-cli.js';

const BIN = join(ROOT, 'bin', 'papers.js');

describe('papers open', () => {
  it('piped: prints the abstract or PDF URL, with the version asked; needs no archive', async () => {
    const home = mkdtempSync(join(tmpdir(), 'papers-open-'));
    const r = await runCli(['open', 'https://huggingface.co/papers/2406.12345'], { home });
    expect([r.exitCode, r.stdout, r.stderr]).toEqual([0, 'https://arxiv.org/abs/2406.12345\n', '']);
    expect((await runCli(['open', 'hep-th/9901001', '--pdf'], { home })).stdout).toBe(
      'https://arxiv.org/pdf/hep-th/9901001\n',
    );
    expect((await runCli(['open', '2406.12345v2'], { home })).stdout).toBe('https://arxiv.org/abs/2406.12345v2\n');
    const bad = await runCli(['open', 'not-an-id'], { home });
    expect(bad.exitCode).toBe(2);
    expect(existsSync(join(home, 'papers.db'))).toBe(false);
  });

  it('on a terminal: starts $BROWSER with the URL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'papers-browser-'));
    const browser = join(dir, 'browser.sh');
    writeFileSync(browser, `#!/bin/sh\necho "$1" > "${dir}/opened"\n`);
    chmodSync(browser, 0o755);
    const r = await runCli(['open', '2406.12345', '--pdf'], { tty: true, env: { BROWSER: browser } });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('');
    for (let i = 0; i < 200 && !existsSync(join(dir, 'opened')); i++) await new Promise((res) => setTimeout(res, 25));
    expect(readFileSync(join(dir, 'opened'), 'utf8')).toBe('https://arxiv.org/pdf/2406.12345\n');
  });

  it('on a terminal with no browser to start: prints the URL (a pseudo-terminal, the built CLI)', () => {
    const out = execFileSync('/usr/bin/script', ['-qec', `${process.execPath} ${BIN} open 2406.12345`, '/dev/null'], {
      env: { PATH: '/nonexistent', SHELL: '/bin/sh', BROWSER: '/nonexistent/browser', HOME: tmpdir() },
      encoding: 'utf8',
    });
    expect(out.replace(/\r/g, '').trim()).toBe('https://arxiv.org/abs/2406.12345');
  });

  it('--json: prints {id, url} and opens nothing, even on a terminal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'papers-browser-'));
    const browser = join(dir, 'browser.sh');
    writeFileSync(browser, `#!/bin/sh\necho "$1" > "${dir}/opened"\n`);
    chmodSync(browser, 0o755);
    const r = await runCli(['open', '2406.12345v2', '--pdf', '--json'], { tty: true, env: { BROWSER: browser } });
    expect([r.exitCode, JSON.parse(r.stdout), r.stderr]).toEqual([
      0,
      { id: '2406.12345v2', url: 'https://arxiv.org/pdf/2406.12345v2' },
      '',
    ]);
    expect(existsSync(join(dir, 'opened'))).toBe(false);
  });

  it('tries each of $BROWSER (colon-separated) and then the system opener', () => {
    expect(openers('firefox:chromium --new-window %s', 'linux')).toEqual([
      ['firefox'],
      ['chromium', '--new-window', '%s'],
      ['xdg-open'],
    ]);
    expect(openers(undefined, 'darwin')).toEqual([['open']]);
  });
});

describe('papers completion', () => {
  it('bash: completes commands, subcommands, options and choices (run by bash itself)', () => {
    const script = execFileSync(process.execPath, [BIN, 'completion', 'bash'], { encoding: 'utf8' });
    const cases: [string[], string][] = [
      [['papers', 'li'], 'library list'],
      [['papers', 'list', '--so'], '--source --sort'],
      [['papers', 'list', '--sort', ''], 'date upvotes github-stars rising for-you'],
      [['papers', 'export', '--format', 'b'], 'bibtex'],
      [['papers', 'watch', ''], 'add list rm show'],
      [['papers', 'library', 'export', '--format', ''], 'bibtex csl-json'],
      [['papers', 'stats', '--by', ''], 'week month category'],
      [['papers', 'digest', '--format', 'e'], 'email'],
      [['papers', 'completion', 'b'], ''],
    ];
    const probe = cases
      .map(([w]) => {
        const words = w.map((x) => `'${x}'`).join(' ');
        return `COMP_WORDS=(${words}); COMP_CWORD=${w.length - 1}; COMPREPLY=(); _papers; echo "\${COMPREPLY[*]}"`;
      })
      .join('\n');
    const r = spawnSync('bash', ['-c', `${script}\n${probe}`], { encoding: 'utf8', cwd: tmpdir() });
    expect(r.status, r.stderr).toBe(0);
    const got = r.stdout.split('\n').slice(0, cases.length);
    expect(got.slice(0, -1)).toEqual(cases.slice(0, -1).map(([, want]) => want));
  });

  it('zsh and fish scripts name every command; an unknown shell is a usage error', async () => {
    const fish = (await runCli(['completion', 'fish'])).stdout;
    expect(fish).toMatch(/^complete -c papers -f -n '__fish_use_subcommand' -a library /m);
    expect(fish).toMatch(/-l sort -x -a 'date upvotes github-stars rising for-you'/);
    const zsh = (await runCli(['completion', 'zsh'])).stdout;
    expect(zsh.startsWith('#compdef papers\n')).toBe(true);
    expect(zsh).toContain('complete -F _papers papers');
    const bad = await runCli(['completion', 'tcsh']);
    expect(bad.exitCode).toBe(2);
  });
});
