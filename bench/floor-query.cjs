#!/usr/bin/env node
// Whole-process floors for the read commands: a CommonJS process (papers runs as one
// CommonJS bundle) that opens the archive with better-sqlite3, takes one read transaction
// (as papers does), runs the SQL statements `papers` runs for that command, and prints the
// same tab-separated lines (id, day, upvotes, title). run.mjs checks that the output is
// byte-identical to the command's. What it leaves out: the CLI (argument parsing, IO set-up),
// openDb's pragmas and schema-version check, and terminal sanitising of the cells.
//   node bench/floor-query.cjs DB list                                 (papers list --limit 20)
//   node bench/floor-query.cjs DB search '"diffusion" "models"'        (papers search, quoted)
//   node bench/floor-query.cjs DB klist WORD SINCE MIN_UPVOTES         (papers list -k WORD --since … --limit 20)
'use strict';
const Database = require('better-sqlite3');
// How papers shows a title (TeX made plain): compiled from src/text.ts by bench/lib/modules.mjs.
const { displayText } = require('./.cache/modules/text.cjs');

const [path, kind, ...args] = process.argv.slice(2);
const db = new Database(path, { fileMustExist: true });
db.exec('BEGIN');
const LIMIT = 20;
// What papers reads before any query (src/core/query.ts hasReplacements): with replacement
// listings in the archive, every listing condition leaves them out.
const replacements = db.prepare(`SELECT 1 FROM listings WHERE type IN ('replace', 'replace-cross') LIMIT 1`).get();
const listed = (a) => (replacements ? ` AND (${a}.type IS NULL OR ${a}.type NOT IN ('replace', 'replace-cross'))` : '');
// src/core/papers.ts PAPER_SELECT (LISTED inlined), src/db/migrations.ts FTS_WEIGHTS. The
// run's SQL check (lib/sql-trace.mjs) fails the run when these drift from the code's.
const PAPER_SELECT = `p.pk, p.id, p.title, p.abstract, p.authors, p.published_at, p.upvotes, p.comments,
  p.ai_summary, p.ai_keywords, p.github_repo, p.github_stars, p.project_page, p.organization,
  p.submitter, p.first_seen, p.updated_at, p.categories, p.version, p.doi, p.journal_ref, p.arxiv_comments,
  p.license,
  (SELECT group_concat(day, ',') FROM (SELECT DISTINCT day FROM listings WHERE paper_id = p.id
    AND (type IS NULL OR type NOT IN ('replace', 'replace-cross')) ORDER BY day)) AS days,
  (SELECT group_concat(day, ',') FROM (SELECT DISTINCT day FROM listings WHERE paper_id = p.id AND gone_at IS NOT NULL
    ORDER BY day)) AS gone_days,
  (SELECT group_concat(source || ' ' || day || ' ' || coalesce(type, ''), ',')
    FROM (SELECT source, day, type FROM listings WHERE paper_id = p.id ORDER BY day, source)) AS listings`;
const BM25 = 'bm25(papers_fts, 10, 4, 4, 2, 1)';
// src/core/query.ts rowsOf, sort by date.
const byDate = (columns, extra) => `SELECT ${columns}, l.day AS day FROM listings l JOIN papers p ON p.id = l.paper_id
      WHERE l.day BETWEEN ? AND ?${listed('l')}
        AND NOT EXISTS (SELECT 1 FROM listings l3 WHERE l3.paper_id = l.paper_id AND l3.day > l.day AND l3.day <= ?${listed('l3')})
        ${extra}
      ORDER BY l.day DESC, p.upvotes DESC, p.id`;

const lines = [];
const print = (r, day) => lines.push(`${r.id}\t${day ?? ''}\t${r.upvotes}\t${displayText(r.title)}`);
const lastDay = (r) => (r.days ? r.days.slice(r.days.lastIndexOf(',') + 1) : null);

