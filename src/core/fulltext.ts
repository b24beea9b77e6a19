/**
 * Full text in the archive: saving a paper's pages (one transaction), reading them back,
 * ranking papers by their body (BM25 over pages, each paper at its best page) and the
 * counts `status` shows. The PDF is never needed here: only the stored text.
 */
import type { DB } from '../db/open.js';
import { UsageError } from '../errors.js';
import { asPaper, type Paper } from './papers.js';
import { getPaper, HIGHLIGHT, listPapers, quoteFts, type PaperFilter } from './query.js';

/** What made the text: the PDF library and this layout's version (a better layout re-extracts). */
const EXTRACTOR = 'pdf.js 5.6.205 (unpdf 1.7.0), layout 1';

/** How much of the next page a page's row also indexes: a sentence over a page break. */
const TAIL_CHARS = 300;

export interface FullTextRecord {
  id: string;
  version: number | null;
  pages: string[];
  pdfBytes: number;
  pdfSha256: string;
  pdfFile: string | null;
  ms: number;
  fetchedAt: string;
}

export interface FullTextInfo {
  id: string;
  version: number | null;
  pages: number;
  chars: number;
  pdfBytes: number;
  pdfFile: string | null;
  extractor: string;
  fetchedAt: string;
}

/** The first words of a page, up to TAIL_CHARS and a word's end. */
function tailOf(text: string | undefined): string {
  if (!text) return '';
  const s = text.replace(/\s+/g, ' ').slice(0, TAIL_CHARS);
  const cut = s.lastIndexOf(' ');
  return cut > TAIL_CHARS / 2 ? s.slice(0, cut) : s;
}

/** A paper's text, replacing what was there, in one transaction; its last failure is forgotten. */
export function saveFullText(db: DB, r: FullTextRecord): void {
  const chars = r.pages.reduce((n, p) => n + p.length, 0);
  db.transaction(() => {
    db.prepare(
      `INSERT INTO fulltext (paper_id, version, pages, chars, pdf_bytes, pdf_sha256, pdf_file, extractor, ms,
         fetched_at)
       VALUES (@id, @version, @pages, @chars, @pdfBytes, @pdfSha256, @pdfFile, @extractor, @ms, @fetchedAt)
       ON CONFLICT(paper_id) DO UPDATE SET version = excluded.version, pages = excluded.pages, chars = excluded.chars,
         pdf_bytes = excluded.pdf_bytes, pdf_sha256 = excluded.pdf_sha256, pdf_file = excluded.pdf_file,
         extractor = excluded.extractor, ms = excluded.ms, fetched_at = excluded.fetched_at`,
    ).run({ ...r, pages: r.pages.length, chars, extractor: EXTRACTOR });
    // Pages past the new count go (a new version may be shorter); the others are upserted.
    db.prepare('DELETE FROM fulltext_pages WHERE paper_id = ? AND page > ?').run(r.id, r.pages.length);
    const put = db.prepare(
      `INSERT INTO fulltext_pages (paper_id, page, text, tail) VALUES (?, ?, ?, ?)
       ON CONFLICT(paper_id, page) DO UPDATE SET text = excluded.text, tail = excluded.tail
       WHERE text IS NOT excluded.text OR tail IS NOT excluded.tail`,
    );
    r.pages.forEach((text, i) => put.run(r.id, i + 1, text, tailOf(r.pages[i + 1])));
    db.prepare('DELETE FROM fulltext_failures WHERE paper_id = ?').run(r.id);
  })();
}

/** Remembers why a paper gave no text (status and the next fetch say so). */
export function saveFailure(db: DB, id: string, error: string, page: number | undefined, at: string): void {
  db.prepare(
    `INSERT INTO fulltext_failures (paper_id, error, page, attempts, at) VALUES (?, ?, ?, 1, ?)
     ON CONFLICT(paper_id) DO UPDATE SET error = excluded.error, page = excluded.page,
       attempts = attempts + 1, at = excluded.at`,
  ).run(id, error, page ?? null, at);
}

/** Why the last fetch of a paper gave no text, if it failed. */
export function lastFailure(db: DB, id: string): string | undefined {
  return db.prepare('SELECT error FROM fulltext_failures WHERE paper_id = ?').pluck().get(id) as string | undefined;
}

const INFO = `paper_id AS id, version, pages, chars, pdf_bytes AS pdfBytes, pdf_file AS pdfFile, extractor,
  fetched_at AS fetchedAt`;

export function getFullTextInfo(db: DB, id: string): FullTextInfo | undefined {
  return db.prepare(`SELECT ${INFO} FROM fulltext WHERE paper_id = ?`).get(id) as FullTextInfo | undefined;
}

/** Which of the ids have their text already. */
export function withFullText(db: DB, ids: readonly string[]): Set<string> {
  const rows = db
    .prepare('SELECT paper_id FROM fulltext WHERE paper_id IN (SELECT value FROM json_each(?))')
    .pluck()
    .all(JSON.stringify(ids)) as string[];
  return new Set(rows);
}

