/**
 * Long output on a terminal goes through a pager, as git and gh do: `$PAPERS_PAGER`, else
 * `$PAGER`, else `less -FRX` (quit at once if it fits, keep colours, leave the screen as
 * is). Output is held until it is longer than the screen; shorter output is written as it
 * is, without starting anything. A pager that exits early (q) ends the output quietly: the
 * remaining writes are dropped and the command finishes with exit 0.
 *
 * A pager that cannot start leaves the output on the terminal. When that is because the
 * program is not there (no `less` installed) it is silent; any other failure (a broken
 * bundle, a pager that cannot be executed) is handed to `onFailure`, which the context
 * prints with --verbose: a fallback must never hide a bug again (issue 20).
 */
// Cheap to import: the bundle maps node:child_process to a shim that loads it on first use.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Env, PagerCommand } from '../config.js';
import type { Stream } from './io.js';

/** A pager that is not installed: the one failure the fallback keeps quiet about. */
function isMissingProgram(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

export class PagedStream implements Stream {
  readonly isTTY = true;
  private held: string[] = [];
  private lines = 0;
  private child: ChildProcess | undefined;
  private closed = false;
  /** The pager could not start: everything goes straight to the terminal. */
  private direct = false;
  /** The pager runs: writes go to it. Until then they are held (it may not exist). */
  private ready = false;
  private waiting: (() => void)[] = [];

  constructor(
    private readonly out: Stream,
    private readonly pager: PagerCommand,
    private readonly pageRows: number,
    /** The pager's environment (config.ts: papers' own, with LESS and LV set). */
    private readonly env: Env,
    /** Why the pager did not start, when it is not simply missing. */
    private readonly onFailure: (err: unknown) => void = () => {},
  ) {}

  get columns(): number | undefined {
    return this.out.columns;
  }

  write(s: string): boolean {
    if (this.closed) return true;
    if (this.direct) return this.out.write(s) !== false;
    if (this.ready) return this.toPager(s);
    this.held.push(s);
    if (this.child) return true; // starting: held until it runs
    for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) this.lines++;
    if (this.lines >= this.pageRows) this.start();
    return true;
  }

  /** Back-pressure for streaming writers: resolves when the pager has room (or is gone). */
  once(event: string, fn: () => void): this {
    if (event === 'drain' && this.child && !this.closed) this.waiting.push(fn);
    else fn();
    return this;
  }

  private toPager(s: string): boolean {
    if (this.closed) return true;
    const ok = this.child!.stdin!.write(s);
    if (!ok) this.child!.stdin!.once('drain', () => this.release());
    return ok;
  }

  private release(): void {
    const w = this.waiting;
    this.waiting = [];
    for (const fn of w) fn();
  }

  private start(): void {
    const env = this.env;
    let child: ChildProcess;
    try {
      child = this.pager.shell
        ? spawn(this.pager.command, { shell: true, stdio: ['pipe', 'inherit', 'inherit'], env })
        : spawn(this.pager.command, ['-FRX'], { stdio: ['pipe', 'inherit', 'inherit'], env });
    } catch (err) {
      this.giveUp(err);
      return;
    }
    this.child = child;
    child.on('error', (err) => {
      // No such pager (no `less` installed): the output goes to the terminal unpaged.
      if (this.child === child) {
        this.child = undefined;
        this.giveUp(err);
      }
    });
    // The reader quit (q): the rest of the output has nowhere to go, and that is fine.
    child.stdin!.on('error', () => this.quit());
    child.on('exit', () => this.quit());
    child.on('spawn', () => {
      this.ready = true;
      const held = this.held.join('');
      this.held = [];
      this.toPager(held);
    });
  }

  private giveUp(err: unknown): void {
    if (!isMissingProgram(err)) this.onFailure(err);
    const held = this.held.join('');
    this.held = [];
    this.direct = true;
    this.out.write(held);
  }

  private quit(): void {
    this.closed = true;
    this.release();
  }

  /** Writes what is held (short output) or waits for the reader to leave the pager. */
  async end(): Promise<void> {
    if (!this.child) {
      if (this.held.length) this.out.write(this.held.join(''));
      this.held = [];
      return;
    }
    const child = this.child;
    if (!this.ready && !this.direct) {
      // Still starting: wait until it runs (or turns out not to exist).
      await new Promise<void>((resolve) => {
        child.once('spawn', () => resolve());
        child.once('error', () => resolve());
      });
    }
    if (this.direct || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.stdin!.end();
    });
  }
}
