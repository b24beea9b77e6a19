#!/usr/bin/env node
// Where search time goes, on one archive: the 30 topic queries run through variants of the
// same ranked query, interleaved rep by rep (median of reps after a warm-up), each top 20
// compared with the full ranking (`ORDER BY rank, rowid`: the table's configured
// bm25(10, 4, 4, 2, 1), ties by row). Also prints the statements searchPapers prepares, with
// their query plans.
//
//   node bench/explore-search.mjs ARCHIVE.db [--reps 3] [--indexes] [--column] [--variants a,b]
//   (JSON on stdout, progress and a summary table on stderr)
//
// Variants on the archive as it is (nothing is written to it):
//   count       matching only: SELECT count(*) … MATCH ?            (no ranking at all)
//   rank        the floor: … MATCH ? ORDER BY rank LIMIT 20           (FTS5 sorts every match itself)
//   bm25-limit  … MATCH ? ORDER BY bm25(papers_fts, 10,4,4,2,1) LIMIT 20 (SQLite's sorter keeps 20)
//   bm25+cache  bm25-limit on a connection with a 256 MB page cache
//   bm25+mmap   bm25-limit on a connection with memory-mapped I/O
//   split-2     bm25-limit on each half of the rowids, merged (exact: idf is global)
//   parallel-2  the two halves ranked at once by two worker threads (2 cores), merged
//   app         searchPapers() from dist (what `papers search` runs)
//   title-only  {title}: … ORDER BY bm25 LIMIT 20  (a title-first pass; not a proof, see overlap)
//   recent-1/8  the newest eighth of the rows only (a recent-first early stop; see overlap)
// With --indexes, copies of the FTS index are built beside the archive (cached) and queried:
//   optimized   the same detail=full index (contentless) built in one go and 'optimize'd,
//               ranked with bm25-limit; optimized-rank: the same with ORDER BY rank
//   column      (with --column) detail=column: per-column hits, no positions; no phrase
//               queries, term frequency within a column lost, so the ranking differs
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { buildPools, loadSamples, topicQueries } from './lib/samples.mjs';
import { median, now, percentile, timeInterleaved } from './lib/measure.mjs';

const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    reps: { type: 'string', default: '3' },
    indexes: { type: 'boolean', default: false },
    column: { type: 'boolean', default: false },
    variants: { type: 'string' },
  },
});
const path = positionals[0];
if (!path || !existsSync(path)) {
  console.error(
    'usage: node bench/explore-search.mjs ARCHIVE.db [--reps N] [--indexes] [--column] [--variants a,b,...]',
  );
  process.exit(2);
}
const reps = Number(opt.reps);
const log = (m) => process.stderr.write(`[explore] ${m}\n`);
const { core } = await import('./lib/modules.mjs');
const { openDb } = await core('db/open.js');
const { searchPapers, quoteFts } = await core('core/query.js');

const queries = topicQueries(buildPools(loadSamples()));
const W = '10.0, 4.0, 4.0, 2.0, 1.0';
const db = new Database(path, { fileMustExist: true });
const total = db.prepare('SELECT count(*) FROM papers').pluck().get();
const maxPk = db.prepare('SELECT max(pk) FROM papers').pluck().get();
const app = openDb(path);

// Connections with other pragmas: a 256 MB page cache; memory-mapped I/O.
const dbMem = new Database(path, { fileMustExist: true });
dbMem.pragma('cache_size = -262144');
const dbMmap = new Database(path, { fileMustExist: true });
dbMmap.pragma('mmap_size = 17179869184');
const minPk = db.prepare('SELECT min(pk) FROM papers').pluck().get();
const midPk = Math.floor((minPk + maxPk) / 2);

/** Two workers, each ranking half of the rowids; the main thread merges their top 20s. */
const workers = [0, 1].map(
  () => new Worker(new URL('./lib/rank-worker.mjs', import.meta.url), { workerData: { path, weights: W } }),
);
let nextId = 0;
function ask(w, msg) {
  return new Promise((res) => {
    const id = nextId++;
    const on = (m) => {
      if (m.id === id) {
        w.off('message', on);
        res(m.rows);
      }
    };
    w.on('message', on);
    w.postMessage({ id, ...msg });
  });
}
async function parallel2(m) {
  const [a, b] = await Promise.all([
    ask(workers[0], { match: m, lo: minPk, hi: midPk, limit: 20 }),
    ask(workers[1], { match: m, lo: midPk + 1, hi: maxPk, limit: 20 }),
  ]);
  return a
    .concat(b)
    .sort((x, y) => x.s - y.s || x.pk - y.pk)
    .slice(0, 20)
    .map((r) => r.pk);
}

