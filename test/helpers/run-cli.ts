// Runs the CLI in-process with fake streams, a fixed clock and a temp archive, as
// `gh`'s tests do: { stdout, stderr, exitCode } for one argv, as a TTY or piped.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli.js';
import type { RunEnv } from '../../src/context.js';
import { type Entry, startHfServer } from './fixtures.js';

export interface CliResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface RunCliOptions {
  tty?: boolean;
  /** stderr TTY; defaults to `tty`. */
  errTty?: boolean;
  env?: Record<string, string | undefined>;
  now?: Date | string;
  home?: string;
  columns?: number;
  http?: RunEnv['http'];
  dispatcher?: RunEnv['dispatcher'];
  signal?: AbortSignal;
}

class FakeStream {
  chunks: string[] = [];
  constructor(
    readonly isTTY: boolean,
    readonly columns: number,
  ) {}
  write(s: string) {
    this.chunks.push(String(s));
    return true;
  }
  // ora looks for these on its stream
  on() {
    return this;
  }
  once() {
    return this;
  }
  removeListener() {
    return this;
  }
  cursorTo() {
    return true;
  }
  clearLine() {
    return true;
  }
  moveCursor() {
    return true;
  }
  toString() {
    return this.chunks.join('');
  }
}

export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), 'papers-home-'));
}

/** Fast retries for tests: the same logic, millisecond delays. */
export const FAST_HTTP: RunEnv['http'] = { baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 2000, maxRetryAfterMs: 5000 };

export async function runCli(argv: string[], opts: RunCliOptions = {}): Promise<CliResult> {
  const tty = !!opts.tty;
  const stdout = new FakeStream(tty, opts.columns ?? 100);
  const stderr = new FakeStream(opts.errTty ?? tty, opts.columns ?? 100);
  const now = opts.now === undefined ? undefined : new Date(opts.now);
  const env: Record<string, string | undefined> = {
    PAPERS_HOME: opts.home ?? process.env.PAPERS_HOME,
    HF_ENDPOINT: process.env.HF_ENDPOINT,
    HOME: process.env.HOME,
    PATH: process.env.PATH,
    // A fake terminal has no reader for a pager; test/pager.test.ts sets its own.
    PAGER: 'cat',
    ...opts.env,
  };
  const exitCode = await run(argv, {
    env,
    stdout,
    stderr,
    now: now ? () => now : undefined,
    http: { ...FAST_HTTP, ...opts.http },
    dispatcher: opts.dispatcher,
    pid: process.pid,
    signal: opts.signal,
  });
  return { stdout: stdout.toString(), stderr: stderr.toString(), exitCode };
}

/** Syncs one day of `entries` into `home` from a server of its own, started and closed here. */
export async function syncOwn(home: string, day: string, entries: Entry[]): Promise<void> {
  const own = await startHfServer(new Map([[day, entries]]));
  try {
    const r = await runCli(['sync', '--date', day], { home, env: { HF_ENDPOINT: own.url }, now: `${day}T23:00:00Z` });
    if (r.exitCode !== 0) throw new Error(`sync of ${day} exited ${r.exitCode}: ${r.stderr}`);
  } finally {
    await own.close();
  }
}
