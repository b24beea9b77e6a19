/**
 * Opening the archive: create its folder, refuse files that are not SQLite, refuse
 * archives from a newer papers, set the pragmas, migrate.
 */
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { DatabaseError, errorMessage } from '../errors.js';
import { SCHEMA_VERSION, migrations } from './migrations.js';
import { classifySqlite, sqliteHint } from './errors.js';
import { currentUser, describeOwner, diagnosePermissions, sidecars } from './permissions.js';

export type DB = Database.Database;

export interface OpenOptions {
  /**
   * Read commands pass true: an archive that exists but cannot be written (a read-only
   * file, folder or file system) is opened read-only instead of refused. A missing
   * archive is still created empty when it can be; a read-only one is never migrated.
   */
  readonly?: boolean;
  busyTimeoutMs?: number;
}

/** Archives read into memory when SQLite cannot read them in place (see openReadOnly). */
const MAX_COPY_BYTES = 1024 ** 3;

const SQLITE_MAGIC = 'SQLite format 3\u0000';

export function openDb(path: string, opts: OpenOptions = {}): DB {
  const memory = path === ':memory:';
  if (!memory) {
    const readOnly = existsSync(path) ? readOnlyReason(path) : undefined;
    if (readOnly) {
      checkHeader(path);
      if (opts.readonly) return openReadOnly(path, readOnly, opts);
      const beside = sidecarProblem(path);
      throw new DatabaseError(`the archive ${path} is read-only (${readOnly}); papers cannot write to it`, {
        hint: beside
          ? beside.repair
          : 'make the file and its folder writable, or work on a copy with --db COPY; reading commands still work',
      });
    }
    ensureParent(path);
    checkHeader(path);
    if (!existsSync(path)) {
      const folder = accessCode(dirname(path), constants.W_OK);
      if (folder) {
        throw new DatabaseError(
          `cannot create the archive ${path}: ` +
            (folder === 'EROFS' ? 'its file system is read-only' : `its folder ${dirname(path)} is not writable`),
          { hint: 'pick another place with --db PATH or PAPERS_HOME' },
        );
      }
    }
  }
  let db: DB;
  try {
    db = new Database(path);
  } catch (err) {
    throw new DatabaseError(`cannot open the archive ${path}: ${errorMessage(err)}`, {
      cause: err,
      hint: sqliteHint(err),
    });
  }
  try {
    db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 10_000}`);
    checkVersion(db, path);
    if (!memory) {
      // Two processes opening a new archive at once: the one that reads the journal mode
      // while the other holds its first write gets SQLITE_BUSY at once (SQLite's deadlock
      // avoidance skips the busy handler there), so the switch to WAL is retried.
      const timeout = opts.busyTimeoutMs ?? 10_000;
      retryBusy(() => {
        if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
      }, timeout);
    }
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('recursive_triggers = ON');
    migrate(db);
  } catch (err) {
    db.close();
    if (err instanceof DatabaseError) throw err;
    throw new DatabaseError(`cannot use the archive ${path}: ${errorMessage(err)}`, {
      cause: err,
      hint: sqliteHint(err),
    });
  }
  return db;
}

/** Runs `fn` again while it fails with SQLITE_BUSY, for up to `timeoutMs` (a blocking wait). */
function retryBusy(fn: () => void, timeoutMs: number): void {
  const deadline = Date.now() + timeoutMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
    try {
      fn();
      return;
    } catch (err) {
      if (classifySqlite(err) !== 'busy' || Date.now() >= deadline) throw err;
      Atomics.wait(pause, 0, 0, wait);
    }
  }
}

function checkVersion(db: DB, path: string): number {
  // One snapshot for both reads: another process may be creating the archive right now,
  // and its tables with their version appear together, in one commit.
  const { version, tables } = db
    .prepare(
      `SELECT (SELECT user_version FROM pragma_user_version) AS version,
        (SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%') AS tables`,
    )
    .get() as { version: number; tables: number };
  if (version > SCHEMA_VERSION) {
    throw new DatabaseError(
      `the archive ${path} is from a newer version of papers ` +
        `(schema ${version}; this papers knows up to ${SCHEMA_VERSION})`,
      { hint: 'upgrade papers (npm install -g papers@latest); the archive was left as it is' },
    );
  }
  if (version === 0 && tables !== 0) {
    // Some other program's database: migrating would add our tables to it.
    throw new DatabaseError(
      `${path} is a SQLite database of something else, not a papers archive; it was left untouched`,
      {
        hint: 'point --db or PAPERS_DB at another file',
      },
    );
  }
  return version;
}

