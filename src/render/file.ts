/**
 * Writing output to files and streams: chunks are gathered into ~64 KiB blocks and
 * written with back-pressure; `-o FILE` is written atomically (a temporary file in the
 * same folder, fsynced and renamed into place; on an error or an interrupt the temporary
 * file is removed and an existing target is left as it was). Used by export and digest.
 */
import { crypto } from '../shims/builtins.js';
import { open, type FileHandle } from 'node:fs/promises';
import {
  closeSync,
  constants,
  fchmodSync,
  fsyncSync,
  lstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InterruptedError, PapersError, ReaderGoneError, UsageError, checkAborted, errorMessage } from '../errors.js';
import type { Stream } from './io.js';
import { visibleControls } from '../text.js';

/** Bytes (roughly: UTF-16 units) gathered before one write. */
const BLOCK = 64 * 1024;

/** Lets a pending SIGINT reach the AbortController between blocks. */
const tick = () => new Promise<void>((r) => setImmediate(r));

/** Where chunks go: buffered into blocks, then flushed. */
export interface Sink {
  add(chunk: string): void;
  readonly full: boolean;
  flush(): Promise<void>;
}

/** Gathers chunks into ~64 KiB blocks; subclasses say where a block goes. */
abstract class BufferedSink implements Sink {
  private parts: string[] = [];
  private size = 0;
  add(chunk: string) {
    this.parts.push(chunk);
    this.size += chunk.length;
  }
  get full() {
    return this.size >= BLOCK;
  }
  async flush() {
    if (this.size === 0) return;
    const block = this.parts.join('');
    this.parts = [];
    this.size = 0;
    await this.write(block);
  }
  protected abstract write(block: string): Promise<void>;
}

export class StreamSink extends BufferedSink {
  constructor(private readonly stream: Stream) {
    super();
  }
  protected async write(block: string) {
    const ok = this.stream.write(block);
    // Respect back-pressure where the stream has it (a pipe on macOS, a socket).
    const once = (this.stream as { once?: (ev: string, fn: () => void) => unknown }).once;
    if (ok === false && typeof once === 'function') await new Promise<void>((r) => once.call(this.stream, 'drain', r));
  }
}

/** Why a path cannot be written, in words. */
function reason(err: unknown): string {
  switch ((err as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'its folder does not exist';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    case 'EISDIR':
      return 'it is a folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    default:
      return errorMessage(err);
  }
}

interface Target {
  file: string;
  /** The existing file's permissions, kept on the replacement. */
  mode: number | undefined;
  /** A FIFO or a device (`/dev/stdout`, `/dev/null`): written in place, never replaced. */
  special: boolean;
}

/**
 * What `-o PATH` names. A regular file (through symlinks: the link survives the rename)
 * is replaced atomically; a FIFO or a device (`/dev/stdout`, `/dev/null`, whose links
 * into /proc do not resolve to a real path) is written in place.
 */
function resolveTarget(path: string): Target {
  const abs = resolve(path);
  let st;
  try {
    st = statSync(abs);
  } catch (err) {
    // Missing, or a dangling link: the rename creates (or replaces) it.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { file: abs, mode: undefined, special: false };
    throw err;
  }
  if (st.isDirectory())
    throw Object.assign(new Error(`EISDIR: ${abs} is a directory`), { code: 'EISDIR', syscall: 'open', path: abs });
  if (!st.isFile()) return { file: abs, mode: undefined, special: true };
  return { file: lstatSync(abs).isSymbolicLink() ? realpathSync(abs) : abs, mode: st.mode & 0o7777, special: false };
}

/** A file system error as `cannot write FILE: reason` (exit 1), anything else as is. */
function fsError(display: string, err: unknown): unknown {
  if (err instanceof PapersError || typeof (err as NodeJS.ErrnoException)?.syscall !== 'string') return err;
  return new PapersError(`cannot write ${display}: ${reason(err)}`, { cause: err });
}

class FileSink extends BufferedSink {
  constructor(
    private readonly fd: number,
    private readonly display: string,
  ) {
    super();
  }
  protected async write(block: string) {
    const buf = Buffer.from(block, 'utf8');
    try {
      for (let off = 0; off < buf.length; ) off += writeSync(this.fd, buf, off, buf.length - off);
    } catch (err) {
      throw fsError(this.display, err);
    }
  }
}

export async function pump(chunks: Iterable<string>, sink: Sink, signal: AbortSignal | undefined): Promise<void> {
  for (const chunk of chunks) {
    sink.add(chunk);
    if (sink.full) {
      await sink.flush();
      await tick();
      checkAborted(signal);
    }
  }
  await sink.flush();
  checkAborted(signal);
}

/** Whether a process with this id is running (one of another user's counts: EPERM). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary files a killed writer of `file` left beside it (`kill -9` during
 * `export -o`): `.NAME.tmp-PID-HEX` whose process is gone. A live writer's is left alone.
 */
export function removeStaleTemps(file: string): void {
  const dir = dirname(file);
  const prefix = `.${basename(file)}.tmp-`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // the write itself says what is wrong with the folder
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(\d+)-[0-9a-f]{8}$/.exec(name.slice(prefix.length));
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || !Number.isSafeInteger(pid) || pid <= 0 || alive(pid)) continue;
    try {
      if (lstatSync(join(dir, name)).isFile()) unlinkSync(join(dir, name));
    } catch {
      /* gone already, or not ours to remove */
    }
  }
}

