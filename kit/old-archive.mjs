// Archives as an older papers left them, for the migration tests and the migration benchmark
// (bench/migrate.mjs): both bring one to the current schema. better-sqlite3 and the migration
// list are handed in, since the tests read src/ and the benchmark the built modules.

/**
 * An archive at schema `version`, made by running the first `version` migrations.
 * @param {typeof import('better-sqlite3')} Database
 * @param {{ name: string, up: (db: import('better-sqlite3').Database) => void }[]} migrations
 * @param {number} version
 * @param {string} path
 * @returns {import('better-sqlite3').Database}
 */
export function oldArchive(Database, migrations, version, path) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  for (const m of migrations.slice(0, version)) {
    m.up(db);
    db.prepare('INSERT INTO migrations VALUES (?, ?)').run(m.name, '2025-01-01T00:00:00.000Z');
  }
  db.pragma(`user_version = ${version}`);
  return db;
}

/**
 * Fills an archive from before m006 with `papers` papers, `runs` hourly sync runs and
 * `snapshots` upvote snapshots spread over them, from `seed`: most runs last minutes, some
 * never finished (a crash), a few overlap the next; a snapshot falls in a run or just
 * around it, as one row per day saved would.
 * @param {import('better-sqlite3').Database} db
 * @param {{ seed: number, papers: number, runs: number, snapshots: number }} shape
 */
export function fillSnapshots(db, { seed, papers, runs, snapshots }) {
  let x = seed >>> 0;
  const rand = () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
  const t0 = Date.parse('2025-01-01T00:00:00.000Z');
  const iso = (/** @type {number} */ ms) => new Date(ms).toISOString();
  db.transaction(() => {
    const paper = db.prepare(
      `INSERT INTO papers (id, title, source, source_day, raw, first_seen, updated_at)
       VALUES (?, 't', 'hf-daily', '2025-01-01', '{}', 'x', 'x')`,
    );
    for (let i = 0; i < papers; i++) paper.run(`2501.${String(i).padStart(5, '0')}`);
    db.exec('DELETE FROM snapshots');
    const run = db.prepare(
      `INSERT INTO sync_runs (source, started_at, finished_at, status) VALUES ('hf-daily', ?, ?, ?)`,
    );
    for (let i = 0; i < runs; i++) {
      const start = t0 + i * 3_600_000;
      const r = rand();
      const end = r < 0.05 ? null : start + (r < 0.1 ? 5_400_000 : Math.floor(rand() * 600_000));
      run.run(iso(start), end === null ? null : iso(end), end === null ? 'running' : 'ok');
    }
    const snap = db.prepare(
      'INSERT INTO snapshots (paper_id, at, upvotes) VALUES (?, ?, ?) ON CONFLICT(paper_id, at) DO NOTHING',
    );
    for (let i = 0; i < snapshots; i++) {
      const id = `2501.${String(Math.floor(rand() * papers)).padStart(5, '0')}`;
      const at = t0 + Math.floor(rand() * runs) * 3_600_000 + Math.floor(rand() * 900_000) - 60_000;
      snap.run(id, iso(at), Math.floor(rand() * 500));
    }
  })();
}
