/**
 * Decides once what the terminal gets: colour, width, TTY layout. Everything that
 * writes output takes an IO; nothing reads process.stdout or the colour env itself.
 */
import type { ChalkInstance } from 'chalk';
import type { TerminalConfig } from '../config.js';
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

type ColorEnv = Pick<TerminalConfig, 'noColor' | 'forceColor' | 'term' | 'colorTerm'>;

export function colorLevel(isTTY: boolean, term: ColorEnv, choice: ColorChoice): 0 | 1 | 2 | 3 {
  if (choice === 'never') return 0;
  if (choice === 'always') return levelFromEnv(term) || 1;
  if (term.noColor) return 0;
  const force = term.forceColor;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    return (['1', '2', '3'].includes(force) ? Number(force) : 1) as 1 | 2 | 3;
  }
  if (!isTTY || term.term === 'dumb') return 0;
  return levelFromEnv(term) || 1;
}

function levelFromEnv(term: ColorEnv): 0 | 1 | 2 | 3 {
  if (term.colorTerm === 'truecolor' || term.colorTerm === '24bit') return 3;
  if (/-256(color)?$/i.test(term.term ?? '')) return 2;
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
export function helpWidth(stream: Stream, term: TerminalConfig): number {
  return Math.max(40, Math.min(200, stream.columns || term.columns || 80));
}

export async function createIO(
  stdout: Stream,
  stderr: Stream,
  term: TerminalConfig,
  choice: ColorChoice = 'auto',
): Promise<IO> {
  const tty = !!stdout.isTTY;
  const errTty = !!stderr.isTTY;
  const width = Math.max(40, Math.min(200, stdout.columns || term.columns || 100));
  return {
    stdout,
    stderr,
    tty,
    errTty,
    width,
    color: await styler(colorLevel(tty, term, choice)),
    errColor: await styler(colorLevel(errTty, term, choice)),
    out: (line) => void stdout.write(line + '\n'),
    err: (line) => void stderr.write(terminalLine(line) + '\n'),
  };
}
