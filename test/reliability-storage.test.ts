// Storage faults: a read-only archive (file system or permissions), a full disk, an
// archive from a newer papers, a damaged file. Each gets a clear `error:` and exit 1 (or,
// for reading commands on a read-only archive, just works), and nothing is destroyed.
// The storage is real: as root (CI) a small tmpfs mounted and remounted read-only;
// otherwise file permissions, and a disk that fills up on a tmpfs when we may mount one.
import {
  chmodSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  closeSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SCHEMA_VERSION } from '../src/db/migrations.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SHARED_DAILY, stackLines, useHfServer, type Entry } from './helpers/fixtures.js';
import {
  archiveState,
  comparableDump,
  dayEntries,
  dayList,
  expectWholeDays,
  isRoot,
  mountTmpfs,
  remount,
  resizeTmpfs,
  spawnPapers,
  unmount,
  waitFor,
} from './helpers/reliability.js';
import { runCli, tempHome, type CliResult } from './helpers/run-cli.js';

const NOW = '2025-07-20T12:00:00Z';
// 30 real days (read from the shared samples at run time) and 40 generated ones.
let REAL: string[] = [];
const GEN = dayList('2025-02-01', 28);
const served = new Map<string, Entry[]>();
const server = useHfServer((d: string) => served.get(d));
const mounts: string[] = [];

beforeAll(async () => {
  if (!existsSync(SHARED_DAILY)) throw new Error(`the real samples are missing: ${SHARED_DAILY}`);
  REAL = readdirSync(SHARED_DAILY)
    .map((f) => /^(\d{4}-\d{2}-\d{2})\.json$/.exec(f)?.[1])
    .filter((d): d is string => !!d && d >= '2025-05-01')
    .sort()
    .slice(0, 30);
  expect(REAL).toHaveLength(30);
  for (const d of REAL) served.set(d, JSON.parse(readFileSync(join(SHARED_DAILY, `${d}.json`), 'utf8')) as Entry[]);
  for (const d of GEN) served.set(d, dayEntries(d, 60, 5));
});
afterAll(async () => {
  for (const m of mounts.splice(0)) {
    try {
      remount(m, 'rw');
    } catch {
      /* already rw or gone */
    }
    unmount(m);
  }
});
beforeEach(() => {
  server.faults.length = 0;
  server.requests.length = 0;
});

const range = (days: string[]) => ['--since', days[0]!, '--until', days[days.length - 1]!];

function cli(home: string, argv: string[], opts: { tty?: boolean } = {}): Promise<CliResult> {
  return runCli(argv, { home, now: NOW, env: { HF_ENDPOINT: server.url }, ...opts });
}

/** stderr is one `error:` line (and maybe a `hint:` line), no stack trace. */
function expectError(r: CliResult, message: RegExp) {
  expect(r.exitCode, r.stderr).toBe(1);
  expect(stackLines(r.stderr)).toEqual([]);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines[0]).toMatch(message);
  expect(lines.length).toBeLessThanOrEqual(2);
  if (lines[1] !== undefined) expect(lines[1]).toMatch(/^hint: /);
}

/** Every file of a folder with its bytes. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir).sort()) out[f] = readFileSync(join(dir, f)).toString('base64');
  return out;
}

/** A folder whose archive cannot be written: a tmpfs remounted read-only, or permissions. */
function makeReadOnly(dir: string) {
  if (isRoot) remount(dir, 'ro');
  else {
    for (const f of readdirSync(dir)) chmodSync(join(dir, f), 0o444);
    chmodSync(dir, 0o555);
  }
}
function makeWritable(dir: string) {
  if (isRoot) remount(dir, 'rw');
  else {
    chmodSync(dir, 0o755);
    for (const f of readdirSync(dir)) chmodSync(join(dir, f), 0o644);
  }
}
function storageDir(sizeKb = 16 * 1024): string {
  if (!isRoot) return tempHome();
  const m = mountTmpfs(sizeKb);
  mounts.push(m);
  return m;
}

