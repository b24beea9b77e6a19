#!/usr/bin/env node
// Whole-process floors for search and the filtered list: the same SQL a careful user would
// write, run directly with better-sqlite3, printing 20 rows as TSV.
//   node bench/floor-query.mjs DB search '"diffusion" "models"'      (an FTS5 MATCH string)
//   node bench/floor-query.mjs DB list '"diffusion"' 2026-01-01 10   (MATCH, since, min upvotes)
import Database from 'better-sqlite3';
const [path, kind, match, since, minUp] = process.argv.slice(2);
const db = new Database(path, { fileMustExist: true });
const sql =
  kind === 'search'
    ? `SELECT p.id, p.upvotes, p.title FROM (SELECT rowid, rank FROM papers_fts WHERE papers_fts MATCH ? ORDER BY rank LIMIT 20) f
       JOIN papers p ON p.pk = f.rowid ORDER BY f.rank`
    : `SELECT p.id, max(l.day) AS day, p.upvotes, p.title FROM listings l JOIN papers p ON p.id = l.paper_id
       WHERE p.pk IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?) AND l.day >= ? AND p.upvotes >= ?
       GROUP BY p.id ORDER BY day DESC, p.upvotes DESC LIMIT 20`;
const params = kind === 'search' ? [match] : [match, since, Number(minUp)];
const rows = db.prepare(sql).raw().all(...params);
process.stdout.write(rows.map((r) => r.join('\t')).join('\n') + (rows.length ? '\n' : ''));
