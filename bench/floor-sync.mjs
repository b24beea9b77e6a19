#!/usr/bin/env node
// Sync floor: the same API day bodies, read into memory first (not timed), then JSON.parse'd
// and inserted into an identical schema (the archive is created by the real openDb, so tables,
// FTS5 table, triggers and pragmas are the ones a sync writes through) in one transaction,
// with no HTTP. Prints { papers, listings, ms, rate } as JSON.
//   node bench/floor-sync.mjs DAYS_DIR DB
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openDb } from '../dist/db/open.js';

const [daysDir, dbPath, ...flags] = process.argv.slice(2);
// Experiments (not used by run.mjs): --per-day commits each day like the sync does;
// --automerge=N / --hashsize=BYTES / --pgsz=BYTES set FTS5 options before inserting.
const perDay = flags.includes('--per-day');
const db = openDb(dbPath);
for (const f of flags) {
  const m = /^--(automerge|crisismerge|pgsz|hashsize)=(\d+)$/.exec(f);
  if (m) db.exec(`INSERT INTO papers_fts(papers_fts, rank) VALUES ('${m[1]}', ${Number(m[2])})`);
}
const files = readdirSync(daysDir).filter((f) => f.endsWith('.json')).sort();
const ws = (s) => (typeof s === 'string' ? s.replace(/\s+/g, ' ').trim() : null);
const now = new Date().toISOString();
const insPaper = db.prepare(`INSERT INTO papers (id, title, abstract, authors, authors_key, published_at, upvotes, comments,
  ai_summary, ai_keywords, github_repo, github_stars, project_page, organization, submitter, source, source_day, raw, first_seen, updated_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'hf-daily', ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`);
const insListing = db.prepare(`INSERT INTO listings (source, day, paper_id, rank) VALUES ('hf-daily', ?, ?, ?) ON CONFLICT DO NOTHING`);
const insDay = db.prepare(`INSERT INTO sync_days (source, day, outcome, entries, requests, via, fetched_at, ok_at, ok_count)
  VALUES ('hf-daily', ?, 'ok', ?, 1, 'api', ?, ?, 1)`);

// Bodies are read in chunks of ~256 MB so that a 1M-paper corpus fits; reading is not timed.
const CHUNK = 256 << 20;
let ms = 0;
let papers = 0;
let listings = 0;
let readMs = 0;
db.exec('BEGIN IMMEDIATE');
for (let i = 0; i < files.length; ) {
  let t = performance.now();
  const bodies = [];
  for (let size = 0; i < files.length && size < CHUNK; i++) {
    const body = readFileSync(join(daysDir, files[i]), 'utf8');
    bodies.push([files[i].slice(0, 10), body]);
    size += body.length;
  }
  readMs += performance.now() - t;
  t = performance.now();
  for (const [day, body] of bodies) {
    const list = JSON.parse(body);
    for (let rank = 0; rank < list.length; rank++) {
      const e = list[rank];
      const p = e.paper;
      const names = p.authors.map((a) => ws(a.name)).filter(Boolean);
      papers += insPaper.run(
        p.id, ws(e.title), ws(p.summary) ?? '', JSON.stringify(names), names.join('\n').toLowerCase(), p.publishedAt ?? null,
        p.upvotes ?? 0, e.numComments ?? null, ws(p.ai_summary), JSON.stringify(p.ai_keywords ?? []),
        typeof p.githubRepo === 'string' ? p.githubRepo.trim().split(/\s+/)[0] : null, p.githubStars ?? null, p.projectPage ?? null,
        e.organization?.fullname ?? null, e.submittedBy?.name ?? null, day, JSON.stringify(e), now, now,
      ).changes;
      listings += insListing.run(day, p.id, rank).changes;
    }
    insDay.run(day, list.length, now, now);
    if (perDay) db.exec('COMMIT; BEGIN IMMEDIATE');
  }
  ms += performance.now() - t;
}
const t = performance.now();
db.exec('COMMIT');
ms += performance.now() - t;
db.close();
process.stdout.write(JSON.stringify({ papers, listings, ms, readMs, rate: papers / (ms / 1000) }) + '\n');
