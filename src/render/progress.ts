/**
 * Spinners on stderr, only when stderr is a terminal and the user did not ask for
 * quiet or JSON output. Otherwise every call is a no-op, so callers never branch.
 */
import type { IO } from './io.js';
import { importPackage } from '../shims/import.js';

export interface Progress {
  update(text: string): void;
  /** Clears the spinner line (before printing something else to stderr). */
  clear(): void;
  stop(): void;
}

const NOOP: Progress = { update() {}, clear() {}, stop() {} };

export async function createProgress(
  io: IO,
  opts: { quiet?: boolean; json?: boolean; text: string },
): Promise<Progress> {
  if (!io.errTty || opts.quiet || opts.json) return NOOP;
  // A terminal that reports a width of 0 (script(1) with no real terminal behind it): ora
  // divides by the width to count the lines to clear, and would clear lines forever.
  const columns = (io.stderr as { columns?: number }).columns;
  if (columns !== undefined && !(columns > 0)) return NOOP;
  const { default: ora } = await importPackage<typeof import('ora')>('ora');
  const spinner = ora({
    text: opts.text,
    stream: io.stderr as NodeJS.WritableStream,
    isEnabled: true,
    color: io.errColor.level > 0 ? 'cyan' : false,
    discardStdin: false,
    hideCursor: true,
  }).start();
  return {
    update(text) {
      spinner.text = text;
    },
    clear() {
      spinner.clear();
    },
    stop() {
      spinner.stop();
    },
  };
}
