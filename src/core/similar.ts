/**
 * Papers similar in text to one paper, offline and without a model: a weighted
 * "more like this" over the FTS5 index.
 *
 * 1. The paper's own terms, tokenized exactly as the index tokenizes them (porter,
 *    unicode61, diacritics folded): its text goes into a scratch FTS5 table with the
 *    same tokenizer and comes back out through fts5vocab, so stems always match.
 * 2. Each term's weight in the paper: column-weighted term frequency (title counts
 *    most, then keywords and AI summary, then abstract; authors not at all: they are
 *    not the topic) times its IDF over the archive (fts5vocab 'row' gives document
 *    frequencies). The top terms are the paper's most distinctive.
 * 3. Every paper holding one of them is scored with BM25 over those terms (postings
 *    from fts5vocab 'instance', filtered by term, so only the terms' doclists are read),
 *    each term's contribution scaled by its weight in the source paper.
 * Similarity is that score over the paper's score against itself (0..1).
 */
import type { DB } from '../db/open.js';
import { PapersError } from '../errors.js';
import type { Paper } from './papers.js';
import { getPaper, type PaperFilter } from './query.js';
import { hasFilter, papersAmong } from './new.js';

const COLUMN_WEIGHT: Record<string, number> = { title: 3, ai_keywords: 2, ai_summary: 1.5, abstract: 1 };
const TEXT_COLUMNS = ['title', 'ai_summary', 'ai_keywords', 'abstract'] as const;
const TOKENIZER = `porter unicode61 remove_diacritics 2`;
/** Porter stems of function words: with a small archive IDF alone cannot tell them apart. */
const STOP = new Set(
  (
    'a an and ar as at be been but by can do doe for from ha have how in is it its into not of on or our over ' +
    'such than that the their them thei then there these thi those to us use via wa we were what when where ' +
    'which while who will with within without you'
  ).split(' '),
);
const K1 = 1.2;
const B = 0.75;

export interface SimilarOptions extends PaperFilter {
  limit?: number;
  /** How many distinctive terms to query with. */
  terms?: number;
}

export interface SimilarHit extends Paper {
  /** Relative to the paper's similarity to itself: 0..1. */
  similarity: number;
}

export interface SimilarResult {
  paper: Paper;
  /** The distinctive terms (stems), most weighty first. */
  terms: string[];
  hits: SimilarHit[];
}

interface SourceRow {
  pk: number;
  title: string;
  ai_summary: string | null;
  ai_keywords: string;
  abstract: string;
}

function ensureVocab(db: DB): void {
  db.exec(`
    CREATE VIRTUAL TABLE IF NOT EXISTS temp.papers_sim_row USING fts5vocab(main, papers_fts, row);
    CREATE VIRTUAL TABLE IF NOT EXISTS temp.papers_sim_inst USING fts5vocab(main, papers_fts, instance);
    CREATE VIRTUAL TABLE IF NOT EXISTS temp.papers_sim_doc
      USING fts5(${TEXT_COLUMNS.join(', ')}, tokenize='${TOKENIZER}');
    CREATE VIRTUAL TABLE IF NOT EXISTS temp.papers_sim_doc_inst USING fts5vocab(temp, papers_sim_doc, instance);
  `);
}

/** term -> column-weighted frequency in the source paper, tokenized as the index does. */
function sourceTerms(db: DB, row: SourceRow): Map<string, number> {
  db.prepare('DELETE FROM temp.papers_sim_doc').run();
  db.prepare(`INSERT INTO temp.papers_sim_doc (rowid, ${TEXT_COLUMNS.join(', ')}) VALUES (1, ?, ?, ?, ?)`).run(
    row.title,
    row.ai_summary ?? '',
    row.ai_keywords,
    row.abstract,
  );
  const tf = new Map<string, number>();
  const rows = db.prepare('SELECT term, col, count(*) AS n FROM temp.papers_sim_doc_inst GROUP BY term, col').all() as {
    term: string;
    col: string;
    n: number;
  }[];
  db.prepare('DELETE FROM temp.papers_sim_doc').run();
  for (const r of rows) {
    if (STOP.has(r.term) || r.term.length < 2 || /^\d+$/.test(r.term)) continue;
    tf.set(r.term, (tf.get(r.term) ?? 0) + (COLUMN_WEIGHT[r.col] ?? 0) * r.n);
  }
  return tf;
}

const idf = (n: number, df: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5));

