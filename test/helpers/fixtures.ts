// Fixture access, a generator for big days, a local server over the fixtures, and
// archive dumps for "nothing changed" comparisons.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startHfServer as startServerUntyped } from '../../kit/hf-server.mjs';
import { BESIDE_CLONE, samplesDir } from '../../kit/samples.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = join(ROOT, 'fixtures', 'hf-daily');
/**
 * The real captured bodies; read at run time, never copied into the repo. Found as the
 * benchmark finds them (kit/samples.mjs: $PAPERS_SAMPLES, else ../shared beside the clone),
 * so a clone anywhere runs the same tests.
 */
export const SHARED_DAILY = (() => {
  try {
    return join(samplesDir(), 'hf-api', 'daily');
  } catch {
    return join(BESIDE_CLONE, 'hf-api', 'daily'); // the tests that need them say it is missing
  }
})();

// biome-ignore lint/suspicious/noExplicitAny: entries are hostile JSON of any shape, poked at freely in tests
export type Entry = Record<string, any>;

export function fixturePath(name: string): string {
  return join(FIXTURES, name);
}

export function readFixture(name: string): string {
  return readFileSync(fixturePath(name), 'utf8');
}

export function fixtureEntries(name: string): Entry[] {
  return JSON.parse(readFixture(name)) as Entry[];
}

/** Every `YYYY-MM-DD.json` fixture as day -> entries. */
export function fixtureDays(): Map<string, Entry[]> {
  const days = new Map<string, Entry[]>();
  for (const f of readdirSync(FIXTURES).sort()) {
    const m = /^(\d{4}-\d{2}-\d{2})\.json$/.exec(f);
    if (m) days.set(m[1]!, fixtureEntries(f));
  }
  return days;
}

/**
 * A listing day of `n` entries in the 2025 shape, ordered by upvotes like the API.
 * Ids are unique per (day, index); `prefix` changes them for a second set.
 */
export function makeEntries(day: string, n: number, prefix = ''): Entry[] {
  const yymm = day.slice(2, 4) + day.slice(5, 7);
  const out: Entry[] = [];
  for (let i = 0; i < n; i++) {
    const id = `${yymm}.${String(prefix ? 50000 + i : 10000 + i).padStart(5, '0')}`;
    const user = {
      _id: `u${i}`,
      avatarUrl: `/avatars/u${i}.svg`,
      isPro: false,
      fullname: `Submitter ${i}`,
      user: `sub${i}`,
      type: 'user',
    };
    const title = `Generated Paper ${prefix}${i} on ${day}:\n  A Study of Item ${i}`;
    const summary = `Abstract of generated paper ${i}\nlisted on ${day}.`;
    out.push({
      paper: {
        id,
        authors: [
          { _id: `a${i}-1`, name: `Author ${i} One`, hidden: false },
          { _id: `a${i}-2`, name: `Author ${i} Two`, hidden: false },
        ],
        publishedAt: `${day}T01:00:00.000Z`,
        submittedOnDailyAt: `${day}T00:00:00.000Z`,
        title,
        submittedOnDailyBy: user,
        summary,
        upvotes: n - i,
        discussionId: `d${i}`,
        ai_keywords: [`topic ${i % 7}`],
      },
      publishedAt: `${day}T00:00:00.000Z`,
      title,
      summary,
      thumbnail: `https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/${id}.png`,
      numComments: i % 3,
      submittedBy: {
        _id: `u${i}`,
        avatarUrl: `/avatars/u${i}.svg`,
        fullname: `Submitter ${i}`,
        name: `sub${i}`,
        type: 'user',
      },
      isAuthorParticipating: false,
    });
  }
  return out;
}

export interface ServerRequest {
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  at: number;
}

export interface Fault {
  match: string | RegExp;
  kind:
    | 'status'
    | 'reset'
    | 'truncate'
    | 'truncate-close'
    | 'truncate-eof'
    | 'html200'
    | 'hang'
    | 'slow-body'
    | 'delay';
  times?: number;
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  ms?: number;
  contentType?: string;
  /** A fault that a test may legitimately never meet (not verified after the test). */
  optional?: boolean;
  hits?: number;
}

