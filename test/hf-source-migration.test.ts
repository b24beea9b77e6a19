// Migration m009 (issue 21): Hugging Face is `hf` in the archive too. An archive written
// before it, with `hf-daily` in listings, sync records, runs and papers, reads as `hf`
// afterwards with every row kept; replayed, the migration changes nothing.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrations } from '../src/db/migrations.js';
import { openDb } from '../src/db/open.js';
import { tempHome } from './helpers/run-cli.js';

const M009 = migrations.findIndex((m) => m.name === 'm009_hf_source_and_run_kind');

function archiveBeforeM009(path: string): void {
  const old = new Database(path);
  old.exec('CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  for (const m of migrations.slice(0, M009)) {
    m.up(old);
    old.prepare('INSERT INTO migrations VALUES (?, ?)').run(m.name, '2025-01-01T00:00:00.000Z');
  }
  old.pragma(`user_version = ${M009}`);
  old.exec(`
    INSERT INTO papers (id, title, source, source_day, raw, first_seen, updated_at)
      VALUES ('2501.00001', 'A', 'hf-daily', '2025-01-02', '{}', 'x', 'x'),
             ('2501.00002', 'B', 'arxiv:cs.CL', '2025-01-02', '', 'x', 'x');
    INSERT INTO listings (source, day, paper_id, rank) VALUES ('hf-daily', '2025-01-02', '2501.00001', 1),
      ('arxiv:cs.CL', '2025-01-02', '2501.00002', 1);
    INSERT INTO sync_days (source, day, outcome, fetched_at) VALUES ('hf-daily', '2025-01-02', 'ok', 'x'),
      ('arxiv:cs.CL', '2025-01-02', 'ok', 'x');
    INSERT INTO sync_runs (source, started_at, status) VALUES ('hf-daily', 'x', 'ok'), ('arxiv:cs.CL', 'y', 'ok');
  `);
  old.close();
}

describe('m009: hf in the archive', () => {
  it('renames hf-daily to hf everywhere, keeps every row, and records run kinds', () => {
    expect(M009).toBeGreaterThan(0);
    const path = join(tempHome(), 'old.db');
    archiveBeforeM009(path);
    const db = openDb(path);
    try {
      const sources = (table: string) =>
        db.prepare(`SELECT source FROM ${table} ORDER BY source`).pluck().all() as string[];
      for (const t of ['papers', 'listings', 'sync_days']) expect(sources(t)).toEqual(['arxiv:cs.CL', 'hf']);
      expect(db.prepare('SELECT source, kind FROM sync_runs ORDER BY id').all()).toEqual([
        { source: 'hf', kind: 'days' },
        { source: 'arxiv:cs.CL', kind: 'feed' },
      ]);
      // Replayed (doctor's tests set the version back by hand): nothing changes, nothing fails.
      const before = db.prepare('SELECT * FROM listings').all();
      migrations[M009]!.up(db);
      expect(db.prepare('SELECT * FROM listings').all()).toEqual(before);
    } finally {
      db.close();
    }
  });
});
