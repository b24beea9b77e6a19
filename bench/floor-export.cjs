#!/usr/bin/env node
// Export floor: what `papers export --format ndjson -o OUT [--limit N]` must at least do, as
// one CommonJS process. It runs the SQL export runs (listPapers by date: every paper under
// its latest listing day, newest first), builds the same paper object (toPaper: key order,
// URLs, parsed arrays), writes the same terminal-safe JSON lines in ~64 KiB blocks to a
// temporary file, fsyncs it and renames it into place, in one read transaction. run.mjs
// checks that the file is byte-identical to the export's. Time and peak RSS are measured
// around this process.
//   node bench/floor-export.cjs DB OUT [LIMIT]
'use strict';
const { closeSync, fsyncSync, openSync, renameSync, writeSync } = require('node:fs');
const Database = require('better-sqlite3');

const [path, out, limit] = process.argv.slice(2);
const db = new Database(path, { fileMustExist: true });
db.exec('BEGIN');
// src/core/papers.ts PAPER_SELECT, src/core/query.ts rowsOf (sort by date).
// Replacement listings (arXiv) are left out of the days where the archive has any.
const LISTED = `(type IS NULL OR type NOT IN ('replace', 'replace-cross'))`;
const replaced =
  db.prepare(`SELECT 1 FROM listings WHERE type IN ('replace', 'replace-cross') LIMIT 1`).get() !== undefined;
const cond = (a) => (replaced ? ` AND (${a}.type IS NULL OR ${a}.type NOT IN ('replace', 'replace-cross'))` : '');
const stmt = db.prepare(`SELECT p.pk, p.id, p.title, p.abstract, p.authors, p.published_at, p.upvotes, p.comments,
  p.ai_summary, p.ai_keywords, p.github_repo, p.github_stars, p.project_page, p.organization,
  p.submitter, p.first_seen, p.updated_at, p.categories, p.version, p.doi, p.journal_ref, p.arxiv_comments, p.license,
  (SELECT group_concat(day, ',') FROM (SELECT DISTINCT day FROM listings WHERE paper_id = p.id AND ${LISTED}
    ORDER BY day)) AS days,
  (SELECT group_concat(day, ',') FROM (SELECT DISTINCT day FROM listings WHERE paper_id = p.id AND gone_at IS NOT NULL
    ORDER BY day)) AS gone_days,
  (SELECT group_concat(source || ' ' || day || ' ' || coalesce(type, ''), ',')
    FROM (SELECT source, day, type FROM listings WHERE paper_id = p.id ORDER BY day, source)) AS listings, l.day AS day
  FROM listings l JOIN papers p ON p.id = l.paper_id
  WHERE l.day BETWEEN ? AND ?${cond('l')} AND NOT EXISTS (SELECT 1 FROM listings l3 WHERE l3.paper_id = l.paper_id
    AND l3.day > l.day AND l3.day <= ?${cond('l3')})
  ORDER BY l.day DESC, p.upvotes DESC, p.id${limit ? ` LIMIT ${Number(limit)}` : ''}`);
const listings = (s) =>
  s
    ? s.split(',').map((x) => {
        const [source, day, type] = x.split(' ');
        return { source, day, type: type ? type : null };
      })
    : [];
const UNSAFE = /[\u007f-\u009f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
const safe = (s) => s.replace(UNSAFE, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
const strings = (s) => {
  const v = JSON.parse(s);
  return Array.isArray(v) ? v.filter((x) => typeof x === 'string') : [];
};
const tmp = `${out}.floor-tmp`;
const fd = openSync(tmp, 'w');
let buf = '';
let n = 0;
let last;
for (const r of stmt.iterate('0000-00-00', '9999-99-99', '9999-99-99')) {
  const key = `${r.id}@${r.day}`;
  if (key === last) continue;
  last = key;
  const days = r.days ? r.days.split(',') : [];
  buf +=
    safe(
      JSON.stringify({
        id: r.id,
        title: r.title,
        authors: strings(r.authors),
        abstract: r.abstract,
        upvotes: r.upvotes,
        comments: r.comments,
        publishedAt: r.published_at,
        days,
        gone: r.gone_days ? r.gone_days.split(',') : [],
        day: r.day ?? days[days.length - 1] ?? null,
        url: `https://arxiv.org/abs/${r.id}`,
        pdfUrl: `https://arxiv.org/pdf/${r.id}`,
        hfUrl: `https://huggingface.co/papers/${r.id}`,
        githubRepo: r.github_repo,
        githubStars: r.github_stars,
        projectPage: r.project_page,
        organization: r.organization,
        submitter: r.submitter,
        aiSummary: r.ai_summary,
        aiKeywords: strings(r.ai_keywords),
        firstSeen: r.first_seen,
        updatedAt: r.updated_at,
        categories: strings(r.categories),
        primaryCategory: strings(r.categories)[0] ?? null,
        version: r.version ?? null,
        doi: r.doi ?? null,
        journalRef: r.journal_ref ?? null,
        arxivComments: r.arxiv_comments ?? null,
        license: r.license ?? null,
        listings: listings(r.listings),
      }),
    ) + '\n';
  n++;
  if (buf.length >= 64 * 1024) {
    writeSync(fd, buf);
    buf = '';
  }
}
writeSync(fd, buf);
fsyncSync(fd);
closeSync(fd);
renameSync(tmp, out);
db.exec('ROLLBACK'); // as papers ends its read transaction (src/context.ts close())
process.stderr.write(`${n} papers\n`);
