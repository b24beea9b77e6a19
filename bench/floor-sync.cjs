#!/usr/bin/env node
// Sync floor: the least a sync must do to build the same archive from the same day bodies,
// as one CommonJS process timed whole by run.mjs. It reads each day's API body from the
// corpus files (no HTTP, no paging, no retries: the difference to `papers sync`), parses it,
// extracts the same values as src/sources/hf-daily.ts parseEntry, and writes them with the
// same write statements as src/db/store.ts saveDay (the paper upsert, the listing upsert, the
// day's sync record) in the same transaction shape: `--days-per-tx N` whole days per
// transaction (1, as papers does, by default). The bookkeeping reads of saveDay (was the
// paper there, which listings did the day have) are left out: on a fresh archive they find
// nothing. The archive must exist with the schema (run.mjs creates it with the real openDb);
// the pragmas are openDb's. run.mjs checks that the rows equal those the sync wrote.
// Prints { papers, listings, days, ms } as JSON (ms: parse and write, files read included).
//   node bench/floor-sync.cjs DAYS_DIR DB [--days-per-tx N]
// Experiments (what a part of the write costs; run.mjs uses none): --no-fts drops the FTS
// triggers first, --raw=none stores no raw entry, --raw=deflate stores it deflated (BLOB),
// --fts=automerge=0 (or crisismerge, pgsz, hashsize) sets an FTS5 option first, --merge-at-end
// runs FTS5's 'merge' until nothing is left to merge (what automerge=0 would leave to do).
'use strict';
const { readFileSync, readdirSync } = require('node:fs');
const { join } = require('node:path');
const Database = require('better-sqlite3');

const t0 = performance.now();
const [daysDir, dbPath, ...flags] = process.argv.slice(2);
const perTx = flags.includes('--days-per-tx') ? Number(flags[flags.indexOf('--days-per-tx') + 1]) : 1;
const rawMode = (flags.find((f) => f.startsWith('--raw=')) ?? '--raw=json').slice(6);
const { deflateRawSync } = require('node:zlib');
const rawOf =
  rawMode === 'none'
    ? () => ''
    : rawMode === 'deflate'
      ? (e) => deflateRawSync(JSON.stringify(e))
      : (e) => JSON.stringify(e);
const db = new Database(dbPath, { fileMustExist: true });
db.pragma('busy_timeout = 10000');
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
db.pragma('recursive_triggers = ON');
for (const f of flags) {
  const m = /^--fts=(automerge|crisismerge|pgsz|hashsize)=(\d+)$/.exec(f);
  if (m) db.exec(`INSERT INTO papers_fts(papers_fts, rank) VALUES ('${m[1]}', ${Number(m[2])})`);
}
if (flags.includes('--no-fts'))
  for (const t of ['papers_fts_ai', 'papers_fts_au', 'papers_fts_ad']) db.exec(`DROP TRIGGER ${t}`);

const COLS = [
  'title',
  'abstract',
  'authors',
  'authors_key',
  'published_at',
  'upvotes',
  'comments',
  'ai_summary',
  'ai_keywords',
  'github_repo',
  'github_stars',
  'project_page',
  'organization',
  'submitter',
  'source',
  'source_day',
  'raw',
];
// src/db/store.ts saveDay's statements, as written there (the run's SQL check fails the run
// when they drift): an HF write leaves the shared text alone once arXiv has described the paper.
const SHARED_TEXT = ['title', 'abstract', 'authors', 'authors_key'];
const hfValue = (c) =>
  SHARED_TEXT.includes(c)
    ? `CASE WHEN papers.version IS NULL THEN excluded.${c} ELSE papers.${c} END`
    : `excluded.${c}`;
const upsertPaper = db.prepare(`INSERT INTO papers (id, ${COLS.join(', ')}, first_seen, updated_at)
  VALUES (@id, ${COLS.map((c) => '@' + c).join(', ')}, @now, @now)
  ON CONFLICT(id) DO UPDATE SET ${COLS.map((c) => `${c} = ${hfValue(c)}`).join(', ')}, updated_at = excluded.updated_at
  WHERE (excluded.source_day >= papers.source_day OR papers.source IS NOT excluded.source)
    AND (${COLS.map((c) => `papers.${c} IS NOT ${hfValue(c)}`).join(' OR ')})`);
const upsertListing = db.prepare(`INSERT INTO listings (source, day, paper_id, rank, type) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT(source, day, paper_id) DO UPDATE SET rank = excluded.rank, type = excluded.type, gone_at = NULL
  WHERE rank IS NOT excluded.rank OR type IS NOT excluded.type OR gone_at IS NOT NULL`);