function accessCode(path: string, mode: number): string | undefined {
  try {
    accessSync(path, mode);
    return undefined;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? 'EACCES';
  }
}

/**
 * Why an existing archive cannot be written, or undefined when it can. access(2) answers
 * EROFS for a read-only file system even to root, who otherwise passes every permission
 * check. WAL writes need the -wal and -shm files beside the archive, so its folder must be
 * writable unless both already exist and are.
 */
export function readOnlyReason(path: string): string | undefined {
  const file = accessCode(path, constants.W_OK);
  if (file === 'EROFS') return 'its file system is read-only';
  if (file) return 'the file is not writable';
  // Left by another user's read or write: SQLite would open it read-only and fail every
  // write with "attempt to write a readonly database".
  const beside = sidecarProblem(path);
  if (beside) return beside.reason;
  const dir = dirname(path);
  const folder = accessCode(dir, constants.W_OK);
  if (folder === 'EROFS') return 'its file system is read-only';
  if (folder && !['-wal', '-shm'].every((s) => existsSync(path + s) && !accessCode(path + s, constants.W_OK))) {
    return `its folder ${dir} is not writable`;
  }
  return undefined;
}

/** A -wal or -shm beside the archive that this process cannot write, in words. */
function sidecarProblem(path: string): { file: string; reason: string; repair: string } | undefined {
  for (const { file, role } of sidecars(path)) {
    if (role === 'lock' || !existsSync(file) || !accessCode(file, constants.W_OK)) continue;
    const problem = diagnosePermissions(path).problems.find((p) => p.file === file);
    const st = statSync(file);
    return {
      file,
      reason: `${file} is owned by ${describeOwner(st.uid, st.mode)}; ${currentUser().name} cannot write it`,
      repair: problem?.repair ?? `make ${file} writable`,
    };
  }
  return undefined;
}

/**
 * The -wal and -shm a read-only connection makes when they are missing belong to this
 * user, with the archive's mode: its owner could not write them, and every later write
 * would fail. They hold nothing after a read (a read-only connection writes no frame), so
 * the ones this connection made go when it closes. (Another connection opened in between
 * could not write them either.)
 */
function removeOwnSidecarsOnClose(db: DB, path: string, before: Set<string>): void {
  const uid = process.getuid?.();
  const close = db.close.bind(db);
  db.close = () => {
    close();
    const [wal, shm] = [`${path}-wal`, `${path}-shm`];
    if (before.has(wal) || before.has(shm)) return db;
    try {
      const w = statSync(wal);
      const m = statSync(shm);
      // A -wal with frames was written by someone who could (root): theirs, and in use.
      if (w.uid !== uid || m.uid !== uid || w.size !== 0) return db;
      unlinkSync(shm);
      unlinkSync(wal);
    } catch {
      // Not made, gone already, or not ours to remove.
    }
    return db;
  };
}

/**
 * An archive that cannot be written, opened for reading. SQLite reads a WAL database
 * read-only through its -shm file; when there is none and none can be made (a read-only
 * folder after a clean close), the file is read into memory instead: it is whole then,
 * since a clean close checkpoints the WAL into it and removes the -wal.
 */
