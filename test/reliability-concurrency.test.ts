// Concurrency with real processes on one archive: readers (`list`, `search`, `export`)
// in a loop while a sync writes many days, and two syncs started together.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SCHEMA_VERSION } from '../src/db/migrations.js';
import { migrate, openDb } from '../src/db/open.js';
import type { Paper } from '../src/core/papers.js';
import { useHfServer, type Entry } from './helpers/fixtures.js';
import {
  archiveState,
  comparableDump,
  dayEntries,
  dayList,
  requireBuild,
  runPapers,
  spawnPapers,
} from './helpers/reliability.js';
import { runCli, tempHome } from './helpers/run-cli.js';

// 30 days of 120 papers, each day listing 30 papers of the day before again: a reader
// that mixes two moments of the archive shows a day on some of its papers and not others.
const DAYS = dayList('2024-09-01', 30);
const served = new Map<string, Entry[]>(DAYS.map((d) => [d, dayEntries(d, 120, 30)]));
const servedIds = new Map<string, Set<string>>(
  [...served].map(([d, es]) => [d, new Set(es.map((e) => e.paper.id as string))]),
);
const RANGE = ['--since', DAYS[0]!, '--until', DAYS[DAYS.length - 1]!];

const server = useHfServer((d: string) => served.get(d));
let home: string;
let reference: ReturnType<typeof comparableDump>;
const env = () => ({ PAPERS_HOME: home, HF_ENDPOINT: server.url });
const dbPath = () => join(home, 'papers.db');

beforeAll(async () => {
  requireBuild();
  const h = tempHome();
  const r = await runCli(['sync', ...RANGE], { home: h, env: { HF_ENDPOINT: server.url } });
  expect(r.exitCode, r.stderr).toBe(0);
  reference = comparableDump(join(h, 'papers.db'));
}, 60_000);
beforeEach(() => {
  server.faults.length = 0;
  server.requests.length = 0;
  home = tempHome();
});

/**
 * Throws unless every day appears on none or on all of the papers of that day that the
 * output holds: a reader sees each day whole or not at all.
 */
function expectNoHalfDay(papers: Paper[], what: string): void {
  const shown = new Map<string, number>();
  for (const p of papers) for (const d of p.days) shown.set(d, (shown.get(d) ?? 0) + 1);
  for (const [day, n] of shown) {
    const ids = servedIds.get(day);
    if (!ids) throw new Error(`${what}: a day the server never listed: ${day}`);
    // Of the papers in the output, those the server lists on `day`: all must show it.
    const expected = papers.filter((p) => ids.has(p.id)).length;
    if (n !== expected) throw new Error(`${what}: half a day: ${day} shown on ${n} of the ${expected} papers it lists`);
  }
}

const READERS: { name: string; args: string[]; parse: (out: string) => Paper[] }[] = [
  { name: 'list', args: ['list', '--json'], parse: (s) => JSON.parse(s) as Paper[] },
  { name: 'search', args: ['search', 'generated', '--json', '-n', '1000000'], parse: (s) => JSON.parse(s) as Paper[] },
  {
    name: 'export',
    args: ['export', '-f', 'ndjson'],
    parse: (s) =>
      s
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Paper),
  },
  {
    name: 'export --query',
    args: ['export', '-f', 'json', '--query', 'study item'],
    parse: (s) => JSON.parse(s) as Paper[],
  },
];

describe('readers while a sync writes', () => {
  it('list, search and export in a loop never fail, never wait for "database is locked", never see half a day', async () => {
    // Slow enough (60 requests, two at a time, 50 ms each) for every reader to run several
    // times while days land, on a loaded machine too.
    server.faults.push({ match: 'daily_papers', kind: 'delay', ms: 50, times: Infinity });
    // The readers start with the sync, so some of them race it to create the archive.
    const sync = spawnPapers(['sync', ...RANGE, '--concurrency', '2'], env());
    let syncDone = false;
    const syncResult = sync.done.finally(() => (syncDone = true));
    const seen: Record<string, { runs: number; sizes: number[] }> = {};
    const failures: string[] = [];
    await Promise.all(
      READERS.map(async (reader) => {
        const log = (seen[reader.name] = { runs: 0, sizes: [] as number[] });
        // Until the sync ends, and once more after it.
        for (let last = false; ; ) {
          last = syncDone;
          const r = await runPapers(reader.args, env());
          log.runs++;
          // Before the sync has created the archive, a reader rightly finds none (and makes none).
          if (r.code === 1 && /^error: no archive at /.test(r.stderr)) continue;
          if (r.code !== 0 || r.stderr !== '') {
            failures.push(`${reader.name}: exit ${r.code}: ${r.stderr.trim()}`);
          } else {
            try {
              const papers = reader.parse(r.stdout);
              log.sizes.push(papers.length);
              expectNoHalfDay(papers, reader.name);
            } catch (err) {
              failures.push(String(err));
            }
          }
          if (last) break;
        }
      }),
    );
    const s = await syncResult;
    expect(failures).toEqual([]);
    expect(s.code, s.stderr).toBe(0);
    // The readers really ran during the sync, and saw it progress.
    for (const reader of READERS) {
      const log = seen[reader.name]!;
      expect(log.runs, reader.name).toBeGreaterThan(2);
      expect(new Set(log.sizes).size, `${reader.name} saw ${log.sizes.join(',')}`).toBeGreaterThan(1);
    }
    expect(seen.list!.sizes.at(-1)).toBe(new Set([...servedIds.values()].flatMap((s) => [...s])).size);
    expect(comparableDump(dbPath())).toEqual(reference);
  }, 120_000);
});