if (kind === 'list') {
  for (const r of db
    .prepare(byDate(PAPER_SELECT, '') + ` LIMIT ${LIMIT}`)
    .all('0000-00-00', '9999-99-99', '9999-99-99'))
    print(r, r.day);
} else if (kind === 'search') {
  // src/core/query.ts searchPapers: with a query of 3+ words, the papers whose title holds
  // it verbatim first (titleHits), then the BM25 ranking of the rest.
  const [match, query = ''] = args;
  const phraseText = (s) =>
    s
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
  const phrase = phraseText(query);
  let first = [];
  if (phrase.split(' ').length >= 3) {
    const sql = `SELECT f.rowid AS pk, ${BM25} AS score, p.title AS title FROM papers_fts f JOIN papers p ON p.pk = f.rowid
      WHERE papers_fts MATCH ? ORDER BY score, f.rowid`;
    const param = `(${match}) AND {title} : "${phrase.replace(/"/g, '""')}"`;
    const keep = (rows) => rows.filter((r) => ` ${phraseText(r.title)} `.includes(` ${phrase} `));
    const head = 2 * LIMIT + 10;
    const rows = db.prepare(`${sql} LIMIT ${head}`).all(param);
    first = keep(rows);
    if (first.length < LIMIT && rows.length >= head) first = keep(db.prepare(sql).all(param));
    first = first.slice(0, LIMIT);
  }
  let ranked = first;
  if (first.length < LIMIT) {
    const rest = db
      .prepare(
        `SELECT f.rowid AS pk, ${BM25} AS score FROM papers_fts f WHERE papers_fts MATCH ? ORDER BY score, f.rowid LIMIT ${LIMIT}`,
      )
      .all(match);
    const seen = new Set(first.map((r) => r.pk));
    ranked = [...first, ...rest.filter((r) => !seen.has(r.pk))].slice(0, LIMIT);
  }
  const byPk = db.prepare(`SELECT ${PAPER_SELECT} FROM papers p WHERE p.pk = ?`);
  for (const { pk } of ranked) {
    const r = byPk.get(pk);
    print(r, lastDay(r));
  }
} else if (kind === 'klist') {
  // The walk of src/core/query.ts listPapers: rows in their order, each checked on its text
  // (the keyword as a whole word of the folded text) and confirmed against the index, until
  // a page is full. (After 2,000 rows without one papers switches to the FTS plan; the
  // benchmark's filters fill their page long before.)
  const [word, since, minUp] = args;
  const folded = (s) =>
    s
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase();
  const re = new RegExp(
    `(?<![\\p{L}\\p{N}_])${folded(word)
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      .replace(/ /g, '\\s+')}(?![\\p{L}\\p{N}_])`,
    'u',
  );
  const kw = (j) => {
    const a = JSON.parse(j);
    return Array.isArray(a) ? a.filter((k) => typeof k === 'string').join('\n') : '';
  };
  const match = `({title abstract ai_summary ai_keywords} : "${word.replace(/"/g, '""')}")`;
  const fts = db.prepare('SELECT 1 FROM papers_fts WHERE papers_fts MATCH ? AND rowid = ?');
  const walk = db.prepare(byDate('p.pk, p.id, p.title, p.abstract, p.ai_summary, p.ai_keywords', 'AND p.upvotes >= ?'));
  const whole = db.prepare(`SELECT ${PAPER_SELECT}, ? AS day FROM papers p WHERE p.pk = ?`);
  const found = [];
  let last;
  for (const r of walk.iterate(since, '9999-99-99', '9999-99-99', Number(minUp))) {
    const key = `${r.id}@${r.day}`;
    if (key === last) continue;
    last = key;
    const text = folded([r.title, r.abstract, r.ai_summary ?? '', kw(r.ai_keywords)].join('\n'));
    if (!re.test(text) || !fts.get(match, r.pk)) continue;
    found.push([r.day, r.pk]);
    if (found.length >= LIMIT) break;
  }
  for (const [day, pk] of found) print(whole.get(day, pk), day);
} else {
  throw new Error(`floor-query: unknown kind ${kind}`);
}
// papers ends its read transaction so (src/context.ts close()).
db.exec('ROLLBACK');
process.stdout.write(lines.length ? lines.join('\n') + '\n' : '');
