// The archive stays writable (issue 15.5). A read by another user left -wal/-shm only that
// user could write, and every later write failed with "attempt to write a readonly
// database". Other users are real: the built CLI runs as `daemon` (the archive's owner) and
// `nobody` through setpriv, so these tests need root (CI runs as root) and `npm run build`.
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { acquireSyncLock, syncLockHeld } from '../src/db/lock.js';
import { diagnosePermissions, type Who } from '../src/db/permissions.js';
import { ROOT, fixturePath, fixtureDays, startHfServer } from './helpers/fixtures.js';
import { SETPRIV, requireProgram, requireRoot } from './helpers/system-tools.js';

const BIN = join(ROOT, 'bin', 'papers.js');
const DAEMON: Who = { uid: 1, gids: [1], name: 'daemon' };
const NOBODY: Who = { uid: 65534, gids: [65534], name: 'nobody' };

// Outside the per-file temp root (mode 0700): the other users must reach it.
const base = mkdtempSync('/tmp/papers-perm-');
chmodSync(base, 0o755);
afterAll(() => rmSync(base, { recursive: true, force: true }));

let dir: string;
let db: string;
beforeEach((ctx) => {
  // Other users are real: root to become them, setpriv to run papers as one.
  requireRoot(ctx, 'permissions.test.ts runs papers as other users');
  requireProgram(ctx, SETPRIV);
  dir = mkdtempSync(join(base, 'a-'));
  chmodSync(dir, 0o777); // a shared folder: anyone may create files in it
  db = join(dir, 'papers.db');
});

interface Run {
  stdout: string;
  stderr: string;
  code: number | null;
}

function as(who: Who, argv: string[], env: Record<string, string> = {}): Promise<Run> {
  const args = [`--reuid=${who.uid}`, `--regid=${who.gids[0]}`, '--clear-groups', process.execPath, BIN, ...argv];
  const child = spawn('setpriv', args, {
    env: {
      PATH: process.env.PATH!,
      HOME: dir,
      PAPERS_DB: db,
      HF_ENDPOINT: 'http://127.0.0.1:9',
      NO_COLOR: '1',
      ...env,
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ stdout, stderr, code })));
}

const files = () => readdirSync(dir).sort();
const importDay = (who: Who) => as(who, ['import', fixturePath('2024-06-13.json')]);

describe('another user reads the archive', () => {
  it('leaves no -wal/-shm behind, so the owner can still write', async () => {
    expect((await importDay(DAEMON)).code).toBe(0);
    expect(statSync(db).uid).toBe(DAEMON.uid);
    const read = await as(NOBODY, ['list']);
    expect(read.code, read.stderr).toBe(0);
    expect(read.stdout.split('\n').filter(Boolean)).toHaveLength(2);
    for (const cmd of [['search', 'token'], ['status'], ['show', '2406.08117']])
      expect((await as(NOBODY, cmd)).code).toBe(0);
    expect(files()).toEqual(['papers.db']);
    const write = await importDay(DAEMON);
    expect(write.code, write.stderr).toBe(0);
  });

  it('-wal/-shm already left by another user: writers name the file, owner and mode; reads still work', async () => {
    expect((await importDay(DAEMON)).code).toBe(0);
    for (const f of [`${db}-wal`, `${db}-shm`]) {
      writeFileSync(f, '');
      chownSync(f, NOBODY.uid, NOBODY.gids[0]!);
      chmodSync(f, 0o644);
    }
    const write = await importDay(DAEMON);
    expect(write.code).toBe(1);
    expect(write.stderr).toContain(
      `error: the archive ${db} is read-only (${db}-wal is owned by nobody (uid 65534), mode 0644; daemon cannot write it)`,
    );
    expect(write.stderr).toContain(`as root: chown daemon:daemon ${db}-wal && chmod 0644 ${db}-wal`);
    expect(write.stderr).not.toContain('attempt to write a readonly database');
    const read = await as(DAEMON, ['list']);
    expect(read.code, read.stderr).toBe(0);
    expect(read.stdout.split('\n').filter(Boolean)).toHaveLength(2);
    // The files another user left are not ours to remove.
    expect(files()).toEqual(['papers.db', 'papers.db-shm', 'papers.db-wal']);
  });
});

describe('doctor names a permission problem as such', () => {
  it('-wal/-shm left by another user: a permissions finding with the chown, before the FTS check', async () => {
    expect((await importDay(DAEMON)).code).toBe(0);
    for (const f of [`${db}-wal`, `${db}-shm`]) {
      writeFileSync(f, '');
      chownSync(f, NOBODY.uid, NOBODY.gids[0]!);
      chmodSync(f, 0o444);
    }
    const r = await as(DAEMON, ['doctor']);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    const checks = lines.filter((l) => /^(ok|FAIL) /.test(l)).map((l) => l.split(':')[0]);
    expect(checks.slice(0, 5)).toEqual(['ok integrity', 'ok schema', 'FAIL permissions', 'FAIL permissions', 'ok fts']);
    expect(r.stdout).toContain(
      `FAIL permissions: ${db}-wal is owned by nobody (uid 65534), mode 0444: daemon cannot write it, so every write to the archive fails`,
    );
    expect(r.stdout).toContain(`  repair: as root: chown daemon:daemon ${db}-wal && chmod 0644 ${db}-wal`);
    expect(r.stdout).toContain(`  repair: as root: chown daemon:daemon ${db}-shm && chmod 0644 ${db}-shm`);
    expect(r.stdout).not.toContain('--rebuild-index');
    const json = JSON.parse((await as(DAEMON, ['doctor', '--json'])).stdout) as {
      findings: { check: string; ok: boolean }[];
    };
    expect(json.findings.filter((f) => f.check === 'permissions').map((f) => f.ok)).toEqual([false, false]);
    // Its owner's files, as they should be: one ok line.
    const mine = await as(NOBODY, ['doctor']);
    expect(mine.stdout).toContain('FAIL permissions: the archive');
    const clean = join(dir, 'clean.db');
    expect((await as(DAEMON, ['import', fixturePath('2024-06-13.json')], { PAPERS_DB: clean })).code).toBe(0);
    const ok = await as(DAEMON, ['doctor'], { PAPERS_DB: clean });
    expect(ok.stdout).toContain('ok permissions: daemon can write the archive and the files beside it');
  });
});

