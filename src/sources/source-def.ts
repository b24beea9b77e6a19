/**
 * What a source gives `sync` and `today` (see registry.ts): the runner's tasks for a
 * request. The tasks themselves plan from the archive, fetch through the HTTP client,
 * parse with pure functions and save each unit in one transaction.
 */
import type { SourceTask } from '../core/runner.js';
import type { SyncEvent } from '../core/sync.js';
import type { Day } from '../dates.js';
import type { DB } from '../db/open.js';
import type { ArxivSourceOptions } from './arxiv/source.js';

/** What `papers sync` asks of a source, from its flags. */
export interface SyncRequest {
  /** Listing days named by the day flags (undefined: incremental). */
  days?: Day[];
  /** Whether any day flag was given (`--since` alone too). */
  explicitDays: boolean;
  /** The day flags are `--since` alone; `since` is its day (where a backfill starts). */
  sinceOnly: boolean;
  since?: Day;
  /** The source was named with `--source`: the day flags are meant for it. */
  named: boolean;
  force?: boolean;
  prune?: boolean;
  via?: string;
  concurrency?: number;
  /** Progress of listing days. */
  onDays?: (e: SyncEvent) => void;
  /** Progress of a harvest, page by page. */
  onPages?: (source: string, e: { pages: number; staged: number }) => void;
}

/** What a source may need from the context: endpoints and arXiv's polite gate. */
export interface SourceEnv {
  endpoint: string;
  arxiv: () => Promise<ArxivSourceOptions>;
}

export interface SourceDef {
  /** Whether this definition handles a (canonical) source name. */
  matches(name: string): boolean;
  /** Refuses a request the source cannot serve (before the archive is opened): a UsageError. */
  check(name: string, req: SyncRequest): void;
  /** The tasks of a sync, and notes to say first (days left out, say). */
  syncTasks(name: string, req: SyncRequest, env: SourceEnv): Promise<{ tasks: SourceTask[]; notes: string[] }>;
  /** The tasks that refresh `day` for `papers today`; none when it is fresh. */
  refreshTasks(name: string, db: DB, day: Day, now: Date, maxAgeMs: number, env: SourceEnv): Promise<SourceTask[]>;
}