/** The pages of a paper's text, page 1 first (all, or one). */
export function readPages(db: DB, id: string, page?: number): { page: number; text: string }[] {
  if (page !== undefined) {
    return db.prepare('SELECT page, text FROM fulltext_pages WHERE paper_id = ? AND page = ?').all(id, page) as {
      page: number;
      text: string;
    }[];
  }
  return db.prepare('SELECT page, text FROM fulltext_pages WHERE paper_id = ? ORDER BY page').all(id) as {
    page: number;
    text: string;
  }[];
}

/** Kept PDFs, oldest first: what the cache cap evicts. */
export function keptPdfs(db: DB): { id: string; file: string; bytes: number }[] {
  return db
    .prepare(
      `SELECT paper_id AS id, pdf_file AS file, pdf_bytes AS bytes FROM fulltext
       WHERE pdf_file IS NOT NULL ORDER BY fetched_at, paper_id`,
    )
    .all() as { id: string; file: string; bytes: number }[];
}

export function forgetPdf(db: DB, id: string): void {
  db.prepare('UPDATE fulltext SET pdf_file = NULL WHERE paper_id = ?').run(id);
}

export interface FullTextStatus {
  papers: number;
  pages: number;
  /** Bytes of stored text. */
  textBytes: number;
  /** Bytes of its FTS index (null where SQLite has no dbstat to measure it). */
  indexBytes: number | null;
  /** Bytes of the PDFs kept beside the archive. */
  pdfBytes: number;
  pdfs: number;
  failed: number;
}

