/**
 * One sync at a time per archive. The lock is an EXCLUSIVE transaction held on a small
 * SQLite file beside the archive: SQLite's POSIX locks are released by the kernel when
 * the holder dies, so a SIGKILLed sync never leaves a stale lock behind.
 */
import { accessSync, chmodSync, chownSync, constants, existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { DatabaseError, InterruptedError, errorMessage } from '../errors.js';
import { sleep } from '../sleep.js';
import { classifySqlite } from './errors.js';
import { currentUser, describeOwner } from './permissions.js';

export interface SyncLock {
  release(): void;
}

export interface AcquireOptions {
  waitMs: number;
  signal?: AbortSignal;
  /** Called once when the lock is busy and we start waiting. */
  onWait?: () => void;
  pollMs?: number;
}

const LOCK_SUFFIX = '.sync-lock';

export function lockPathFor(dbPath: string): string {
  return dbPath + LOCK_SUFFIX;
}

/** Resolves with the lock, or null when it is still held after `waitMs`. */
/** The lock as writable as the archive: whoever may sync it may take the lock another user made. */
function shareLikeArchive(path: string): void {
  if (!path.endsWith(LOCK_SUFFIX)) return;
  try {
    const archive = statSync(path.slice(0, -LOCK_SUFFIX.length));
    chmodSync(path, archive.mode & 0o666);
    chownSync(path, -1, archive.gid);
  } catch {
    // Not allowed (not a member of the archive's group): the mode is what it can be.
  }
}

/** A lock file this user cannot write, named with its owner and mode. */
function checkLockWritable(path: string): void {
  if (!existsSync(path)) return;
  try {
    accessSync(path, constants.W_OK);
  } catch {
    const st = statSync(path);
    const owner = describeOwner(st.uid, st.mode);
    throw new DatabaseError(
      `cannot take the sync lock ${path}: it is owned by ${owner}; ${currentUser().name} cannot write it`,
      { hint: `remove it when no sync runs (it holds no data), or as root: chown ${currentUser().name} ${path}` },
    );
  }
}

export async function acquireSyncLock(path: string, opts: AcquireOptions): Promise<SyncLock | null> {
  let db: Database.Database;
  checkLockWritable(path);
  try {
    const fresh = !existsSync(path);
    db = new Database(path);
    db.pragma('busy_timeout = 0');
    if (fresh) shareLikeArchive(path);
  } catch (err) {
    throw new DatabaseError(`cannot create the sync lock ${path}: ${errorMessage(err)}`, {
      cause: err,
      hint: 'check that the archive folder is writable',
    });
  }
  const deadline = Date.now() + opts.waitMs;
  let waited = false;
  for (;;) {
    try {
      db.exec('BEGIN EXCLUSIVE');
      return {
        release() {
          try {
            db.exec('ROLLBACK');
          } finally {
            db.close();
          }
        },
      };
    } catch (err) {
      if (classifySqlite(err) !== 'busy') {
        db.close();
        throw new DatabaseError(`cannot take the sync lock ${path}: ${errorMessage(err)}`, { cause: err });
      }
    }
    if (Date.now() >= deadline) {
      db.close();
      return null;
    }
    if (!waited) {
      waited = true;
      opts.onWait?.();
    }
    try {
      await sleep(Math.min(opts.pollMs ?? 200, Math.max(1, deadline - Date.now())), opts.signal);
    } catch (err) {
      db.close();
      throw err instanceof InterruptedError ? err : new InterruptedError();
    }
  }
}

/**
 * Whether a sync holds the lock now, asked of the lock itself (the kernel drops it when
 * its holder dies, whatever pid namespace it ran in). A shared lock for a moment is
 * harmless: a sync starting in that moment waits (polls) as it would for any other holder.
 */
export function syncLockHeld(path: string): boolean {
  let db: Database.Database;
  try {
    // Read-only: `status` by a user who may not write the lock must still see it held.
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch {
    return false; // no lock file: no sync has ever run here
  }
  try {
    db.pragma('busy_timeout = 0');
    // A read needs the shared lock that a holder's EXCLUSIVE transaction refuses.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return false;
  } catch (err) {
    return classifySqlite(err) === 'busy';
  } finally {
    db.close();
  }
}
