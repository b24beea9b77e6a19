/**
 * Reading a file the user names (`import`, `library import`): a regular file, at most
 * `limit` bytes, read in blocks so that Ctrl-C and SIGTERM are acted on between them.
 * `/dev/zero`, `/dev/urandom`, a FIFO or a socket never end or may never open: refused
 * before a byte is read, so nothing can grow without bound or block the process.
 */
import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { PapersError, checkAborted, errorMessage } from '../errors.js';
import { formatBytes, visibleControls } from '../text.js';

/** Bytes read per block: a regular file answers at once, so a signal waits one block at most. */
const BLOCK = 1024 * 1024;

export interface ReadInputOptions {
  /** Largest file read, in bytes; a bigger one is refused before it is read. */
  limit: number;
  signal?: AbortSignal;
  /** What to do when the path is a folder. */
  folderHint?: string;
}

/** What a non-regular file is, in words. */
function kind(st: import('node:fs').Stats): string {
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function readError(file: string, err: unknown, folderHint?: string): PapersError {
  if (err instanceof PapersError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  const shown = visibleControls(file);
  if (code === 'EISDIR') return new PapersError(`${shown} is a folder`, folderHint ? { hint: folderHint } : {});
  const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : errorMessage(err);
  return new PapersError(`cannot read ${shown}: ${why}`, { cause: err });
}

/**
 * The text of `file` (UTF-8, without a byte-order mark). Refuses what is not a regular
 * file and what is over the limit, saying the limit; throws InterruptedError on an abort.
 */
export async function readInput(file: string, opts: ReadInputOptions): Promise<string> {
  const shown = visibleControls(file);
  const limit = formatBytes(opts.limit);
  const tooBig = () =>
    new PapersError(`${shown} is larger than ${limit}, the most papers reads from one file`, {
      hint: 'split it into smaller files',
    });
  checkAborted(opts.signal);
  let st;
  try {
    st = await stat(file);
  } catch (err) {
    throw readError(file, err, opts.folderHint);
  }
  if (st.isDirectory()) throw readError(file, Object.assign(new Error(''), { code: 'EISDIR' }), opts.folderHint);
  if (!st.isFile()) {
    // stat never opens it: a FIFO without a writer cannot block, a device is never read.
    throw new PapersError(`${shown} is ${kind(st)}, not a regular file; papers reads files only`, {
      hint: `papers reads regular files of at most ${limit}: save the data to one first`,
    });
  }
  if (st.size > opts.limit) throw tooBig();
  let fh;
  try {
    // O_NONBLOCK: were the path swapped for a FIFO since the stat, opening it cannot block.
    fh = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
    const again = await fh.stat();
    if (!again.isFile())
      throw new PapersError(`${shown} is ${kind(again)}, not a regular file; papers reads files only`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      checkAborted(opts.signal);
      // A file can grow while it is read (or be /proc's, whose size says 0): the limit holds anyway.
      const want = Math.min(BLOCK, opts.limit + 1 - total);
      const buf = Buffer.allocUnsafe(want);
      const { bytesRead } = await fh.read(buf, 0, want, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > opts.limit) throw tooBig();
      chunks.push(bytesRead === want ? buf : buf.subarray(0, bytesRead));
    }
    checkAborted(opts.signal);
    // Editors and some shells save UTF-8 with a byte-order mark; JSON.parse rejects it.
    return Buffer.concat(chunks, total)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
  } catch (err) {
    throw readError(file, err, opts.folderHint);
  } finally {
    await fh?.close();
  }
}