function openReadOnly(path: string, reason: string, opts: OpenOptions): DB {
  let db: DB | undefined;
  const before = new Set(
    sidecars(path)
      .map((s) => s.file)
      .filter((f) => existsSync(f)),
  );
  try {
    try {
      db = new Database(path, { readonly: true, fileMustExist: true });
      removeOwnSidecarsOnClose(db, path, before);
      db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 10_000}`);
      db.pragma('user_version', { simple: true });
    } catch (err) {
      db?.close();
      db = undefined;
      // No -shm and no way to make one: CANTOPEN on a read-only file system,
      // READONLY_DIRECTORY (or READONLY_CANTINIT) in a folder we may not write.
      const code = (err as { code?: string }).code ?? '';
      if (code !== 'SQLITE_CANTOPEN' && !code.startsWith('SQLITE_READONLY')) throw err;
      // Days committed to a -wal that was never checkpointed would be missing from a copy
      // of the file alone: better to say so than to show an older archive.
      if (existsSync(`${path}-wal`) && statSync(`${path}-wal`).size > 0) {
        throw new DatabaseError(
          `cannot read the archive ${path}: it is read-only (${reason}) ` +
            `and its last writes are still in ${path}-wal, which SQLite cannot read without a ${path}-shm file`,
          {
            hint: 'make the folder writable once (any papers command then folds the -wal into the archive)',
            cause: err,
          },
        );
      }
      if (statSync(path).size > MAX_COPY_BYTES) throw err;
      const copy = readFileSync(path);
      // Bytes 18 and 19 say "WAL": an in-memory copy has no -shm, so read it as a plain file.
      if (copy[18] === 2) copy[18] = 1;
      if (copy[19] === 2) copy[19] = 1;
      db = new Database(copy, { readonly: true });
    }
    const version = checkVersion(db, path);
    if (version !== SCHEMA_VERSION) {
      throw new DatabaseError(
        `the archive ${path} needs upgrading to this papers' schema, but it is read-only (${reason})`,
        {
          hint: 'make it writable and run any papers command once, or read it with the papers that wrote it',
        },
      );
    }
    db.pragma('foreign_keys = ON');
    return db;
  } catch (err) {
    db?.close();
    if (err instanceof DatabaseError) throw err;
    throw new DatabaseError(`cannot read the archive ${path} (read-only: ${reason}): ${errorMessage(err)}`, {
      cause: err,
      hint: sqliteHint(err),
    });
  }
}

function ensureParent(path: string): void {
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new DatabaseError(`cannot create the folder ${dir} for the archive ${path}: ${errorMessage(err)}`, {
      cause: err,
      hint: 'pick another place with --db PATH or PAPERS_HOME',
    });
  }
}

function checkHeader(path: string): void {
  if (!existsSync(path)) return;
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    throw new DatabaseError(`cannot read the archive ${path}: ${errorMessage(err)}`, { cause: err });
  }
  if (st.isDirectory())
    throw new DatabaseError(`the archive path ${path} is a folder, not a file`, { hint: 'pass a file path with --db' });
  if (st.size === 0) return;
  const buf = Buffer.alloc(16);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    readSync(fd, buf, 0, 16, 0);
  } catch (err) {
    throw new DatabaseError(`cannot read the archive ${path}: ${errorMessage(err)}`, { cause: err });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (buf.toString('latin1') !== SQLITE_MAGIC) {
    throw new DatabaseError(`${path} is not a papers archive (not a SQLite database); it was left untouched`, {
      hint: 'point --db or PAPERS_DB at another file',
    });
  }
}

export function migrate(db: DB): void {
  if ((db.pragma('user_version', { simple: true }) as number) === SCHEMA_VERSION) return;
  // Re-read the version under the write lock: two processes may open a new archive at once.
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version >= SCHEMA_VERSION) return;
    db.exec('CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
    // A replayed migration (an archive whose version was set back by hand) is recorded again.
    const record = db.prepare(
      `INSERT INTO migrations (name, applied_at) VALUES (?, ?)
       ON CONFLICT(name) DO UPDATE SET applied_at = excluded.applied_at`,
    );
    for (let i = version; i < SCHEMA_VERSION; i++) {
      const m = migrations[i]!;
      m.up(db);
      record.run(m.name, new Date().toISOString());
    }
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