export function fullTextStatus(db: DB): FullTextStatus {
  const has = db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'fulltext'`).get();
  if (!has) return { papers: 0, pages: 0, textBytes: 0, indexBytes: 0, pdfBytes: 0, pdfs: 0, failed: 0 };
  const r = db
    .prepare(
      `SELECT count(*) AS papers, coalesce(sum(pages), 0) AS pages,
         coalesce(sum(pdf_bytes) FILTER (WHERE pdf_file IS NOT NULL), 0) AS pdfBytes,
         count(pdf_file) AS pdfs,
         (SELECT coalesce(sum(length(CAST(text AS BLOB))), 0) FROM fulltext_pages) AS textBytes,
         (SELECT count(*) FROM fulltext_failures) AS failed
       FROM fulltext`,
    )
    .get() as Omit<FullTextStatus, 'indexBytes'>;
  let indexBytes: number | null = null;
  try {
    // Aggregate mode: one row per table, without reading every page's details.
    indexBytes = db
      .prepare(`SELECT coalesce(sum(pgsize), 0) FROM dbstat('main', 1) WHERE name = 'fulltext_fts_data'`)
      .pluck()
      .get() as number;
  } catch {
    /* no dbstat in this SQLite */
  }
  return { ...r, indexBytes };
}

export interface FullTextHit {
  paper: Paper | null;
  id: string;
  /** The page the passage is on. */
  page: number;
  score: number;
  /** The best passage, with HIGHLIGHT marks around each match. */
  passage: string;
}

export interface FullTextSearchOptions extends PaperFilter {
  query: string;
  raw?: boolean;
  limit?: number;
}

/** The ids a list filter selects, or undefined when it selects everything. */
function filteredIds(db: DB, f: PaperFilter): string[] | undefined {
  const narrows = Object.values(f).some((v) => v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0));
  if (!narrows) return undefined;
  const out: string[] = [];
  for (const p of listPapers(db, { ...f, limit: undefined })) out.push(p.id);
  return out;
}

/**
 * Papers ranked by their body: BM25 over pages (a page's row also indexes the start of the
 * next), each paper at its best page, best first; with the passage of that page that
 * matches best. List filters narrow to the papers they select.
 */
export function* searchFullText(db: DB, opts: FullTextSearchOptions): Generator<FullTextHit> {
  const q = opts.query.trim();
  if (!q) throw new UsageError('the search query is empty', { hint: 'papers search --full-text "GSM8K"' });
  const match = opts.raw ? q : quoteFts(q);
  if (match === null || opts.limit === 0) return;
  const { query: _q, raw: _r, limit: _l, ...filter } = opts;
  const ids = filteredIds(db, filter);
  if (ids && ids.length === 0) return;
  const where = ids ? 'AND fp.paper_id IN (SELECT value FROM json_each(?))' : '';
  // Pages best first; a paper's first page in that order is its best, so papers are ranked
  // by their best page. Under a limit, the top pages are ranked in a bounded heap (ORDER BY
  // ... LIMIT), more of them only when too few papers are among them.
  // Without a filter, pages are ranked on the index alone and only the top ones are looked
  // up (a common word matches most pages: joining each one first doubled the time).
  const sql = ids
    ? `SELECT fp.paper_id AS id, fp.page AS page, f.rowid AS pk, bm25(fulltext_fts, 1.0, 0.5) AS score
      FROM fulltext_fts f JOIN fulltext_pages fp ON fp.pk = f.rowid
      WHERE fulltext_fts MATCH ? ${where}
      ORDER BY score, f.rowid`
    : `SELECT fp.paper_id AS id, fp.page AS page, r.pk AS pk, r.score AS score
      FROM (SELECT rowid AS pk, bm25(fulltext_fts, 1.0, 0.5) AS score FROM fulltext_fts
            WHERE fulltext_fts MATCH ? ORDER BY score, rowid LIMIT_HERE) r
      JOIN fulltext_pages fp ON fp.pk = r.pk
      ORDER BY r.score, r.pk`;
  type Row = { id: string; page: number; pk: number; score: number };
  const ranked = (k?: number) => {
    try {
      const limit = k === undefined ? '' : `LIMIT ${k}`;
      const text = ids ? `${sql} ${limit}` : sql.replace('LIMIT_HERE', limit);
      return db.prepare(text).all(match, ...(ids ? [JSON.stringify(ids)] : [])) as Row[];
    } catch (err) {
      const msg = (err as Error).message ?? '';
      if (opts.raw && /fts5|syntax error|no such column|unterminated|unknown special query/i.test(msg)) {
        throw new UsageError(`invalid search syntax: ${msg.replace(/^fts5: /, '')}`, {
          hint: 'FTS5 syntax: words, "exact phrases", prefix*, AND / OR / NOT, NEAR(a b, 5); drop --raw',
          cause: err,
        });
      }
      throw err;
    }
  };
  const best = (pages: Row[]) => {
    const seen = new Set<string>();
    return pages.filter((r) => !seen.has(r.id) && seen.add(r.id));
  };
  let rows: Row[];
  if (opts.limit === undefined) rows = best(ranked());
  else {
    for (let k = Math.max(50, opts.limit * 8); ; k *= 4) {
      const pages = ranked(k);
      rows = best(pages);
      if (rows.length >= opts.limit || pages.length < k) break;
    }
    rows = rows.slice(0, opts.limit);
  }
  const passage = db
    .prepare(
      `SELECT snippet(fulltext_fts, 0, '${HIGHLIGHT.open}', '${HIGHLIGHT.close}', '…', 32) FROM fulltext_fts
       WHERE fulltext_fts MATCH ? AND rowid = CAST(? AS INTEGER)`,
    )
    .pluck();
  for (const r of rows) {
    const paper = getPaper(db, r.id);
    yield {
      paper: paper ? asPaper(paper) : null,
      id: r.id,
      page: r.page,
      score: r.score,
      passage: (passage.get(match, r.pk) as string | null) ?? '',
    };
  }
}

/** Every stored page of the papers a filter selects (all fetched papers without one), in id and page order. */
export function* pagesOf(db: DB, filter: PaperFilter): Generator<{ id: string; page: number; text: string }> {
  const ids = filteredIds(db, filter);
  const sql = ids
    ? `SELECT paper_id AS id, page, text FROM fulltext_pages
       WHERE paper_id IN (SELECT value FROM json_each(?)) ORDER BY paper_id, page`
    : 'SELECT paper_id AS id, page, text FROM fulltext_pages ORDER BY paper_id, page';
  yield* db.prepare(sql).iterate(...(ids ? [JSON.stringify(ids)] : [])) as IterableIterator<{
    id: string;
    page: number;
    text: string;
  }>;
}

export interface GrepFullTextLine {
  page: number;
  /** The paragraph's number on its page (as `papers read --page N` prints the page, piped). */
  line: number;
  text: string;
}

export interface GrepFullTextPaper {
  id: string;
  lines: GrepFullTextLine[];
}

/**
 * Papers with the paragraphs of their pages that match (or with `invert`, that do not), in
 * id order; `mode` 'without' yields the papers with none. `limit` counts papers.
 */
export function* grepFullText(
  pages: Iterable<{ id: string; page: number; text: string }>,
  re: RegExp,
  opts: { invert?: boolean; mode?: 'lines' | 'with' | 'without' | 'count'; limit?: number; signal?: AbortSignal },
): Generator<GrepFullTextPaper> {
  let n = 0;
  let cur: GrepFullTextPaper | null = null;
  const emit = function* (p: GrepFullTextPaper | null) {
    if (!p) return false;
    const keep = opts.mode === 'without' ? p.lines.length === 0 : p.lines.length > 0;
    if (!keep) return false;
    yield p;
    return opts.limit !== undefined && ++n >= opts.limit;
  };
  for (const pg of pages) {
    if (opts.signal?.aborted) return;
    if (!cur || cur.id !== pg.id) {
      if (yield* emit(cur)) return;
      cur = { id: pg.id, lines: [] };
    }
    pg.text.split('\n').forEach((text, i) => {
      re.lastIndex = 0;
      if (re.test(text) !== !!opts.invert) cur!.lines.push({ page: pg.page, line: i + 1, text });
    });
  }
  yield* emit(cur);
}
