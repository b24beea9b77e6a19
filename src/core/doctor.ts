/**
 * Health checks of the archive, each with the command that repairs it.
 */
import { addDays, dayOf, dayRange, dayToMs, weekday, type Day } from '../dates.js';
import { SCHEMA_VERSION } from '../db/migrations.js';
import type { DB } from '../db/open.js';
import { classifySqlite } from '../db/errors.js';
import { diagnosePermissions, type Who } from '../db/permissions.js';
import { errorMessage } from '../errors.js';
import { HF_SOURCE } from '../sources/source-name.js';
import { cleanLine } from '../text.js';
import { sourceRuns } from './status.js';
import { SETTLE_DAYS, UPVOTE_SETTLE_DAYS, dayRuns, describeDays, unsettledDays } from './sync.js';

export { dayRuns };

/** HF's listing source: the day checks below are about its days. */
const HF = HF_SOURCE;

export interface Finding {
  check: string;
  ok: boolean;
  detail: string;
  repair?: string;
  days?: Day[];
}

function syncCommand(days: Day[], force = false): string {
  const runs = dayRuns(days);
  const first = runs[0]![0];
  const last = runs[runs.length - 1]![1];
  const f = force ? ' --force' : '';
  return first === last ? `papers sync --date ${first}` : `papers sync --since ${first} --until ${last}${f}`;
}

const plural = (days: Day[], what: string) => `${days.length} ${what}${days.length === 1 ? '' : 's'}`;

/** A failed check over some days: which, and the sync that repairs them. */
function dayFinding(check: string, days: Day[], what: string, more = ''): Finding {
  return { check, ok: false, detail: `${what}: ${describeDays(days)}${more}`, repair: syncCommand(days), days };
}

/** Whether an error says the archive file is damaged. */
export function isCorruption(err: unknown): boolean {
  return classifySqlite(err) === 'corrupt';
}

/** The finding for an archive SQLite reports as damaged, with how to start over without losing the file. */
export function damagedFinding(detail: string, path?: string, range?: DayBounds): Finding {
  const days = range?.first && range.last ? `--since ${range.first} --until ${range.last}` : '--since <first day>';
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const move = path ? `mv ${q(path)} ${q(`${path}.damaged`)} && ` : 'move the archive away, then ';
  return { check: 'integrity', ok: false, detail, repair: `${move}papers sync ${days}` };
}

interface DayBounds {
  first: Day | null;
  last: Day | null;
}

export interface CheckOptions {
  /** The archive's path, for repair commands and the permissions check (which needs it). */
  path?: string;
  /** Whose permissions to check: this process's user by default. */
  who?: Who;
}

/**
 * Who may write the archive and the files beside it: one finding per file they cannot
 * write, with its owner, mode and the chown that repairs it. It comes before the FTS check,
 * whose "attempt to write a readonly database" would only be the symptom.
 */
export function permissionFindings(path: string, who?: Who): Finding[] {
  const r = diagnosePermissions(path, who);
  if (r.problems.length === 0) {
    return [{ check: 'permissions', ok: true, detail: `${r.user.name} can write the archive and the files beside it` }];
  }
  return r.problems.map((p) => ({ check: 'permissions', ok: false, detail: p.detail, repair: p.repair }));
}

/** What every check reads: the archive, the clock, the options, HF's day range. */
interface CheckEnv {
  db: DB;
  now: Date;
  opts: CheckOptions;
  range: DayBounds | undefined;
}

/** A named check: one finding, several, or none. */
interface Check {
  name: string;
  run(env: CheckEnv): Finding | Finding[] | undefined;
}

/**
 * Runs every check of CHECKS in order. A check that cannot run (a damaged page under it)
 * is itself a finding, so that doctor reports what it can of a broken archive instead of
 * failing.
 */
export function checkArchive(db: DB, now: Date, opts: CheckOptions = {}): Finding[] {
  const env: CheckEnv = { db, now, opts, range: hfRange(db) };
  const out: Finding[] = [];
  for (const check of CHECKS) {
    try {
      const f = check.run(env);
      if (f) out.push(...(Array.isArray(f) ? f : [f]));
    } catch (err) {
      out.push({ check: check.name, ok: false, detail: `could not check: ${errorMessage(err)}` });
    }
  }
  return out;
}

