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
