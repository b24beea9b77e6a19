// The built CLI as users run it: `node bin/papers.js` (dist/ and its V8 code cache) as a
// process, piped, or in a pseudo-terminal made by util-linux's `script` when a terminal
// matters (colour, width, the spinner, the pager). A fixed clock can be preloaded
// (fixed-clock.cjs) so that its output can be compared byte for byte with the in-process run.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './fixtures.js';
import { tempHome } from './run-cli.js';
import { findProgram } from './system-tools.js';

export const BIN = join(ROOT, 'bin', 'papers.js');
const CLOCK = join(ROOT, 'test', 'helpers', 'fixed-clock.cjs');

export interface BuiltRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** What the terminal showed, when stdout and stderr share one (tty without `split`). */
  stdout: string;
  stderr: string;
}

export interface Terminal {
  rows: number;
  columns: number;
  /**
   * stdout and stderr on two terminals, each read on its own (as a golden transcript keeps
   * them); otherwise both on one, as a person sees them, and `stdout` holds both.
   */
  split?: boolean;
}

export interface BuiltOptions {
  env: Record<string, string | undefined>;
  /** Run in a pseudo-terminal of this size. */
  tty?: Terminal;
  /** The clock starts here (an ISO time). */
  now?: string;
  /** Written to stdin (piped, then closed), or typed at the terminal once it shows something. */
  input?: string;
  timeoutMs?: number;
  /** Another bin/papers.js (a copy beside node_modules, say). */
  bin?: string;
}

/** One word for sh: single-quoted. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `papers ...argv` from bin/, piped or in a pseudo-terminal; resolves when it exits. */
export function runBuilt(argv: string[], opts: BuiltOptions): Promise<BuiltRun> {
  const node = [process.execPath, ...(opts.now ? ['--require', CLOCK] : []), opts.bin ?? BIN, ...argv];
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...opts.env, ...(opts.now ? { PAPERS_TEST_NOW: opts.now } : {}) })) {
    if (v !== undefined) env[k] = v;
  }
  const tty = opts.tty;
  // -q: no "Script started" lines; -e: its exit status is the command's; -c: the command.
  // The terminal's size is set inside it, as a terminal emulator sets it.
  // By path: a test may give papers a PATH without them (no `less`, say).
  const tool = (name: string) => shellQuote(findProgram(name) ?? name);
  const size = tty ? `${tool('stty')} rows ${tty.rows} cols ${tty.columns}` : '';
  const papers = `exec ${node.map(shellQuote).join(' ')}`;
  // Split: a second script inside the first gives the process a terminal of its own for
  // stdin and stderr (what that script prints goes to errFile) while stdout is sent to the
  // first terminal by name.
  const errFile = tty?.split ? join(tempHome(), 'stderr') : undefined;
  const command = errFile
    ? `${size}; export PAPERS_TEST_TTY="$(${tool('tty')})"; ${tool('script')} -qec ${shellQuote(`${size}; ${papers} >"$PAPERS_TEST_TTY"`)} /dev/null >${shellQuote(errFile)}`
    : `${size}; ${papers}`;
  const child = tty
    ? spawn(findProgram('script') ?? 'script', ['-qec', command, '/dev/null'], {
        env: { ...env, SHELL: '/bin/sh' },
        stdio: 'pipe',
      })
    : spawn(node[0]!, node.slice(1), { env, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  let typed = opts.input === undefined;
  child.stdout!.setEncoding('utf8').on('data', (s: string) => {
    stdout += s;
    // A person types once there is something on the screen (a pager's first page).
    if (tty && !typed) {
      typed = true;
      child.stdin!.write(opts.input!);
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  child.stdin!.on('error', () => {});
  // A terminal's stdin stays open (script forwards it); a pipe's is closed after the input.
  if (!tty) child.stdin!.end(opts.input);
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // The terminal turns each \n into \r\n (onlcr): back to what the program wrote. The
      // inner script starts its copy of the terminal with one NUL byte: not the program's.
      const screen = (s: string) => s.replace(/\r\n/g, '\n');
      if (tty) stdout = screen(stdout);
      if (errFile) stderr = screen(readFileSync(errFile, 'utf8').replace(/^\0/, ''));
      resolve({ exitCode: code, signal, stdout, stderr });
    });
    if (tty) child.on('exit', () => child.stdin!.destroy());
  });
}
