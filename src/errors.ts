/**
 * Typed errors. Core code throws these; only cli.ts turns them into exit codes and
 * `error:` / `hint:` lines.
 */
export class PapersError extends Error {
  readonly exitCode: number;
  readonly hint: string | undefined;

  constructor(message: string, opts: { exitCode?: number; hint?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.exitCode = opts.exitCode ?? 1;
    this.hint = opts.hint;
  }
}

/** Bad flag, bad date, bad id: the user can fix the command line. Exit 2. */
export class UsageError extends PapersError {
  constructor(message: string, opts: { hint?: string; cause?: unknown } = {}) {
    super(message, { ...opts, exitCode: 2 });
  }
}

/** The network failed after retries, or upstream answered with an error. Exit 1. */
export class NetworkError extends PapersError {
  readonly url: string | undefined;
  readonly status: number | undefined;
  constructor(message: string, opts: { url?: string; status?: number; hint?: string; cause?: unknown } = {}) {
    super(message, opts);
    this.url = opts.url;
    this.status = opts.status;
  }
}

/** A body did not have the shape we expect ("layout changed?"). Exit 1. */
export class ParseError extends PapersError {
  readonly url: string | undefined;
  constructor(message: string, opts: { url?: string; hint?: string; cause?: unknown } = {}) {
    super(message, opts);
    this.url = opts.url;
  }
}

/** The archive cannot be opened, read or written. Exit 1. */
export class DatabaseError extends PapersError {}

/** Another process holds the sync lock. Exit 1. */
export class LockedError extends PapersError {}

/** Ctrl-C or SIGTERM. Exit 130. */
export class InterruptedError extends PapersError {
  constructor(message = 'interrupted') {
    super(message, { exitCode: 130 });
  }
}

/** The reader of the output went away (`-o /dev/stdout | head`): the end, quietly, exit 0. */
export class ReaderGoneError extends PapersError {
  constructor() {
    super('the reader of the output went away', { exitCode: 0 });
  }
}

/** Writing the output failed (a full disk, an I/O error): one `error:` line, exit 1. */
export class OutputError extends PapersError {}

/** What an errno code means for a file or stream being written, in words. */
export const ERRNO_WORDS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EIO: 'an input/output error',
  EFBIG: 'the file is too large',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EBADF: 'it is closed',
};

const READER_GONE = new Set(['EPIPE', 'ECONNRESET', 'ERR_STREAM_DESTROYED']);

/**
 * A stream's write error as the error to report. EPIPE (`papers list | head`): the reader
 * went away, the end, quietly, exit 0. A full disk or an I/O error (`papers list >
 * /dev/full`): an OutputError naming `what` (exit 1, no stack). Anything else: undefined,
 * it is not a write error and stays a bug to report.
 */
export function outputError(err: unknown, what = 'standard output'): PapersError | undefined {
  if (err instanceof PapersError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? '';
  if (READER_GONE.has(code)) return new ReaderGoneError();
  const words = ERRNO_WORDS[code];
  if (!words) return undefined;
  return new OutputError(`cannot write to ${what}: ${words}`, {
    cause: err,
    hint: code === 'ENOSPC' || code === 'EDQUOT' ? 'free some space, or write elsewhere' : undefined,
  });
}

/** Throws the InterruptedError a signal was aborted with (Ctrl-C already received). */
export function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof InterruptedError ? signal.reason : new InterruptedError();
}

export function isAbortError(err: unknown): boolean {
  return (
    err instanceof InterruptedError ||
    (err instanceof Error && (err.name === 'AbortError' || (err as { code?: string }).code === 'ABORT_ERR'))
  );
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