/**
 * Writes chunks to `path` atomically: a temporary file in the same folder, fsynced and
 * renamed over the target. Any failure (of the file system, of the chunks' source, or
 * an abort) removes the temporary file and leaves the target as it was. File system
 * errors become `cannot write DISPLAY: reason`; others pass through unchanged.
 */
export async function writeFileAtomic(
  path: string,
  chunks: Iterable<string>,
  opts: { display?: string; pid?: number; signal?: AbortSignal } = {},
): Promise<void> {
  const display = opts.display ?? path;
  let target: Target;
  try {
    target = resolveTarget(path);
  } catch (err) {
    throw fsError(display, err);
  }
  if (target.special) return writeInPlace(target.file, chunks, display, opts.signal);
  removeStaleTemps(target.file);
  let fd: number;
  let tmp: string;
  try {
    tmp = join(
      dirname(target.file),
      `.${basename(target.file)}.tmp-${opts.pid ?? process.pid}-${crypto().randomBytes(4).toString('hex')}`,
    );
    fd = openSync(tmp, 'wx', 0o666);
  } catch (err) {
    throw fsError(display, err);
  }
  let open = true;
  try {
    try {
      if (target.mode !== undefined) fchmodSync(fd, target.mode);
    } catch (err) {
      throw fsError(display, err);
    }
    await pump(chunks, new FileSink(fd, display), opts.signal);
    try {
      fsyncSync(fd);
      open = false;
      closeSync(fd);
      renameSync(tmp, target.file);
    } catch (err) {
      throw fsError(display, err);
    }
  } catch (err) {
    if (open) {
      try {
        closeSync(fd);
      } catch {
        /* already failing */
      }
    }
    try {
      unlinkSync(tmp);
    } catch {
      /* never created, or already gone */
    }
    throw err;
  }
  // The rename is durable once the folder is synced; not every platform allows it.
  try {
    const dfd = openSync(dirname(target.file), 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    /* best effort */
  }
}

/** Rejects with the InterruptedError of `signal` when it aborts; `off` removes the listener. */
function whenAborted(signal: AbortSignal | undefined): { promise: Promise<never>; off: () => void } {
  let off = () => {};
  const promise = new Promise<never>((_, reject) => {
    if (!signal) return;
    const on = () => reject(signal.reason instanceof InterruptedError ? signal.reason : new InterruptedError());
    if (signal.aborted) return on();
    signal.addEventListener('abort', on, { once: true });
    off = () => signal.removeEventListener('abort', on);
  });
  promise.catch(() => {});
  return { promise, off };
}

/**
 * Opens a FIFO or device for writing without blocking the event loop: a FIFO with no reader
 * blocks open(2) until one comes, so the open runs off the main thread, and Ctrl-C or SIGTERM
 * meanwhile opens the FIFO's reading end itself (without blocking), which lets the pending
 * open finish, and both are closed.
 */
async function openSpecial(file: string, signal: AbortSignal | undefined): Promise<FileHandle> {
  const opening = open(file, 'w');
  const aborted = whenAborted(signal);
  try {
    return await Promise.race([opening, aborted.promise]);
  } catch (err) {
    if (!signal?.aborted) throw err;
    let reader: number | undefined;
    try {
      reader = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch {
      /* not a FIFO after all: its open does not block */
    }
    await opening.then(
      (fh) => fh.close(),
      () => {},
    );
    if (reader !== undefined) closeSync(reader);
    throw err;
  } finally {
    aborted.off();
  }
}

/** Writes to a FIFO or device off the main thread: a reader that stops reading cannot stop Ctrl-C. */
class HandleSink extends BufferedSink {
  constructor(
    private readonly fh: FileHandle,
    private readonly display: string,
    private readonly signal: AbortSignal | undefined,
  ) {
    super();
  }
  protected async write(block: string) {
    const buf = Buffer.from(block, 'utf8');
    const aborted = whenAborted(this.signal);
    try {
      for (let off = 0; off < buf.length; ) {
        const writing = this.fh.write(buf, off, buf.length - off);
        // Left pending by an interrupt, it may fail later (EPIPE): nobody waits for it then.
        writing.catch(() => {});
        off += (await Promise.race([writing, aborted.promise])).bytesWritten;
      }
    } catch (err) {
      throw fsError(this.display, err);
    } finally {
      aborted.off();
    }
  }
}

/** A pipe or a device cannot be replaced, and needs no temporary file: stream into it. */
async function writeInPlace(
  file: string,
  chunks: Iterable<string>,
  display: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  let fh: FileHandle;
  try {
    fh = await openSpecial(file, signal);
  } catch (err) {
    throw fsError(display, err);
  }
  let closing = true;
  try {
    await pump(chunks, new HandleSink(fh, display, signal), signal);
  } catch (err) {
    // A write still pending (a reader that stopped reading) would make close wait for it.
    if (err instanceof InterruptedError) closing = false;
    // `-o /dev/stdout | head`: the reader went away, as with plain stdout; nothing is lost.
    if ((err as { cause?: { code?: string } }).cause?.code === 'EPIPE') throw new ReaderGoneError();
    throw err;
  } finally {
    if (closing) await fh.close();
  }
}

/**
 * The file `-o` names, or undefined for stdout (no -o, or `-`). Refuses an empty path and
 * every file of the archive (itself, its -wal/-shm/-journal, the sync lock and the lock's
 * own journal files; through links or `..`): a rename over one would replace the user's
 * archive with an export, or leave a lock file that breaks every later sync.
 */
export function outputFile(output: string | undefined, dbPath: string, what: string): string | undefined {
  if (output === undefined || output === '-') return undefined;
  if (!output.trim()) throw new UsageError('the --output path is empty');
  const file = isArchive(output, dbPath);
  if (file) {
    const which = file === 'archive' ? 'the archive' : `the archive's ${file}`;
    throw new UsageError(`refusing to write the ${what} over ${which} ${visibleControls(output)}`, {
      hint: 'choose another --output file',
    });
  }
  return output;
}

/** The files an archive at `db` is made of, by what each is. */
function archiveFiles(db: string): [string, string][] {
  const lock = `${db}.sync-lock`;
  return [
    [db, 'archive'],
    ...['-wal', '-shm', '-journal'].map((s): [string, string] => [db + s, `${s.slice(1)} file`]),
    [lock, 'sync lock'],
    ...['-wal', '-shm', '-journal'].map((s): [string, string] => [lock + s, `sync lock's ${s.slice(1)} file`]),
  ];
}

/**
 * Where a path leads: through every link, also a dangling one or one into a folder reached
 * by a link, to the absolute path a write would create or replace.
 */
function realTarget(p: string, depth = 0): string {
  const abs = resolve(p);
  try {
    return realpathSync(abs);
  } catch {
    // Missing (or a dangling link): its folder's real path, then the link's target if any.
  }
  let dir: string;
  try {
    dir = realpathSync(dirname(abs));
  } catch {
    return abs;
  }
  const here = join(dir, basename(abs));
  try {
    if (depth < 40 && lstatSync(here).isSymbolicLink()) return realTarget(resolve(dir, readlinkSync(here)), depth + 1);
  } catch {
    /* not there: the path itself */
  }
  return here;
}

/** Which file of the archive `path` is (through symlinks too), or undefined. */
function isArchive(path: string, dbPath: string): string | undefined {
  const target = realTarget(path);
  return archiveFiles(realTarget(dbPath)).find(([f]) => f === target)?.[1];
}
