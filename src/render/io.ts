/**
 * Decides once what the terminal gets: colour, width, TTY layout. Everything that
 * writes output takes an IO; nothing reads process.stdout or the colour env itself.
 */
import type { ChalkInstance } from 'chalk';
import type { Env } from '../config.js';
import { terminalLine } from '../text.js';

export interface Stream {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
  rows?: number;
}

export interface IO {
  stdout: Stream;
  stderr: Stream;
  /** stdout is a terminal: aligned, width-aware, relative dates. Never changes content. */
  tty: boolean;
  /** stderr is a terminal: spinners, hints. */
  errTty: boolean;
  width: number;
  color: ChalkInstance;
  /** Colour for stderr messages (same rules, stderr's TTY). */
  errColor: ChalkInstance;
  out(line: string): void;
  err(line: string): void;
}

export type ColorChoice = 'auto' | 'always' | 'never';

export function colorLevel(isTTY: boolean, env: Env, choice: ColorChoice): 0 | 1 | 2 | 3 {
  if (choice === 'never') return 0;
  if (choice === 'always') return levelFromEnv(env) || 1;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    return (['1', '2', '3'].includes(force) ? Number(force) : 1) as 1 | 2 | 3;
  }
  if (!isTTY || env.TERM === 'dumb') return 0;
  return levelFromEnv(env) || 1;
}

function levelFromEnv(env: Env): 0 | 1 | 2 | 3 {
  if (env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit') return 3;
  if (/-256(color)?$/i.test(env.TERM ?? '')) return 2;
  return 1;
}

/**
 * A styler that styles nothing: what pipes get. Any chain (`c.bold.red(x)`) returns x,
 * so piped output never loads chalk at all (it costs ~10 ms of start-up).
 */
const plain: ChalkInstance = new Proxy(((...args: unknown[]) => args.join(' ')) as unknown as ChalkInstance, {
  // Not a thenable: `await` must not mistake it for a promise.
  get: (_t, prop) => (prop === 'level' ? 0 : prop === 'then' ? undefined : plain),
});

async function styler(level: 0 | 1 | 2 | 3): Promise<ChalkInstance> {
  if (level === 0) return plain;
  const { Chalk } = await import('chalk');
  return new Chalk({ level });
}

/**
 * The width help is wrapped to: the terminal's, else $COLUMNS, else 80 (piped help, as
 * commander and man pages do), within 40 to 200.
 */
export function helpWidth(stream: Stream, env: Env): number {
  const envWidth = Number(env.COLUMNS);
  const w = stream.columns || (Number.isFinite(envWidth) && envWidth > 0 ? envWidth : 80);
  return Math.max(40, Math.min(200, w));
}

export async function createIO(stdout: Stream, stderr: Stream, env: Env, choice: ColorChoice = 'auto'): Promise<IO> {
  const tty = !!stdout.isTTY;
  const errTty = !!stderr.isTTY;
  const envWidth = Number(env.COLUMNS);
  const width = Math.max(
    40,
    Math.min(200, stdout.columns || (Number.isFinite(envWidth) && envWidth > 0 ? envWidth : 100)),
  );
  return {
    stdout,
    stderr,
    tty,
    errTty,
    width,
    color: await styler(colorLevel(tty, env, choice)),
    errColor: await styler(colorLevel(errTty, env, choice)),
    out: (line) => void stdout.write(line + '\n'),
    err: (line) => void stderr.write(terminalLine(line) + '\n'),
  };
}