const READS: string[][] = [
  ['list', '--json'],
  ['list'],
  ['search', 'language model', '--json'],
  ['show', '--json'], // the id is filled in below
  ['grep', '-i', 'benchmark'],
  ['export', '-f', 'csv'],
  ['export', '-f', 'markdown', '--since', '2025-05-10'],
  ['export', '-f', 'bibtex', '--query', 'reasoning'],
  ['stats', '--json'],
  ['today', '--offline', '--date', '2025-05-12', '--json'],
];

describe('a read-only archive', () => {
  let dir: string;
  let before: Map<string, CliResult>;
  let someId: string;

  beforeAll(async () => {
    dir = storageDir();
    const r = await cli(dir, ['sync', ...range(REAL)]);
    expect(r.exitCode, r.stderr).toBe(0);
    someId = (JSON.parse((await cli(dir, ['list', '--json', '--limit', '1'])).stdout) as { id: string }[])[0]!.id;
    READS[3] = ['show', someId, '--json'];
    READS.push(['similar', someId, '--json']);
    before = new Map();
    for (const argv of READS) before.set(argv.join(' '), await cli(dir, argv));
    for (const [k, v] of before) expect(v.exitCode, `${k}: ${v.stderr}`).toBe(0);
    for (const [k, v] of before) if (!k.startsWith('stats')) expect(v.stdout.length, k).toBeGreaterThan(10);
    makeReadOnly(dir);
  }, 60_000);
  afterAll(() => makeWritable(dir));

  it('still answers every reading command, exactly as when it was writable', async () => {
    const files = snapshot(dir);
    for (const argv of READS) {
      const r = await cli(dir, argv);
      expect(r, argv.join(' ')).toEqual(before.get(argv.join(' ')));
    }
    const status = await cli(dir, ['status', '--json']);
    expect(status.exitCode).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ papers: expect.any(Number), days: 30 });
    expect(snapshot(dir)).toEqual(files);
  });

  it('`today` shows the archive as it is, with a warning instead of a refresh', async () => {
    const r = await cli(dir, ['today', '--date', '2025-05-12', '--json'], {});
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(before.get('today --offline --date 2025-05-12 --json')!.stdout);
    // 2025-05-12 was synced long after it ended: settled, so no refresh was due.
    expect(r.stderr).toBe('');
    // A day it does not have: due for a refresh, which a read-only archive cannot take.
    const stale = await runCli(['today', '--json'], {
      home: dir,
      now: '2025-08-01T08:00:00Z',
      env: { HF_ENDPOINT: server.url },
    });
    expect(stale.exitCode).toBe(0);
    expect(stale.stderr).toMatch(
      /^warning: the archive is read-only, so 2025-08-01 was not refreshed; showing the archive as it is\n/,
    );
    expect((JSON.parse(stale.stdout) as unknown[]).length).toBeGreaterThan(0);
    expect(server.requests).toEqual([]);
  });

  it('a missing archive in a read-only folder: a clear error, nothing created', async () => {
    const files = snapshot(dir);
    const read = await runCli(['list'], { now: NOW, env: { PAPERS_DB: join(dir, 'other.db') } });
    expectError(
      read,
      new RegExp(`^error: no archive at ${join(dir, 'other.db').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
    );
    const r = await runCli(['today', '--offline'], { now: NOW, env: { PAPERS_DB: join(dir, 'other.db') } });
    expectError(
      r,
      new RegExp(
        `^error: cannot create the archive ${join(dir, 'other.db').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: (its file system is read-only|its folder .* is not writable)$`,
      ),
    );
    expect(snapshot(dir)).toEqual(files);
  });

  it('doctor checks it without writing', async () => {
    const files = snapshot(dir);
    const r = await cli(dir, ['doctor']);
    expect(r.stdout).toMatch(/^ok integrity: SQLite integrity check passed$/m);
    expect(r.stdout).toMatch(/^ok fts: full-text index not checked: the archive is read-only$/m);
    expect(snapshot(dir)).toEqual(files);
  });

  it('writing commands refuse with a clear error, exit 1, and change nothing', async () => {
    const files = snapshot(dir);
    const db = join(dir, 'papers.db');
    const reason = isRoot ? 'its file system is read-only' : 'the file is not writable';
    const message = new RegExp(
      `^error: the archive ${db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is read-only \\(${reason}\\); papers cannot write to it$`,
    );
    const imp = join(tempHome(), '2025-05-12.json');
    writeFileSync(imp, JSON.stringify(served.get(REAL[0]!)));
    for (const argv of [
      ['sync', '--date', REAL[0]!],
      ['sync'],
      ['import', imp],
      ['doctor', '--rebuild-index'],
      ['watch', 'add', 'x', '-k', 'agent'],
      ['new', '--mark-seen'],
    ]) {
      const r = await cli(dir, argv);
      expectError(r, message);
    }
    expect(server.requests).toEqual([]);
    expect(snapshot(dir)).toEqual(files);
  });
});

describe('a read-only archive left by a crash (its -wal and -shm still there)', () => {
  it('reads the days committed before the crash', async () => {
    const dir = storageDir();
    server.faults.push({ match: 'daily_papers', kind: 'delay', ms: 10, times: Infinity });
    const p = spawnPapers(['sync', ...range(GEN), '--concurrency', '1'], { PAPERS_HOME: dir, HF_ENDPOINT: server.url });
    await waitFor(() => server.requests.some((r) => r.query.date === GEN[6]), `the request for ${GEN[6]}`);
    p.child.kill('SIGKILL');
    expect((await p.done).signal).toBe('SIGKILL');
    expect(existsSync(join(dir, 'papers.db-wal'))).toBe(true);
    makeReadOnly(dir);
    try {
      const r = await cli(dir, ['list', '--json']);
      expect(r.exitCode, r.stderr).toBe(0);
      const days = new Set((JSON.parse(r.stdout) as { days: string[] }[]).flatMap((x) => x.days));
      expect([...days].sort()).toEqual(GEN.slice(0, 6));
    } finally {
      makeWritable(dir);
    }
    // Writable again: the next sync completes it.
    server.faults.length = 0;
    const r = await cli(dir, ['sync', ...range(GEN)]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(archiveState(join(dir, 'papers.db')).listings).toEqual(
      Object.fromEntries(GEN.map((d) => [d, served.get(d)!.length])),
    );
  });
});

describe('a full disk', () => {
  it('fails the sync with a clear error, keeps the whole days it saved, and the next sync completes them', async () => {
    const ref = tempHome();
    expect((await cli(ref, ['sync', ...range(REAL)])).exitCode).toBe(0);
    let dir: string;
    let r: CliResult;
    if (isRoot) {
      // A real file system of 1.5 MB: the real days do not fit.
      dir = storageDir(1536);
      r = await cli(dir, ['sync', ...range(REAL)]);
    } else {
      // No small file system to fill without root: the same failure from SQLite,
      // injected into the eighth day's transaction, must end the same way.
      dir = tempHome();
      const Statement = Object.getPrototypeOf(new Database(':memory:').prepare('SELECT 1'));
      const run = Statement.run;
      let days = 0;
      const spy = vi.spyOn(Statement, 'run').mockImplementation(function (
        this: { source: string },
        ...args: unknown[]
      ) {
        if (/INSERT INTO sync_days/.test(this.source) && /ok_count/.test(this.source) && ++days === 8) {
          throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
        }
        return run.apply(this, args);
      });
      try {
        r = await cli(dir, ['sync', ...range(REAL), '--concurrency', '1']);
      } finally {
        spy.mockRestore();
      }
    }
    expectError(r, /^error: database error: database or disk is full$/);
    expect(r.stderr).toContain(
      'hint: the disk is full: free some space and run again; the archive keeps every whole day already saved',
    );
    const db = join(dir, 'papers.db');
    const s = archiveState(db);
    expect(s.integrity).toEqual(['ok']);
    expectWholeDays(s, (d) => served.get(d)!.length);
    expect(Object.keys(s.listings).length).toBeGreaterThan(0);
    expect(Object.keys(s.listings).length).toBeLessThan(REAL.length);
    const kept = comparableDump(db);
    // Reading still works on the full disk.
    const list = await cli(dir, ['list', '--json']);
    expect(list.exitCode, list.stderr).toBe(0);
    expect((JSON.parse(list.stdout) as unknown[]).length).toBe(kept.papers.length);
    // More room: the same command finishes the job, and loses nothing.
    if (isRoot) resizeTmpfs(dir, 32 * 1024);
    const again = await cli(dir, ['sync', ...range(REAL)]);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(comparableDump(db)).toEqual(comparableDump(join(ref, 'papers.db')));

    if (isRoot) {
      // A disk already full when the archive is first created.
      const full = storageDir(256);
      const fd = openSync(join(full, 'filler'), 'w');
      try {
        const block = Buffer.alloc(64 * 1024, 1);
        for (;;) writeSync(fd, block);
      } catch (err) {
        expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
      } finally {
        closeSync(fd);
      }
      expectError(
        await cli(full, ['sync', '--date', REAL[0]!]),
        /^error: cannot use the archive .*: database or disk is full$/,
      );
      // A read never writes a schema (issue 23.10): the empty file the sync left is no archive.
      expectError(await cli(full, ['list']), /^error: no archive at .*: the file is empty$/);
    }
  });
});

describe('an archive from a newer papers', () => {
  it('is refused by every command with a message, never migrated down, left byte for byte as it was', async () => {
    const home = tempHome();
    expect((await cli(home, ['sync', ...range(GEN.slice(0, 3))])).exitCode).toBe(0);
    server.requests.length = 0;
    const path = join(home, 'papers.db');
    const raw = new Database(path);
    raw.exec('CREATE TABLE future_feature (x)');
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const files = snapshot(home);
    const imp = join(tempHome(), `${GEN[0]}.json`);
    writeFileSync(imp, JSON.stringify(served.get(GEN[0]!)));
    const message = new RegExp(
      `^error: the archive ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is from a newer version of papers \\(schema ${SCHEMA_VERSION + 1}; this papers knows up to \\d+\\)$`,
    );
    for (const argv of [
      ['status'],
      ['list'],
      ['search', 'generated'],
      ['show', '2502.03000'],
      ['export', '-f', 'json'],
      ['today', '--offline'],
      ['today'],
      ['sync', '--date', GEN[0]!],
      ['sync'],
      ['import', imp],
      ['doctor'],
      ['doctor', '--rebuild-index'],
    ]) {
      const r = await cli(home, argv);
      expectError(r, message);
      expect(r.stderr).toContain('hint: upgrade papers (npm install -g papers@latest); the archive was left as it is');
      expect(r.stdout, argv.join(' ')).toBe('');
    }
    expect(snapshot(home)).toEqual(files);
    expect(server.requests).toEqual([]);
    const check = new Database(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    check.close();
  });
});

describe('a damaged archive', () => {
  // A seeded generator: the same pages get the same garbage on every run.
  function garbage(seed: number) {
    let x = seed;
    return () => (x = (x * 48271) % 2147483647) / 2147483647;
  }

  async function realArchive(): Promise<{ home: string; path: string; pages: number }> {
    const home = tempHome();
    const r = await cli(home, ['sync', ...range(REAL)]);
    expect(r.exitCode, r.stderr).toBe(0);
    const path = join(home, 'papers.db');
    COMMANDS[4] = ['show', served.get(REAL[3]!)![0]!.paper.id as string];
    return { home, path, pages: statSync(path).size / 4096 };
  }

  function scribble(path: string, pages: number[], random: () => number, from = 0) {
    const fd = openSync(path, 'r+');
    try {
      for (const pg of pages) {
        const b = Buffer.alloc(4096 - from);
        for (let i = 0; i < b.length; i++) b[i] = Math.floor(random() * 256);
        writeSync(fd, b, 0, b.length, (pg - 1) * 4096 + from);
      }
    } finally {
      closeSync(fd);
    }
  }

  const COMMANDS = [
    ['status'],
    ['list'],
    ['list', '--json'],
    ['search', 'model'],
    ['show', ''],
    ['export', '-f', 'csv'],
    ['grep', 'LLM'],
    ['today', '--offline', '--date', '2025-05-12'],
    ['stats'],
  ];

  for (const seed of [11, 29, 47]) {
    it(`random bytes over pages (seed ${seed}): clear errors or right answers, doctor reports it, exit 1, the file intact`, async () => {
      const { home, path, pages } = await realArchive();
      const random = garbage(seed);
      const hit = new Set<number>();
      while (hit.size < 6) hit.add(2 + Math.floor(random() * (pages - 1)));
      scribble(path, [...hit], random);
      const files = snapshot(home);
      for (const argv of COMMANDS) {
        const r = await cli(home, argv);
        expect(stackLines(r.stderr), argv.join(' ')).toEqual([]);
        if (r.exitCode !== 0) {
          expectError(r, /^error: (database error: database disk image is malformed|.*malformed.*|.*corrupt.*)$/i);
          expect(r.stderr).toContain('hint: the archive is damaged: run `papers doctor`');
        }
      }
      expect(snapshot(home), 'reading a damaged archive must not change it').toEqual(files);
      const doctor = await cli(home, ['doctor']);
      expect(doctor.exitCode).toBe(1);
      expect(doctor.stderr).toBe('');
      expect(doctor.stdout).toMatch(/^FAIL integrity: SQLite integrity check failed: .+$/m);
      expect(doctor.stdout).toContain(`  repair: mv '${path}' '${path}.damaged' && papers sync --since`);
      const json = JSON.parse((await cli(home, ['doctor', '--json'])).stdout) as {
        ok: boolean;
        findings: { check: string; ok: boolean }[];
      };
      expect(json.ok).toBe(false);
      expect(json.findings.find((f) => f.check === 'integrity')?.ok).toBe(false);
      expect(snapshot(home)).toEqual(files);
      // A sync may fail on the damage or write around it; it never deletes or truncates the file.
      const sync = await cli(home, ['sync', '--date', REAL[0]!]);
      expect(stackLines(sync.stderr)).toEqual([]);
      expect([0, 1]).toContain(sync.exitCode);
      expect(statSync(path).size).toBeGreaterThanOrEqual(pages * 4096);
      expect((await cli(home, ['doctor'])).exitCode).toBe(1);
    });
  }

  it('damage to the schema itself: every command says so, doctor reports it and how to start over', async () => {
    const { home, path } = await realArchive();
    // Page 1 past the 100-byte file header: the root of sqlite_master.
    scribble(path, [1], garbage(5), 100);
    const files = snapshot(home);
    for (const argv of [['status'], ['list'], ['sync', '--date', REAL[0]!], ['today']]) {
      const r = await cli(home, argv);
      expectError(r, /^error: cannot use the archive .*: (database disk image is malformed|file is not a database)$/);
      expect(r.stderr).toContain('hint: the archive is damaged');
    }
    const doctor = await cli(home, ['doctor']);
    expect(doctor.exitCode).toBe(1);
    expect(doctor.stderr).toBe('');
    expect(doctor.stdout).toBe(
      `FAIL integrity: the archive cannot be opened: ${doctor.stdout.match(/opened: (.*)\n/)![1]}\n  repair: mv '${path}' '${path}.damaged' && papers sync --since <first day>\n`,
    );
    expect(snapshot(home)).toEqual(files);
  });
});
