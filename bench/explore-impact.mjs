#!/usr/bin/env node
// Would impact-ordered postings with an upper bound make search's exact top 20 cheap? For
// each benchmark query this rebuilds FTS5's bm25 from the index itself (per-column hit counts
// from fts5vocab 'instance', row lengths from the docsize table), checks that it gives FTS5's
// own top 20, then simulates a threshold algorithm over per-term lists sorted by impact
// (the term's bm25 part for that paper): read the lists in turn, score each new paper
// completely, stop when the 20th best score reaches the sum of the impacts at the lists'
// read positions. It reports how many postings and papers that touches against the matches
// FTS5 ranks today. Nothing is built; this is the measurement that decides whether to.
//   node bench/explore-impact.mjs DB [--queries N]
import Database from 'better-sqlite3';
import { buildPools, loadSamples, topicQueries } from './lib/samples.mjs';
import { now } from './lib/measure.mjs';

const [path, ...rest] = process.argv.slice(2);
const nq = rest.includes('--queries') ? Number(rest[rest.indexOf('--queries') + 1]) : 30;
const WEIGHTS = [10, 4, 4, 2, 1]; // src/db/migrations.ts FTS_WEIGHTS, in column order
const K1 = 1.2;
const B = 0.75;
const db = new Database(path, { readonly: true });
const tmp = new Database(':memory:');
tmp.exec(`CREATE VIRTUAL TABLE q USING fts5(x, tokenize='porter unicode61 remove_diacritics 2');
  CREATE VIRTUAL TABLE qv USING fts5vocab(q, instance);`);
/** The index terms of a query word, as the archive's tokenizer makes them. */
function termsOf(text) {
  tmp.exec('DELETE FROM q');
  tmp.prepare('INSERT INTO q(x) VALUES (?)').run(text);
  return tmp.prepare('SELECT term FROM qv ORDER BY offset').pluck().all();
}

db.exec(`CREATE VIRTUAL TABLE temp.vi USING fts5vocab(main, papers_fts, instance)`);
const postings = db.prepare('SELECT doc, col, count(*) AS n FROM temp.vi WHERE term = ? GROUP BY doc, col');
const COLS = ['title', 'ai_summary', 'ai_keywords', 'abstract', 'authors'];

// Row lengths (tokens over all columns): the docsize table's varints.
const t0 = now();
const len = new Map();
let total = 0;
for (const { id, sz } of db.prepare('SELECT id, sz FROM papers_fts_docsize').iterate()) {
  let n = 0;
  for (let i = 0; i < sz.length; ) {
    // SQLite varints: big-endian, 7 bits a byte, the high bit set on all but the last.
    let v = 0;
    for (;;) {
      const b = sz[i++];
      v = v * 128 + (b & 0x7f);
      if (b < 0x80) break;
    }
    n += v;
  }
  len.set(id, n);
  total += n;
}
const N = len.size;
const avgdl = total / N;
process.stderr.write(`${N} rows, average ${avgdl.toFixed(1)} tokens (${((now() - t0) / 1000).toFixed(1)} s)\n`);

const ftsTop = db
  .prepare(
    `SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? ORDER BY bm25(papers_fts, ${WEIGHTS.join(', ')}), rowid LIMIT 20`,
  )
  .pluck();
const out = [];
for (const q of topicQueries(buildPools(loadSamples())).slice(0, nq)) {
  const words = q.query.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
  // quoteFts: each word its own phrase, all required. A word of several tokens ("multi-step")
  // is a phrase; this simulation handles one-token phrases and skips the others.
  const phrases = words.map(termsOf);
  if (phrases.some((p) => p.length !== 1)) {
    out.push({ query: q.query, skipped: 'a word of several tokens (a phrase)' });
    continue;
  }
  const terms = phrases.map((p) => p[0]);
  const lists = terms.map((t) => {
    const w = new Map();
    for (const r of postings.iterate(t)) w.set(r.doc, (w.get(r.doc) ?? 0) + WEIGHTS[COLS.indexOf(r.col)] * r.n);
    return w;
  });
  const impact = lists.map((w) => {
    const idf = Math.max(1e-6, Math.log((N - w.size + 0.5) / (w.size + 0.5)));
    const m = new Map();
    for (const [d, x] of w) m.set(d, (idf * x * (K1 + 1)) / (x + K1 * (1 - B + (B * len.get(d)) / avgdl)));
    return m;
  });
  // Exact: every paper with all terms, scored completely (what FTS5 does today).
  const [first, ...others] = [...impact].sort((a, b) => a.size - b.size);
  const scored = [];
  for (const [d, s] of first) {
    let sum = s;
    let all = true;
    for (const o of others) {
      const x = o.get(d);
      if (x === undefined) {
        all = false;
        break;
      }
      sum += x;
    }
    if (all) scored.push([d, sum]);
  }
  scored.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const top = scored.slice(0, 20).map((x) => x[0]);
  const fts = ftsTop.all(words.map((w) => `"${w.replace(/"/g, '""')}"`).join(' '));
  // Threshold algorithm over impact-sorted lists (sorted access in turn, random access to score).
  const sorted = impact.map((m) => [...m].sort((a, b) => b[1] - a[1]));
  const seen = new Set();
  const best = [];
  let reads = 0;
  let scoredTa = 0;
  let pos = 0;
  for (;;) {
    let tau = 0;
    let any = false;
    for (let t = 0; t < sorted.length; t++) {
      const e = sorted[t][pos];
      if (!e) continue;
      any = true;
      reads++;
      tau += e[1];
      if (seen.has(e[0])) continue;
      seen.add(e[0]);
      let sum = 0;
      let all = true;
      for (const m of impact) {
        const x = m.get(e[0]);
        if (x === undefined) {
          all = false;
          break;
        }
        sum += x;
      }
      scoredTa++;
      if (all) {
        best.push([e[0], sum]);
        best.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
        if (best.length > 20) best.pop();
      }
    }
    // A list that ran out adds nothing more to the bound: its remaining impact is 0, but a
    // paper must be in every list, so once any list is exhausted nothing new can qualify.
    const exhausted = sorted.some((l) => pos >= l.length - 1);
    pos++;
    if (!any || exhausted || (best.length === 20 && best[19][1] >= tau)) break;
  }
  const taTop = best.map((x) => x[0]);
  out.push({
    query: q.query,
    kind: q.kind,
    terms,
    matches: scored.length,
    sameAsFts: top.join() === fts.join(),
    taSame: taTop.join() === top.join(),
    postingsRead: reads,
    papersScored: scoredTa,
    share: scoredTa / Math.max(1, scored.length),
  });
  const r = out[out.length - 1];
  process.stderr.write(
    `${JSON.stringify(q.query)}: ${r.matches} matches; rebuilt bm25 ${r.sameAsFts ? '=' : '≠'} FTS5 top 20; threshold algorithm scores ${r.papersScored} papers (${(100 * r.share).toFixed(2)}%), ${r.taSame ? 'same' : 'DIFFERENT'} top 20\n`,
  );
}
process.stdout.write(JSON.stringify({ rows: N, avgdl, queries: out }, null, 2) + '\n');
