/**
 * Politeness across processes (issue 23.7): arXiv's 3 seconds hold for the whole machine's
 * use of an archive, not only within one process. When each host may next be asked is kept
 * in a small SQLite file beside the archive (`papers.db.hosts`), taken and updated in
 * IMMEDIATE transactions, so two processes (`papers add` beside a sync, `today` after cron)
 * queue on it. While a request is in flight its host is leased; a process killed in the
 * middle of one frees the host when the lease runs out.
 */
import Database from 'better-sqlite3';
import { sleep as defaultSleep } from '../sleep.js';

/** How long a request may hold its host before another process takes the turn anyway. */
export const LEASE_MS = 120_000;
/** How often a waiting process looks again (it sleeps until the host is due, at most this). */
const POLL_MS = 250;

export interface SharedHostClock {
  /** Resolves when `host` may be asked: `delayMs` after the end of the machine's last request to it. */
  acquire(host: string, signal?: AbortSignal): Promise<void>;
  /** The request to `host` ended: the next may start `delayMs` from now. */
  release(host: string): void;
}

export function hostClockPath(dbPath: string): string {
  return `${dbPath}.hosts`;
}

export class FileHostClock implements SharedHostClock {
  private db: Database.Database | null | undefined;

  constructor(
    private readonly path: string,
    private readonly delayMs: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void> = defaultSleep,
  ) {}

  /** The file, opened once; null when it cannot be (a read-only folder): this process's gate still holds. */
  private open(): Database.Database | null {
    if (this.db !== undefined) return this.db;
    try {
      const db = new Database(this.path);
      db.pragma('busy_timeout = 5000');
      db.exec('CREATE TABLE IF NOT EXISTS hosts (host TEXT PRIMARY KEY, free_at INTEGER NOT NULL) WITHOUT ROWID');
      this.db = db;
    } catch {
      this.db = null;
    }
    return this.db;
  }

  /** Takes the host when it is due; else says how long to wait. */
  private tryTake(db: Database.Database, host: string): number {
    return db
      .transaction(() => {
        const t = this.now();
        const free = db.prepare('SELECT free_at FROM hosts WHERE host = ?').pluck().get(host) as number | undefined;
        if (free !== undefined && free > t) return free - t;
        db.prepare(
          'INSERT INTO hosts (host, free_at) VALUES (?, ?) ON CONFLICT(host) DO UPDATE SET free_at = excluded.free_at',
        ).run(host, t + LEASE_MS);
        return 0;
      })
      .immediate();
  }

  async acquire(host: string, signal?: AbortSignal): Promise<void> {
    const db = this.open();
    if (!db) return;
    for (;;) {
      let wait: number;
      try {
        wait = this.tryTake(db, host);
      } catch {
        return; // the file failing must not stop the sync: this process's own gate still holds
      }
      if (wait <= 0) return;
      await this.sleep(Math.min(wait, POLL_MS), signal);
    }
  }

  release(host: string): void {
    const db = this.open();
    if (!db) return;
    try {
      db.prepare('UPDATE hosts SET free_at = ? WHERE host = ?').run(this.now() + this.delayMs, host);
    } catch {
      // as above
    }
  }

  close(): void {
    this.db?.close();
    this.db = undefined;
  }
}