/**
 * The day checks are about HF's days (synced by day, settling for days); arXiv's
 * announcements and backfills have days of their own (a backfill may reach 2008).
 */
function hfRange(db: DB): DayBounds | undefined {
  try {
    return db
      .prepare(`SELECT min(day) AS first, max(day) AS last FROM listings WHERE source = '${HF}'`)
      .get() as DayBounds;
  } catch {
    return undefined;
  }
}

function checkIntegrity({ db, opts, range }: CheckEnv): Finding {
  let bad: string[];
  try {
    const integrity = db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[];
    bad = integrity.map((r) => r.integrity_check).filter((m) => m !== 'ok');
  } catch (err) {
    // Damage can stop the check itself (a broken page of the schema or of a b-tree's root).
    bad = [errorMessage(err)];
  }
  return bad.length
    ? damagedFinding(`SQLite integrity check failed: ${bad.slice(0, 3).join('; ')}`, opts.path, range)
    : { check: 'integrity', ok: true, detail: 'SQLite integrity check passed' };
}

function checkSchema({ db }: CheckEnv): Finding {
  const version = db.pragma('user_version', { simple: true }) as number;
  return version === SCHEMA_VERSION
    ? { check: 'schema', ok: true, detail: `schema version ${version} (current)` }
    : {
        check: 'schema',
        ok: false,
        detail: `schema version ${version}, expected ${SCHEMA_VERSION}`,
        repair: 'run any papers command with a current papers to migrate',
      };
}

function checkFts({ db }: CheckEnv): Finding {
  if (db.readonly) {
    // FTS5 runs its integrity check as an INSERT, which a read-only archive refuses.
    return { check: 'fts', ok: true, detail: 'full-text index not checked: the archive is read-only' };
  }
  let ftsOk = true;
  let ftsDetail = 'full-text index matches the papers table';
  try {
    db.prepare(`INSERT INTO papers_fts(papers_fts, rank) VALUES ('integrity-check', 1)`).run();
    const papers = db.prepare('SELECT count(*) FROM papers').pluck().get() as number;
    const indexed = db.prepare('SELECT count(*) FROM papers_fts_docsize').pluck().get() as number;
    if (papers !== indexed) {
      ftsOk = false;
      ftsDetail = `full-text index has ${indexed} documents for ${papers} papers`;
    }
  } catch (err) {
    ftsOk = false;
    ftsDetail = `full-text index is out of step with the papers table (${errorMessage(err)})`;
  }
  return ftsOk
    ? { check: 'fts', ok: true, detail: ftsDetail }
    : { check: 'fts', ok: false, detail: ftsDetail, repair: 'papers doctor --rebuild-index' };
}

function checkGaps({ db, range }: CheckEnv): Finding {
  if (!range?.first || !range.last) {
    return { check: 'gaps', ok: true, detail: 'the archive has no listing days yet', repair: undefined };
  }
  // A day whose sync failed is not a gap: the 'failed' check reports it, with its repair.
  const known = new Set(db.prepare(`SELECT day FROM sync_days WHERE source = '${HF}'`).pluck().all() as Day[]);
  for (const d of db.prepare(`SELECT DISTINCT day FROM listings WHERE source = '${HF}'`).pluck().all() as Day[])
    known.add(d);
  const gaps = dayRange(range.first, range.last).filter((d) => weekday(d) !== 0 && weekday(d) !== 6 && !known.has(d));
  return gaps.length
    ? dayFinding('gaps', gaps, `${plural(gaps, 'weekday')} never synced between ${range.first} and ${range.last}`)
    : { check: 'gaps', ok: true, detail: `no unsynced weekdays between ${range.first} and ${range.last}` };
}

function checkFailedDays({ db }: CheckEnv): Finding {
  const failed = db
    .prepare(`SELECT day FROM sync_days WHERE source = '${HF}' AND outcome = 'failed' ORDER BY day`)
    .pluck()
    .all() as Day[];
  return failed.length
    ? dayFinding('failed', failed, `${plural(failed, 'day')} whose last sync failed`)
    : { check: 'failed', ok: true, detail: 'no day whose last sync failed' };
}

