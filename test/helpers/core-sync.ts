// The core sync on a test archive, for options that have no flag yet (`prune`,
// `deadlineMs`) and for the summary itself: as the command layer will call it.
import { resultOf, runSources } from '../../src/core/runner.js';
import { daysTask, type SyncDeps, type SyncOptions, type SyncSummary } from '../../src/core/sync.js';
import { openDb } from '../../src/db/open.js';
import { HttpClient, type HttpOptions } from '../../src/http/client.js';
import { hfDaily } from '../../src/sources/hf-adapter.js';
import { FAST_HTTP } from './run-cli.js';

export async function coreSync(
  dbPath: string,
  endpoint: string,
  now: string,
  opts: Partial<SyncOptions> = {},
  http: Partial<HttpOptions> = {},
): Promise<SyncSummary> {
  const db = openDb(dbPath);
  const client = new HttpClient({ userAgent: 'papers/test', ...FAST_HTTP, ...http });
  try {
    const at = new Date(now);
    return await sync(
      { db, http: client, endpoint, now: () => at, pid: process.pid, lockPath: null },
      { source: hfDaily, force: true, ...opts },
    );
  } finally {
    db.close();
    await client.close();
  }
}

/**
 * HF days through the one runner, as `papers sync` runs them (the lock, the deadline,
 * signals, the run record), for tests that drive core with a stub source.
 */
export async function sync(deps: SyncDeps, opts: SyncOptions): Promise<SyncSummary> {
  const outcomes = await runSources(deps, [daysTask(deps.endpoint, opts)], {
    lockWaitMs: opts.lockWaitMs,
    deadlineMs: opts.deadlineMs,
    signal: opts.signal,
    onEvent: (e) => {
      if (e.type === 'waiting-for-lock') opts.onEvent?.(e);
    },
  });
  return resultOf(outcomes[0]) as SyncSummary;
}
