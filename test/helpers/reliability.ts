// Helpers for the reliability tests: the built CLI as a real process, generated days
// whose papers are unique per day (so "a half day" is countable), archive dumps that
// leave out the clock, and tmpfs mounts for storage faults.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ROOT, makeEntries, type Entry } from './fixtures.js';

export const BIN = join(ROOT, 'bin', 'papers.js');

/** Fails loudly when the bundle the spawned processes run is missing. */
export function requireBuild(): void {
  if (!existsSync(join(ROOT, 'dist', 'papers.cjs'))) {
    throw new Error('dist/papers.cjs is missing: run `npm run build` (npm test does it) before these tests');
  }
}

export interface ProcResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Proc {
  child: ChildProcess;
  /** Output so far. */
  stdout(): string;
  stderr(): string;
  done: Promise<ProcResult>;
}

/** `node bin/papers.js ...args` with a clean environment (no colour, no proxy, no token). */
export function spawnPapers(args: string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: env.HOME ?? mkdtempSync(join(tmpdir(), 'papers-proc-home-')),
      TZ: 'UTC',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (err += s));
  const done = new Promise<ProcResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout: out, stderr: err }));
  });
  return { child, stdout: () => out, stderr: () => err, done };
}

export async function runPapers(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<ProcResult> {
  const p = spawnPapers(args, env);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), timeoutMs);
  try {
    return await p.done;
  } finally {
    clearTimeout(timer);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `cond` every `everyMs` until it holds; throws with `what` after `timeoutMs`. */
export async function waitFor(cond: () => boolean, what: string, timeoutMs = 20_000, everyMs = 2): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

/**
 * `n` entries for `day` whose ids are unique to that day (makeEntries reuses ids across
 * a month), plus the first `relist` entries of the day before, listed again (as Hugging
 * Face does): a paper on two days is what makes a half-written day visible to a reader.
 */
export function dayEntries(day: string, n: number, relist = 0): Entry[] {
  const dd = Number(day.slice(8, 10));
  const yymm = day.slice(2, 4) + day.slice(5, 7);
  const own = makeEntries(day, n).map((e, i) => withId(e, `${yymm}.${String(dd * 3000 + i).padStart(5, '0')}`));
  if (relist === 0 || dd === 1) return own;
  const prev = `${day.slice(0, 8)}${String(dd - 1).padStart(2, '0')}`;
  return [...own, ...dayEntries(prev, Math.max(relist, 1), 0).slice(0, relist)];
}

function withId(e: Entry, id: string): Entry {
  const c = structuredClone(e);
  c.paper.id = id;
  // Titles of different lengths, so that search ranks the papers of all days shuffled
  // together (as real titles are), not day by day in the order they were inserted.
  const n = Number(id.replace('.', '')) % 13;
  c.title = c.paper.title = `${c.title} with${' filler'.repeat(n)}`;
  c.thumbnail = `https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/${id}.png`;
  return c;
}

export function dayList(first: string, count: number): string[] {
  const out: string[] = [];
  const t = Date.parse(`${first}T00:00:00Z`);
  for (let i = 0; i < count; i++) out.push(new Date(t + i * 86_400_000).toISOString().slice(0, 10));
  return out;
}

export interface ArchiveState {
  integrity: string[];
  /** day -> listing count */
  listings: Record<string, number>;
  /** day -> outcome */
  syncDays: Record<string, string>;
  papers: number;
}

/**
 * The state of the archive at `path`. With `mayBeNew`, a sync killed before it created the
 * file, or before its first migration committed, left no archive (or an empty SQLite file):
 * that is a sound state too, and reads as an empty archive.
 */
export function archiveState(path: string, opts: { mayBeNew?: boolean } = {}): ArchiveState {
  const empty = (integrity: string[]): ArchiveState => ({ integrity, listings: {}, syncDays: {}, papers: 0 });
  if (opts.mayBeNew && !existsSync(path)) return empty(['ok']);
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
    if (
      opts.mayBeNew &&
      db.prepare(`SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'`).pluck().get() === 0
    ) {
      return empty(integrity);
    }
    const listings: Record<string, number> = {};
    for (const r of db.prepare('SELECT day, count(*) AS n FROM listings GROUP BY day ORDER BY day').all() as {
      day: string;
      n: number;
    }[]) {
      listings[r.day] = r.n;
    }
    const syncDays: Record<string, string> = {};
    for (const r of db.prepare('SELECT day, outcome FROM sync_days ORDER BY day').all() as {
      day: string;
      outcome: string;
    }[]) {
      syncDays[r.day] = r.outcome;
    }
    const papers = db.prepare('SELECT count(*) FROM papers').pluck().get() as number;
    return { integrity, listings, syncDays, papers };
  } finally {
    db.close();
  }
}

/**
 * What two archives of the same days must agree on: every paper column but the clock
 * (first_seen, updated_at) and the row key, every listing, and the FTS index contents.
 */
export function comparableDump(path: string): { papers: unknown[]; listings: unknown[]; fts: unknown[] } {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const papers = (db.prepare('SELECT * FROM papers ORDER BY id').all() as Record<string, unknown>[]).map(
      ({ pk: _pk, first_seen: _f, updated_at: _u, ...rest }) => rest,
    );
    const listings = db
      .prepare('SELECT source, day, paper_id, rank FROM listings ORDER BY source, day, paper_id')
      .all();
    const fts = db
      .prepare(
        `SELECT p.id, f.title, f.abstract, f.authors FROM papers_fts f JOIN papers p ON p.pk = f.rowid ORDER BY p.id`,
      )
      .all();
    return { papers, listings, fts };
  } finally {
    db.close();
  }
}

/** Every paper has exactly the listing days it should; throws naming the first half day. */
export function expectWholeDays(state: ArchiveState, served: (day: string) => number): void {
  for (const [day, n] of Object.entries(state.listings)) {
    if (n !== served(day))
      throw new Error(`half a day in the archive: ${day} has ${n} listings, the server lists ${served(day)}`);
  }
  for (const [day, outcome] of Object.entries(state.syncDays)) {
    if (outcome === 'ok' && state.listings[day] !== served(day)) {
      throw new Error(`${day} is recorded ok but has ${state.listings[day] ?? 0} of ${served(day)} listings`);
    }
  }
}

// ---- tmpfs mounts (root only; CI runs as root) ----

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

export function mountTmpfs(sizeKb: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'papers-mnt-'));
  mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k,mode=0755`, 'tmpfs', dir]);
  return dir;
}

export function remount(dir: string, mode: 'ro' | 'rw'): void {
  execFileSync('mount', ['-o', `remount,${mode}`, dir]);
}

/** More room on a tmpfs (a full disk freed). */
export function resizeTmpfs(dir: string, sizeKb: number): void {
  execFileSync('mount', ['-o', `remount,size=${sizeKb}k`, dir]);
}

export function unmount(dir: string): void {
  try {
    execFileSync('umount', [dir]);
  } catch {
    execFileSync('umount', ['-l', dir]);
  }
}