export function similarPapers(db: DB, id: string, opts: SimilarOptions = {}): SimilarResult {
  const row = db.prepare('SELECT pk, title, ai_summary, ai_keywords, abstract FROM papers WHERE id = ?').get(id) as
    | SourceRow
    | undefined;
  const paper = row ? getPaper(db, id) : undefined;
  if (!row || !paper) {
    throw new PapersError(`${id} is not in the archive`, {
      hint: `fetch it from arXiv with \`papers add ${id}\`, or sync the days that list it (papers sync --since ...)`,
    });
  }
  ensureVocab(db);
  const n = db.prepare('SELECT count(*) FROM papers').pluck().get() as number;
  const dfOf = db.prepare('SELECT doc FROM temp.papers_sim_row WHERE term = ?').pluck();

  // 2. The paper's most distinctive terms. A term no other paper has cannot find a
  // neighbour; one in most papers of a large archive says nothing about the topic.
  const candidates: { term: string; qtf: number; idf: number; weight: number }[] = [];
  for (const [term, qtf] of sourceTerms(db, row)) {
    if (qtf <= 0) continue;
    const df = (dfOf.get(term) as number | undefined) ?? 0;
    if (df < 2) continue;
    if (n >= 40 && df > n / 2) continue;
    const i = idf(n, df);
    candidates.push({ term, qtf, idf: i, weight: (1 + Math.log(qtf)) * i });
  }
  candidates.sort((a, b) => b.weight - a.weight || a.term.localeCompare(b.term));
  const chosen = candidates.slice(0, opts.terms ?? 30);

  // 3. BM25 of every paper holding a chosen term, over the weighted columns.
  // One row per occurrence (doc, column); counted here, which is faster than GROUP BY.
  const postings = db.prepare('SELECT doc, col FROM temp.papers_sim_inst WHERE term = ?').raw();
  const tfByDoc = new Map<number, Map<string, number>>();
  for (const c of chosen) {
    for (const [doc, col] of postings.all(c.term) as [number, string][]) {
      const w = COLUMN_WEIGHT[col];
      if (!w) continue;
      let m = tfByDoc.get(doc);
      if (!m) tfByDoc.set(doc, (m = new Map()));
      m.set(c.term, (m.get(c.term) ?? 0) + w);
    }
  }
  if (!tfByDoc.has(row.pk)) return { paper, terms: chosen.map((c) => c.term), hits: [] };
  const lengthSql = `length(title) + coalesce(length(ai_summary), 0) + length(ai_keywords) + length(abstract)`;
  const avgLen = (db.prepare(`SELECT avg(${lengthSql}) FROM papers`).pluck().get() as number | null) || 1;
  const docs = db
    .prepare(`SELECT pk, id, ${lengthSql} AS len FROM papers WHERE pk IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify([...tfByDoc.keys()])) as { pk: number; id: string; len: number }[];
  const score = (tfs: Map<string, number>, len: number) => {
    let s = 0;
    const norm = K1 * (1 - B + (B * len) / avgLen);
    for (const c of chosen) {
      const tf = tfs.get(c.term);
      if (tf) s += (1 + Math.log(c.qtf)) * c.idf * ((tf * (K1 + 1)) / (tf + norm));
    }
    return s;
  };
  let self = 0;
  const scored: { id: string; score: number }[] = [];
  for (const d of docs) {
    const s = score(tfByDoc.get(d.pk)!, d.len);
    if (d.pk === row.pk) self = s;
    else if (s > 0) scored.push({ id: d.id, score: s });
  }
  scored.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));

  // 4. The list filters, then the limit.
  const limit = opts.limit;
  const hits: SimilarHit[] = [];
  const sim = (s: number) => (self > 0 ? Math.min(1, Math.round((s / self) * 1000) / 1000) : 0);
  if (!hasFilter(opts)) {
    for (const s of scored) {
      if (limit !== undefined && hits.length >= limit) break;
      const p = getPaper(db, s.id);
      if (p) hits.push({ ...p, similarity: sim(s.score) });
    }
  } else {
    const allowed = new Map(papersAmong(db, new Set(scored.map((s) => s.id)), opts).map((p) => [p.id, p]));
    for (const s of scored) {
      if (limit !== undefined && hits.length >= limit) break;
      const p = allowed.get(s.id);
      if (p) hits.push({ ...p, similarity: sim(s.score) });
    }
  }
  return { paper, terms: chosen.map((c) => c.term), hits };
}