describe('diagnosePermissions', () => {
  function archive(owner: Who, mode = 0o644): void {
    writeFileSync(db, '');
    chownSync(db, owner.uid, owner.gids[0]!);
    chmodSync(db, mode);
  }

  it('a clean archive of its owner: no problem', () => {
    archive(DAEMON);
    const r = diagnosePermissions(db, DAEMON);
    expect(r.problems).toEqual([]);
    expect(r.files.map((f) => [f.role, f.exists, f.writable])).toEqual([
      ['archive', true, true],
      ['folder', true, true],
      ['wal', false, false],
      ['shm', false, false],
      ['lock', false, false],
    ]);
  });

  it('names each file the user cannot write, with its owner, mode and the repair', () => {
    archive(DAEMON);
    for (const f of [`${db}-shm`, `${db}.sync-lock`]) {
      writeFileSync(f, '');
      chownSync(f, NOBODY.uid, NOBODY.gids[0]!);
      chmodSync(f, 0o444);
    }
    expect(diagnosePermissions(db, DAEMON).problems).toEqual([
      {
        file: `${db}-shm`,
        role: 'shm',
        detail: `${db}-shm is owned by nobody (uid 65534), mode 0444: daemon cannot write it, so every write to the archive fails (a read or sync by another user can leave it so)`,
        repair: `as root: chown daemon:daemon ${db}-shm && chmod 0644 ${db}-shm`,
      },
      {
        file: `${db}.sync-lock`,
        role: 'lock',
        detail: `${db}.sync-lock is owned by nobody (uid 65534), mode 0444: daemon cannot write it, so every sync fails (a read or sync by another user can leave it so)`,
        repair: `as root: chown daemon:daemon ${db}.sync-lock && chmod 0644 ${db}.sync-lock`,
      },
    ]);
    // Root writes anything; the archive's owner is what another user lacks.
    expect(diagnosePermissions(db, { uid: 0, gids: [0], name: 'root' }).problems).toEqual([]);
    expect(diagnosePermissions(db, NOBODY).problems.map((p) => p.role)).toEqual(['archive', 'shm', 'lock']);
  });

  it('group write counts for members; a folder the user cannot create files in is named', () => {
    archive(DAEMON, 0o664);
    expect(diagnosePermissions(db, { uid: 2, gids: [DAEMON.gids[0]!], name: 'bin' }).problems).toEqual([]);
    chmodSync(dir, 0o755);
    chownSync(dir, DAEMON.uid, DAEMON.gids[0]!);
    const p = diagnosePermissions(db, { uid: 2, gids: [DAEMON.gids[0]!], name: 'bin' }).problems;
    expect(p.map((x) => [x.role, x.file])).toEqual([['folder', dir]]);
    expect(p[0]!.detail).toBe(
      `bin cannot create files in ${dir} (owned by daemon (uid 1), mode 0755); writing needs ${db}-wal and ${db}-shm`,
    );
  });
});

describe('the sync lock', () => {
  it('is made as writable as the archive, and seen held by a read-only look', async () => {
    writeFileSync(db, '');
    chownSync(db, DAEMON.uid, DAEMON.gids[0]!);
    chmodSync(db, 0o664);
    const lock = await acquireSyncLock(`${db}.sync-lock`, { waitMs: 0 });
    try {
      const st = statSync(`${db}.sync-lock`);
      expect([st.mode & 0o777, st.gid]).toEqual([0o664, DAEMON.gids[0]]);
      expect(syncLockHeld(`${db}.sync-lock`)).toBe(true);
    } finally {
      lock!.release();
    }
    expect(syncLockHeld(`${db}.sync-lock`)).toBe(false);
    expect(existsSync(`${db}.sync-lock-journal`)).toBe(false);
  });

  it('left unwritable by another user: sync names it, its owner and mode', async () => {
    expect((await importDay(DAEMON)).code).toBe(0);
    writeFileSync(`${db}.sync-lock`, '');
    chownSync(`${db}.sync-lock`, NOBODY.uid, NOBODY.gids[0]!);
    const server = await startHfServer(fixtureDays());
    try {
      const r = await as(DAEMON, ['sync', '--date', '2024-06-13'], { HF_ENDPOINT: server.url });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        `error: cannot take the sync lock ${db}.sync-lock: it is owned by nobody (uid 65534), mode 0644; daemon cannot write it`,
      );
      expect(server.requests).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
