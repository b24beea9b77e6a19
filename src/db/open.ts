/**
 * Opening the archive: create its folder, refuse files that are not SQLite, refuse
 * archives from a newer papers, set the pragmas, migrate.
 */
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import type Database from 'better-sqlite3';
import { DatabaseError, errorMessage } from '../errors.js';
import { SCHEMA_VERSION, migrations } from './migrations.js';

export type DB = Database.Database;

const require = createRequire(import.meta.url);

export interface OpenOptions {
  /** Read commands pass true: a missing archive is created empty, but never migrated read-only. */
  readonly?: boolean;
  busyTimeoutMs?: number;
}

const SQLITE_MAGIC = 'SQLite format 3\u0000';

export function openDb(path: string, opts: OpenOptions = {}): DB {
  const Sqlite = require('better-sqlite3') as typeof Database;
  const memory = path === ':memory:';
  if (!memory) {
    ensureParent(path);
    checkHeader(path);
  }
  let db: DB;
  try {
    db = new Sqlite(path);
  } catch (err) {
    throw new DatabaseError(`cannot open the archive ${path}: ${errorMessage(err)}`, { cause: err, hint: hintFor(err) });
  }
  try {
    db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 10_000}`);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new DatabaseError(
        `the archive ${path} is from a newer version of papers (schema ${version}; this papers knows up to ${SCHEMA_VERSION})`,
        { hint: 'upgrade papers (npm install -g papers@latest); the archive was left as it is' },
      );
    }
    if (version === 0 && db.prepare(`SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'`).pluck().get() !== 0) {
      // Some other program's database: migrating would add our tables to it.
      throw new DatabaseError(`${path} is a SQLite database of something else, not a papers archive; it was left untouched`, {
        hint: 'point --db or PAPERS_DB at another file',
      });
    }
    if (!memory && db.pragma('journal_mode', { simple: true }) !== 'wal') {
      db.pragma('journal_mode = WAL');
    }
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('recursive_triggers = ON');
    migrate(db);
  } catch (err) {
    db.close();
    if (err instanceof DatabaseError) throw err;
    throw new DatabaseError(`cannot use the archive ${path}: ${errorMessage(err)}`, { cause: err, hint: hintFor(err) });
  }
  return db;
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
  if (st.isDirectory()) throw new DatabaseError(`the archive path ${path} is a folder, not a file`, { hint: 'pass a file path with --db' });
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

function hintFor(err: unknown): string | undefined {
  const code = (err as { code?: string })?.code ?? '';
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN') return 'check that the archive and its folder are writable';
  if (code === 'SQLITE_FULL') return 'the disk is full: free some space and try again';
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') return 'the archive is damaged: run `papers doctor`, or move it away and sync again';
  return undefined;
}

export function migrate(db: DB): void {
  if ((db.pragma('user_version', { simple: true }) as number) === SCHEMA_VERSION) return;
  // Re-read the version under the write lock: two processes may open a new archive at once.
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version >= SCHEMA_VERSION) return;
    db.exec('CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
    const record = db.prepare('INSERT INTO migrations (name, applied_at) VALUES (?, ?)');
    for (let i = version; i < SCHEMA_VERSION; i++) {
      const m = migrations[i]!;
      m.up(db);
      record.run(m.name, new Date().toISOString());
    }
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

export { hintFor as dbErrorHint };
