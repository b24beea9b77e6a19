#!/usr/bin/env node
// Export floor: stream every paper (or the first LIMIT, newest first) from the archive to an
// NDJSON file with better-sqlite3's iterator, in 1 MB writes. Time and peak RSS are measured
// around this process by bench/run.mjs.
//   node bench/floor-export.mjs DB OUT [LIMIT]
import Database from 'better-sqlite3';
import { closeSync, openSync, writeSync } from 'node:fs';
const [path, out, limit] = process.argv.slice(2);
const db = new Database(path, { fileMustExist: true });
const fd = openSync(out, 'w');
const stmt = db.prepare(
  `SELECT p.id, p.title, p.authors, p.abstract, p.upvotes, p.comments, p.published_at, p.ai_summary, p.ai_keywords,
     p.github_repo, p.github_stars, p.project_page, p.organization,
     (SELECT group_concat(day, ',') FROM listings WHERE paper_id = p.id) AS days
   FROM papers p ORDER BY p.pk DESC ${limit ? 'LIMIT ' + Number(limit) : ''}`,
);
let buf = '';
let n = 0;
for (const r of stmt.iterate()) {
  r.authors = JSON.parse(r.authors);
  r.ai_keywords = JSON.parse(r.ai_keywords);
  r.days = r.days ? r.days.split(',') : [];
  buf += JSON.stringify(r) + '\n';
  n++;
  if (buf.length > 1 << 20) {
    writeSync(fd, buf);
    buf = '';
  }
}
writeSync(fd, buf);
closeSync(fd);
process.stderr.write(`${n} papers\n`);