const dayOk = db.prepare(`INSERT INTO sync_days
  (source, day, outcome, entries, skipped, requests, via, fetched_at, ok_at, ok_count, error, warning)
  VALUES (@source, @day, @outcome, @entries, @skipped, @requests, @via, @now, @now, 1, NULL, @warning)
  ON CONFLICT(source, day) DO UPDATE SET
    outcome = excluded.outcome, entries = excluded.entries, skipped = excluded.skipped,
    requests = excluded.requests, via = excluded.via, fetched_at = excluded.fetched_at,
    ok_at = excluded.ok_at, ok_count = sync_days.ok_count + 1, error = NULL, warning = excluded.warning`);

const isObj = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v) => {
  if (typeof v !== 'string') return null;
  const s = v.replace(/\s{2,}|[^\S ]/g, ' ').trim();
  return s || null;
};
const count = (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : null);
const iso = (v) => {
  if (typeof v !== 'string' || v.length > 40) return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
};
const url = (v) => {
  const s = typeof v === 'string' ? v.trim() : '';
  const first = s ? s.split(/\s+/)[0] : '';
  return first && /^https?:\/\/\S+$/i.test(first) && first.length <= 2000 ? first : null;
};
const org = (v) => (isObj(v) ? (text(v.fullname) ?? text(v.name)) : text(v));
const user = (v) => (isObj(v) ? (text(v.user) ?? text(v.name) ?? text(v.fullname)) : null);
const fold = (s) =>
  s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();

let papers = 0;
let listings = 0;
let days = 0;
// Every calendar day from the first file to the last, as `sync --since --until` asks for them:
// a day without a file is a day without a list (the replay server answers []).
const files = new Set(readdirSync(daysDir).filter((f) => f.endsWith('.json')));
const sorted = [...files].sort();
const all = [];
for (
  let t = Date.parse(sorted[0].slice(0, 10));
  t <= Date.parse(sorted[sorted.length - 1].slice(0, 10));
  t += 86_400_000
) {
  all.push(new Date(t).toISOString().slice(0, 10));
}
for (let i = 0; i < all.length; i += perTx) {
  db.exec('BEGIN IMMEDIATE');
  for (const day of all.slice(i, i + perTx)) {
    const now = new Date().toISOString();
    const list = files.has(`${day}.json`) ? JSON.parse(readFileSync(join(daysDir, `${day}.json`), 'utf8')) : [];
    const seen = new Set();
    for (const e of list) {
      const p = e.paper;
      if (seen.has(p.id)) continue;
      seen.add(p.id);
      const authors = [];
      for (const a of p.authors ?? []) {
        const name = isObj(a) ? text(a.name) : text(a);
        if (name) authors.push(name);
      }
      const kws = [];
      for (const k of p.ai_keywords ?? []) {
        const t = text(k);
        if (t) kws.push(t);
      }
      upsertPaper.run({
        id: p.id,
        title: text(e.title) ?? text(p.title),
        abstract: text(p.summary) ?? text(e.summary) ?? '',
        authors: JSON.stringify(authors),
        authors_key: fold(authors.join('\n')),
        published_at: iso(p.publishedAt),
        upvotes: count(p.upvotes) ?? count(e.upvotes) ?? 0,
        comments: count(e.numComments),
        ai_summary: text(p.ai_summary),
        ai_keywords: JSON.stringify(kws),
        github_repo: url(p.githubRepo),
        github_stars: count(p.githubStars),
        project_page: url(p.projectPage),
        organization: org(e.organization) ?? org(p.organization) ?? org(e.submitterOrganization),
        submitter: user(e.submittedBy) ?? user(p.submittedOnDailyBy),
        source: 'hf',
        source_day: day,
        raw: rawOf(e),
        now,
      }).changes;
      listings += upsertListing.run('hf', day, p.id, seen.size, null).changes;
    }
    dayOk.run({
      source: 'hf',
      day,
      outcome: seen.size ? 'ok' : 'empty',
      entries: seen.size,
      skipped: 0,
      requests: Math.floor(list.length / 100) + 1,
      via: 'api',
      now,
      warning: null,
    });
    days++;
  }
  db.exec('COMMIT');
}
if (flags.includes('--merge-at-end')) {
  // FTS5: a 'merge' call that did work changes total_changes by 2 or more.
  const merge = db.prepare(`INSERT INTO papers_fts(papers_fts, rank) VALUES ('merge', 500)`);
  const total = db.prepare('SELECT total_changes()').pluck();
  for (let did = 2; did >= 2; ) {
    const before = total.get();
    merge.run();
    did = total.get() - before;
  }
}
papers = db.prepare('SELECT count(*) FROM papers').pluck().get();
db.close();
const ms = performance.now() - t0;
process.stdout.write(JSON.stringify({ papers, listings, days, perTx, ms, rate: papers / (ms / 1000) }) + '\n');