/**
 * The last feed and backfill of each source, from the run records: a failed backfill shows
 * here. (HF's days have the day checks, with a repair per day.)
 */
function checkRuns({ db }: CheckEnv): Finding {
  const bad = sourceRuns(db).filter(
    (r) => (r.kind === 'feed' || r.kind === 'harvest') && (r.status === 'failed' || r.status === 'interrupted'),
  );
  if (bad.length === 0)
    return { check: 'runs', ok: true, detail: 'the last feed and backfill of every source ended well' };
  const what = bad.map((r) => `${r.source} ${r.kind} ${r.status}${r.error ? ` (${cleanLine(r.error)})` : ''}`);
  const repair = [
    ...new Set(bad.map((r) => `papers sync --source ${r.source}${r.kind === 'harvest' ? ' --since DAY' : ''}`)),
  ];
  return { check: 'runs', ok: false, detail: `last run: ${what.join('; ')}`, repair: repair.join('; ') };
}

function checkSettling({ db, now }: CheckEnv): Finding {
  // Synced once, before the day had settled: its list and upvotes may have moved since.
  const once = `SELECT day, ok_at AS okAt FROM sync_days WHERE source = '${HF}' AND outcome = 'ok' AND ok_count <= 1`;
  const rows = db.prepare(once).all() as { day: Day; okAt: string }[];
  const unsettled = rows
    .filter((r) => Date.parse(r.okAt) < dayToMs(addDays(r.day, 1 + SETTLE_DAYS)))
    // Days still inside the settle window are refreshed by the next incremental sync.
    .filter((r) => now.getTime() >= dayToMs(addDays(r.day, 1 + SETTLE_DAYS)))
    .map((r) => r.day);
  return unsettled.length
    ? dayFinding('settling', unsettled, `${plural(unsettled, 'day')} synced only once, before the list settled`)
    : { check: 'settling', ok: true, detail: 'every past day was synced after it settled, or more than once' };
}

function checkLists({ db }: CheckEnv): Finding {
  // Saved whole, but the list looked cut short: not settled until a list that looks whole.
  const suspect = `SELECT DISTINCT day FROM sync_days WHERE warning IS NOT NULL ORDER BY day`;
  const days = db.prepare(suspect).pluck().all() as Day[];
  const kept = 'their listings are kept whole until a list that looks whole (or `--prune`)';
  return days.length
    ? dayFinding('lists', days, `${plural(days, 'day')} whose last list looked cut short`, `; ${kept}`)
    : { check: 'lists', ok: true, detail: 'every list looked whole when last fetched' };
}

function checkUpvotes({ db, now }: CheckEnv): Finding {
  // Informational: upvotes climb for two weeks; incremental syncs refresh the recent days.
  const { recent, older } = unsettledDays(db, dayOf(now));
  const total = recent.length + older.length;
  if (total === 0) return { check: 'upvotes', ok: true, detail: 'the upvotes of every listing day have settled' };
  const parts = [`${total} listing day${total === 1 ? '' : 's'} whose upvotes may still move`];
  if (recent.length) {
    parts.push(`${recent.length} under ${UPVOTE_SETTLE_DAYS} days old, refreshed once a day by \`papers sync\``);
  }
  if (older.length) {
    const repair = syncCommand(older, true);
    parts.push(`${older.length} older, last fetched before they settled (${repair} refreshes them)`);
  }
  return { check: 'upvotes', ok: true, detail: parts.join('; '), days: [...older, ...recent] };
}

/** Every check, in the order doctor reports them. */
const CHECKS: Check[] = [
  { name: 'integrity', run: checkIntegrity },
  { name: 'schema', run: checkSchema },
  {
    name: 'permissions',
    run: ({ opts }) => (opts.path === undefined ? undefined : permissionFindings(opts.path, opts.who)),
  },
  { name: 'fts', run: checkFts },
  { name: 'gaps', run: checkGaps },
  { name: 'failed', run: checkFailedDays },
  { name: 'runs', run: checkRuns },
  { name: 'settling', run: checkSettling },
  { name: 'lists', run: checkLists },
  { name: 'upvotes', run: checkUpvotes },
];

export function rebuildIndex(db: DB): void {
  db.prepare(`INSERT INTO papers_fts(papers_fts) VALUES ('rebuild')`).run();
}