/** Builds (once) copies of the FTS index in a side database, for the index variants. */
function sideIndexes() {
  const side = path.replace(/\.db$/, '') + `-explore.db`;
  const want = opt.column ? ['fts_opt', 'fts_col'] : ['fts_opt'];
  const s = new Database(side);
  const have = new Set(s.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all());
  s.exec(`ATTACH DATABASE '${path.replace(/'/g, "''")}' AS a`);
  const cols = 'title, ai_summary, ai_keywords, abstract, authors';
  const tok = `tokenize='porter unicode61 remove_diacritics 2'`;
  for (const name of want) {
    if (have.has(name)) continue;
    const detail = name === 'fts_col' ? ', detail=column' : '';
    log(`building ${name} in ${side} from ${total} papers…`);
    const t0 = now();
    s.exec(`CREATE VIRTUAL TABLE ${name} USING fts5(${cols}, content='', ${tok}${detail})`);
    s.exec(`INSERT INTO ${name}(${name}, rank) VALUES ('rank', 'bm25(${W})')`);
    s.exec(`BEGIN; INSERT INTO ${name}(rowid, ${cols}) SELECT pk, ${cols} FROM a.papers; COMMIT`);
    s.exec(`INSERT INTO ${name}(${name}) VALUES ('optimize')`);
    log(`built ${name} in ${((now() - t0) / 1000).toFixed(1)} s`);
  }
  const sizes = Object.fromEntries(
    want.map((n) => [n, s.prepare(`SELECT sum(pgsize) FROM dbstat WHERE name LIKE ?`).pluck().get(`${n}%`)]),
  );
  s.close();
  return { side, sizes };
}

const cache = new Map();
const prep = (conn, sql) => {
  const key = (conn === dbMem ? 'mem:' : conn === dbMmap ? 'mmap:' : conn.name + ':') + sql;
  if (!cache.has(key)) cache.set(key, conn.prepare(sql));
  return cache.get(key);
};
const variants = {
  count: (m) => prep(db, 'SELECT count(*) FROM papers_fts WHERE papers_fts MATCH ?').pluck().get(m),
  rank: (m) => prep(db, 'SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? ORDER BY rank LIMIT 20').pluck().all(m),
  'bm25-limit': (m) =>
    prep(db, `SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? ORDER BY bm25(papers_fts, ${W}) LIMIT 20`)
      .pluck()
      .all(m),
  'title-only': (m) =>
    prep(db, `SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? ORDER BY bm25(papers_fts, ${W}) LIMIT 20`)
      .pluck()
      .all(`{title} : (${m})`),
  'recent-1/8': (m) =>
    prep(
      db,
      `SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? AND rowid > ? ORDER BY bm25(papers_fts, ${W}) LIMIT 20`,
    )
      .pluck()
      .all(m, BigInt(maxPk - Math.ceil(total / 8))),
  'bm25+cache': (m) =>
    prep(dbMem, `SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? ORDER BY bm25(papers_fts, ${W}) LIMIT 20`)
      .pluck()
      .all(m),
  'bm25+mmap': (m) =>
    prep(dbMmap, `SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? ORDER BY bm25(papers_fts, ${W}) LIMIT 20`)
      .pluck()
      .all(m),
  // Two rowid halves ranked one after the other and merged: checks that the split is exact.
  'split-2': (m) => {
    const st = prep(
      db,
      `SELECT rowid AS pk, bm25(papers_fts, ${W}) AS s FROM papers_fts WHERE papers_fts MATCH ? AND rowid BETWEEN ? AND ? ORDER BY s, rowid LIMIT 20`,
    );
    // BigInt: a JS number binds as REAL, and FTS5 ignores a non-INTEGER rowid bound.
    return st
      .all(m, BigInt(minPk), BigInt(midPk))
      .concat(st.all(m, BigInt(midPk + 1), BigInt(maxPk)))
      .sort((x, y) => x.s - y.s || x.pk - y.pk)
      .slice(0, 20)
      .map((r) => r.pk);
  },
  app: (_m, q) => [...searchPapers(app, { query: q, limit: 20 })].map((h) => h.id),
};

if (opt.variants) {
  const keep = new Set(opt.variants.split(','));
  for (const k of Object.keys(variants)) if (!keep.has(k) && k !== 'rank' && k !== 'count') delete variants[k];
}
const wantParallel = !opt.variants || opt.variants.split(',').includes('parallel-2');

let side = null;
if (opt.indexes) {
  side = sideIndexes();
  const s = new Database(side.side, { fileMustExist: true });
  variants.optimized = (m) =>
    prep(s, `SELECT rowid FROM fts_opt WHERE fts_opt MATCH ? ORDER BY bm25(fts_opt, ${W}) LIMIT 20`).pluck().all(m);
  variants['optimized-rank'] = (m) =>
    prep(s, `SELECT rowid FROM fts_opt WHERE fts_opt MATCH ? ORDER BY rank LIMIT 20`).pluck().all(m);
  // detail=column is measured only with --column: it cannot run phrase queries ("fine-tuning"
  // is one), and on 100k papers it ranked 15 to 25x slower than detail=full (1.1 to 4.4 s).
  if (opt.column) {
    variants.column = (m) => {
      try {
        return prep(s, `SELECT rowid FROM fts_col WHERE fts_col MATCH ? ORDER BY bm25(fts_col, ${W}) LIMIT 20`)
          .pluck()
          .all(m);
      } catch {
        return [];
      }
    };
  }
}

const idOf = db.prepare('SELECT id FROM papers WHERE pk = ?').pluck();

