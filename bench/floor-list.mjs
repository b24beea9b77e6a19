#!/usr/bin/env node
// Start-up floor: what `papers list --limit 20` must at least do. Opens the same archive with
// better-sqlite3 and prints 20 rows (newest listing day first, then upvotes) as TSV.
import Database from 'better-sqlite3';
const db = new Database(process.argv[2], { fileMustExist: true });
const rows = db
  .prepare('SELECT p.id, l.day, p.upvotes, p.title FROM listings l JOIN papers p ON p.id = l.paper_id ORDER BY l.day DESC, p.upvotes DESC LIMIT 20')
  .raw()
  .all();
process.stdout.write(rows.map((r) => r.join('\t')).join('\n') + '\n');
