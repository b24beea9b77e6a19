/**
 * One sync at a time per archive. The lock is an EXCLUSIVE transaction held on a small
 * SQLite file beside the archive: SQLite's POSIX locks are released by the kernel when
 * the holder dies, so a SIGKILLed sync never leaves a stale lock behind.
 */
import Database from 'better-sqlite3';
import { DatabaseError, InterruptedError, errorMessage } from '../errors.js';
import { sleep } from '../sleep.js';
import { classifySqlite } from './errors.js';


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

export function lockPathFor(dbPath: string): string {
  return `${dbPath}.sync-lock`;
}

/** Resolves with the lock, or null when it is still held after `waitMs`. */
export async function acquireSyncLock(path: string, opts: AcquireOptions): Promise<SyncLock | null> {
  let db: Database.Database;
  try {
    db = new Database(path);
    db.pragma('busy_timeout = 0');
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
 * its holder dies, whatever pid namespace it ran in). Taking it for a moment is harmless:
 * a sync starting in that moment waits (polls) as it would for any other holder.
 */
export function syncLockHeld(path: string): boolean {
  let db: Database.Database;
  try {
    db = new Database(path, { fileMustExist: true });
  } catch {
    return false; // no lock file: no sync has ever run here
  }
  try {
    db.pragma('busy_timeout = 0');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('ROLLBACK');
    return false;
  } catch (err) {
    return classifySqlite(err) === 'busy';
  } finally {
    db.close();
  }
}