// The statements searchPapers prepares, with their query plans (for the report).
const captured = [];
{
  const orig = app.prepare.bind(app);
  app.prepare = (sql) => {
    captured.push(sql);
    return orig(sql);
  };
  [...searchPapers(app, { query: queries[0].query, limit: 20 })];
  app.prepare = orig;
}
const plans = [...new Set(captured)].map((sql) => {
  let plan;
  try {
    const n = (sql.match(/\?/g) ?? []).length;
    plan = db
      .prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .all(...Array.from({ length: n }, (_, i) => (i === 0 ? quoteFts(queries[0].query) : 0)))
      .map((r) => r.detail);
  } catch (err) {
    plan = [`(not explained: ${err.message})`];
  }
  return { sql: sql.replace(/\s+/g, ' ').trim(), plan };
});
for (const p of plans)
  log(
    `searchPapers statement: ${p.sql.slice(0, 300)}${p.sql.length > 300 ? '…' : ''}\n    plan: ${p.plan.join(' | ')}`,
  );
const per = [];
log(
  `${total} papers, ${queries.length} queries, ${reps} reps each, variants: ${Object.keys(variants).join(', ')}, parallel-2`,
);
for (const [i, q] of queries.entries()) {
  const m = quoteFts(q.query);
  const r = { query: q.query, kind: q.kind };
  // The reference: the full ranking, ties broken by row.
  const fullIds = prep(db, 'SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? ORDER BY rank, rowid LIMIT 20')
    .pluck()
    .all(m)
    .map((pk) => idOf.get(pk));
  // Variants interleaved rep by rep, so that load from other processes hits them alike.
  const times = timeInterleaved(
    Object.fromEntries(Object.entries(variants).map(([k, fn]) => [k, () => fn(m, q.query)])),
    { reps, warmup: 1 },
  );
  for (const [k, fn] of Object.entries(variants)) {
    const t = { ms: median(times[k]), out: fn(m, q.query) };
    r[k] = t.ms;
    if (k === 'count') r.matches = t.out;
    else {
      const ids = k === 'app' ? t.out : t.out.map((pk) => idOf.get(pk));
      r[`${k}:same`] = ids.length === fullIds.length && ids.every((x, j) => x === fullIds[j]);
      r[`${k}:overlap`] = ids.filter((x) => fullIds.includes(x)).length / Math.max(1, fullIds.length);
    }
  }
  // Parallel ranking is asynchronous: timed in its own loop, paired with bm25-limit.
  const par = [];
  const pairBase = [];
  let parIds = [];
  for (let k = -1; wantParallel && k < reps; k++) {
    let t0 = now();
    parIds = await parallel2(m);
    if (k >= 0) par.push(now() - t0);
    t0 = now();
    variants['bm25-limit'](m);
    if (k >= 0) pairBase.push(now() - t0);
  }
  r['parallel-2'] = median(par);
  r['parallel-2:base'] = median(pairBase);
  const pids = parIds.map((pk) => idOf.get(pk));
  r['parallel-2:same'] = pids.length === fullIds.length && pids.every((x, j) => x === fullIds[j]);
  r['parallel-2:overlap'] = pids.filter((x) => fullIds.includes(x)).length / Math.max(1, fullIds.length);
  per.push(r);
  log(
    `[${i + 1}/${queries.length}] ${JSON.stringify(q.query)} ${r.matches} matches: ` +
      Object.keys(variants)
        .concat(wantParallel ? ['parallel-2'] : [])
        .map((k) => `${k} ${r[k].toFixed(1)}`)
        .join(', '),
  );
}

const names = Object.keys(variants).concat(wantParallel ? ['parallel-2'] : []);
const summary = names.map((k) => ({
  variant: k,
  p50: percentile(
    per.map((r) => r[k]),
    50,
  ),
  p95: percentile(
    per.map((r) => r[k]),
    95,
  ),
  max: Math.max(...per.map((r) => r[k])),
  same: k === 'count' ? null : per.filter((r) => r[`${k}:same`] ?? true).length,
  meanOverlap: k === 'count' ? null : per.reduce((s, r) => s + (r[`${k}:overlap`] ?? 1), 0) / per.length,
}));
const lines = summary.map(
  (s) =>
    `${s.variant.padEnd(15)} p50 ${s.p50.toFixed(1).padStart(8)} ms  p95 ${s.p95.toFixed(1).padStart(8)} ms  max ${s.max.toFixed(1).padStart(8)} ms` +
    (s.same === null
      ? ''
      : `  same top 20: ${s.same}/${per.length}, mean overlap ${(100 * s.meanOverlap).toFixed(0)}%`),
);
process.stderr.write(`\nsearch variants on ${path} (${total} papers):\n${lines.join('\n')}\n`);
if (side)
  process.stderr.write(
    `side index sizes: ${JSON.stringify(side.sizes)}; archive FTS: ${db.prepare(`SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'papers_fts%'`).pluck().get()}\n`,
  );
process.stdout.write(JSON.stringify({ papers: total, reps, summary, plans, queries: per, side }, null, 2) + '\n');
for (const w of workers) await w.terminate();