describe('a new archive opened by several processes at once', () => {
  it('a process that reads the archive just as another one creates it is not fooled (deterministic)', () => {
    const path = join(home, 'papers.db');
    // The other process: it creates the archive and migrates it, in one commit, at the
    // worst moment: right after our first read of the empty file.
    let fired = false;
    const other = () => {
      fired = true;
      const db = new Database(path);
      db.pragma('journal_mode = WAL');
      migrate(db);
      db.close();
    };
    const Statement = Object.getPrototypeOf(new Database(':memory:').prepare('SELECT 1'));
    const get = Statement.get;
    const pragma = Database.prototype.pragma;
    let hooked = true;
    const after = <T>(v: T): T => {
      if (hooked) {
        hooked = false;
        other();
      }
      return v;
    };
    const spyGet = vi.spyOn(Statement, 'get').mockImplementation(function (this: unknown, ...args: unknown[]) {
      return after(get.apply(this, args));
    });
    // Setting a pragma (busy_timeout = ...) reads nothing: the moment is after the first read.
    const spyPragma = vi.spyOn(Database.prototype, 'pragma').mockImplementation(function (
      this: Database.Database,
      ...args: Parameters<typeof pragma>
    ) {
      const v = pragma.apply(this, args);
      return String(args[0]).includes('=') ? v : after(v);
    });
    try {
      // Create the empty file first, as a process that got there first would.
      new Database(path).close();
      const db = openDb(path);
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      db.close();
    } finally {
      spyGet.mockRestore();
      spyPragma.mockRestore();
    }
    expect(fired).toBe(true);
  });

  it('readers and syncs started together on a missing archive: writers succeed, readers read or find none', async () => {
    for (let round = 0; round < 3; round++) {
      const h = tempHome();
      const e = { PAPERS_HOME: h, HF_ENDPOINT: server.url };
      const argvs = [
        ['list'],
        ['search', 'x'],
        ['status'],
        ['export', '-f', 'csv'],
        ['sync', '--date', DAYS[0]!],
        ['today', '--offline'],
        ['doctor'],
      ];
      const results = await Promise.all(argvs.map((a) => runPapers(a, e)));
      // Writers create the archive; a reader that comes first finds none and creates nothing.
      results.forEach((r, i) => {
        const said = `${argvs[i]!.join(' ')}: ${r.code} ${r.stderr.split('\n').find((l) => l.startsWith('error')) ?? ''}`;
        expect(said).toMatch(/: (0 |1 error: no archive at .*)$/);
        if (['sync', 'today'].includes(argvs[i]![0]!)) expect(said).toMatch(/: 0 $/);
      });
    }
  }, 60_000);
});

describe('two syncs started together', () => {
  it('by default one does the work and the other waits for it, then finds nothing left to do', async () => {
    server.faults.push({ match: 'daily_papers', kind: 'delay', ms: 120, times: Infinity });
    const [a, b] = await Promise.all([runPapers(['sync', ...RANGE], env()), runPapers(['sync', ...RANGE], env())]);
    expect([a.code, b.code], a.stderr + '\n---\n' + b.stderr).toEqual([0, 0]);
    const [waiter, worker] = a.stderr.startsWith('waiting') ? [a, b] : [b, a];
    expect(worker.stderr).toBe(
      `synced 30 days: ${reference.papers.length} papers (${reference.papers.length} papers new to the archive, 0 updated), 0 failed\n`,
    );
    expect(waiter.stderr).toMatch(
      /^waiting for another sync( \(pid \d+, hf\))? to finish…\nsynced 0 days: 0 papers \(0 papers new to the archive, 0 updated\), 0 failed, 30 settled days skipped\n$/,
    );
    // Each day was fetched once: two pages each.
    expect(server.requests).toHaveLength(60);
    expect(archiveState(dbPath()).integrity).toEqual(['ok']);
    expect(comparableDump(dbPath())).toEqual(reference);
  }, 60_000);

  it('with --wait 0 the second exits 1 at once, saying a sync is running; the result is one sync', async () => {
    server.faults.push({ match: 'daily_papers', kind: 'delay', ms: 120, times: Infinity });
    const [a, b] = await Promise.all([
      runPapers(['sync', ...RANGE, '--wait', '0'], env()),
      runPapers(['sync', ...RANGE, '--wait', '0'], env()),
    ]);
    const [ok, refused] = a.code === 0 ? [a, b] : [b, a];
    expect([ok.code, refused.code], `${a.stderr}\n---\n${b.stderr}`).toEqual([0, 1]);
    expect(refused.stderr).toMatch(
      /^error: another papers sync is running on this archive( \(pid \d+, started [^)]+\))?\nhint: it will finish on its own; run again later, or pass --wait 10m to queue behind it\n$/,
    );
    expect(refused.stdout).toBe('');
    expect(server.requests).toHaveLength(60);
    expect(comparableDump(dbPath())).toEqual(reference);
  }, 60_000);
});