export interface HfServer {
  url: string;
  faults: Fault[];
  requests: ServerRequest[];
  /** Faults no request met (unless `optional`). */
  unmet(): string[];
  /** Forgets faults and requests. */
  reset(): void;
  close(): Promise<void>;
}

export async function startHfServer(
  days: Map<string, Entry[]> | ((day: string) => Entry[] | undefined),
  opts: { noHtml?: boolean } = {},
): Promise<HfServer> {
  return (await startServerUntyped(days, opts)) as HfServer;
}

/**
 * The local server of a test file: started before its tests, closed after them. After
 * each test its faults are verified (each must have been met, as gh's httpmock.Verify
 * checks stubs; `optional: true` exempts one) and forgotten, with the request log.
 */
export function useHfServer(
  days: Map<string, Entry[]> | ((day: string) => Entry[] | undefined),
  opts: { noHtml?: boolean } = {},
): HfServer {
  let server: HfServer | undefined;
  beforeAll(async () => {
    server = await startHfServer(days, opts);
  });
  afterEach(() => {
    if (!server) return;
    const unmet = server.unmet();
    server.reset();
    if (unmet.length) throw new Error(`faults set up but never requested: ${unmet.join('; ')}`);
  });
  afterAll(async () => {
    await server?.close();
  });
  return new Proxy({} as HfServer, {
    get(_t, key) {
      if (!server) throw new Error('useHfServer: the server starts in beforeAll; use it inside tests');
      const v = (server as unknown as Record<PropertyKey, unknown>)[key];
      return typeof v === 'function' ? v.bind(server) : v;
    },
  });
}

/** `{path, date, p, limit}` of each request, in order, for exact request assertions. */
export function requestLog(server: HfServer): string[] {
  return server.requests.map((r) =>
    r.path === '/api/daily_papers' ? `api ${r.query.date} limit=${r.query.limit} p=${r.query.p}` : `page ${r.path}`,
  );
}

export function openArchive(path: string): Database.Database {
  return new Database(path, { readonly: true, fileMustExist: true });
}

export interface Dump {
  papers: Record<string, unknown>[];
  listings: Record<string, unknown>[];
}

/** Every paper row (all columns) and every listing, in a stable order. */
export function dumpArchive(path: string): Dump {
  const db = openArchive(path);
  try {
    return {
      papers: db.prepare('SELECT * FROM papers ORDER BY id').all() as Record<string, unknown>[],
      listings: db.prepare('SELECT * FROM listings ORDER BY source, day, paper_id').all() as Record<string, unknown>[],
    };
  } finally {
    db.close();
  }
}

export function query<T = Record<string, unknown>>(path: string, sql: string, ...params: unknown[]): T[] {
  const db = openArchive(path);
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** Throws unless the FTS index agrees with the papers table (rank 1: checks the content too). */
export function checkFts(path: string): void {
  const db = new Database(path);
  try {
    db.exec(`INSERT INTO papers_fts(papers_fts, rank) VALUES ('integrity-check', 1)`);
  } finally {
    db.close();
  }
}

// eslint-disable-next-line no-control-regex
export const ANSI = /\u001b\[[0-9;]*m/;
// eslint-disable-next-line no-control-regex
export const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');

/** Lines of stderr that look like a stack trace. */
export function stackLines(s: string): string[] {
  return s.split('\n').filter((l) => /^\s+at\s/.test(l));
}

/**
 * The seed of a randomised test: fixed by default, so a run is repeatable; another one
 * with PAPERS_TEST_SEED=N. Printed, so a failure can be replayed.
 */
export function testSeed(fallback: number): number {
  const env = process.env.PAPERS_TEST_SEED;
  const seed = env !== undefined && /^\d+$/.test(env) ? Number(env) : fallback;
  console.log(`random seed ${seed} (replay: PAPERS_TEST_SEED=${seed})`);
  return seed;
}
