/**
 * The read side shared by today, list, search, show and export: one filter model,
 * one SQL builder, rows streamed in order so that exports never hold them all.
 */
import type { Day } from '../dates.js';
import { UsageError } from '../errors.js';
import type { DB } from '../db/open.js';
import { foldText } from '../text.js';
import { FTS_WEIGHTS } from '../db/migrations.js';
import { LISTED, PAPER_SELECT, toPaper, type Paper, type PaperRow } from './papers.js';

/** `github-stars` is the repository's stars (`star` is the reader's own); `stars` is its old name. */
export type SortKey = 'date' | 'upvotes' | 'github-stars' | 'stars' | 'rising';
export const SORT_KEYS: readonly SortKey[] = ['date', 'upvotes', 'github-stars', 'rising'];

export interface PaperFilter {
  since?: Day;
  until?: Day;
  /** Words or phrases; all must match unless `any`. */
  keywords?: string[];
  any?: boolean;
  exclude?: string[];
  author?: string;
  org?: string;
  minUpvotes?: number;
  hasCode?: boolean;
  /** Only these papers (canonical ids): applies the other filters to a candidate set. */
  ids?: readonly string[];
  /** Only papers stored after this row (papers.pk): what a new-mark has not covered. */
  minPk?: number;
  /** Only papers stored up to this row: the archive as a read found it. */
  maxPk?: number;
  /** Listed by these sources: `hf`, `arxiv` (any arXiv source) or a source's name (`arxiv:cs.CL`). */
  sources?: readonly string[];
  /** In these arXiv categories (any of a paper's); `cs` or `cs.*` is the whole archive. */
  categories?: readonly string[];
  /**
   * Listed as these types (new, cross, replace, replace-cross, submitted; HF listings have
   * none) or `all`. By default every listing but replacements, which update a paper
   * announced before and are not one of that day's papers.
   */
  types?: readonly string[];
}

export const LISTING_TYPES = ['new', 'cross', 'replace', 'replace-cross', 'submitted', 'added'] as const;

/**
 * Whether the archive has replacement listings at all (a partial index answers at once):
 * an archive of HF alone keeps its query plans without the type condition.
 */
export function hasReplacements(db: DB): boolean {
  return db.prepare(`SELECT 1 FROM listings WHERE type IN ('replace', 'replace-cross') LIMIT 1`).get() !== undefined;
}

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * The listing conditions of a filter on listings alias `a` (sources and types), as SQL
 * with its values inlined (they are names from a fixed vocabulary or checked source
 * names), so every listings join of a query can carry it. '' when there are none.
 */
export function listingCondition(f: PaperFilter, a: string, replacements = true): string {
  const out: string[] = [];
  if (f.sources?.length) {
    const any = f.sources.map((src) => {
      return src === 'arxiv'
        ? `(${a}.source = 'arxiv' OR ${a}.source LIKE 'arxiv:%')`
        : `${a}.source = ${sqlString(src)}`;
    });
    out.push(`(${any.join(' OR ')})`);
  }
  const types = f.types ?? [];
  if (types.includes('all')) {
    // every listing
  } else if (types.length) {
    for (const t of types) {
      if (!(LISTING_TYPES as readonly string[]).includes(t)) {
        const hint = `use ${LISTING_TYPES.join(', ')} or all`;
        throw new UsageError(`unknown listing type ${JSON.stringify(t)}`, { hint });
      }
    }
    out.push(`${a}.type IN (${types.map(sqlString).join(', ')})`);
  } else if (replacements) {
    out.push(`(${a}.type IS NULL OR ${a}.type NOT IN ('replace', 'replace-cross'))`);
  }
  return out.map((c) => ` AND ${c}`).join('');
}

function categoryCondition(categories: readonly string[], params: unknown[]): string {
  const parts = categories.map((c) => {
    // `cs.*` and `cs` name the archive: its own name and every class in it.
    const archive = c.endsWith('.*') ? c.slice(0, -2) : c.includes('.') ? null : c;
    if (archive !== null) {
      params.push(archive, `${archive}.%`);
      return 'c.value = ? OR c.value LIKE ?';
    }
    params.push(c);
    return 'c.value = ?';
  });
  return `EXISTS (SELECT 1 FROM json_each(p.categories) c WHERE ${parts.join(' OR ')})`;
}

export interface ListOptions extends PaperFilter {
  /** Set by listPapers: whether replacement listings exist to be left out. */
  replacements?: boolean;
  sort?: SortKey;
  limit?: number;
  /** Rows a `-k` walk checks before the FTS plan takes over (WALK_BUDGET); tests set it. */
  walkBudget?: number;
}

export interface Hit extends Paper {
  /** Where the query matched, with \uE000...\uE001 around each match (search only). */
  snippet?: string;
  score?: number;
}

const HL_OPEN = '\uE000';
const HL_CLOSE = '\uE001';
export const HIGHLIGHT = { open: HL_OPEN, close: HL_CLOSE };

const WORD = /[\p{L}\p{N}]/u;

/** One FTS5 string: `"..."` with quotes doubled; FTS5 tokenizes it into a phrase. */
export function ftsString(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/**
 * Quotes free text for FTS5 MATCH, as sqlite-utils' quote_fts does: every
 * whitespace-separated token becomes a quoted string, so operators, parentheses,
 * stray quotes, `-` and `*` are plain text. Tokens with no letter or digit are dropped
 * (they would be empty phrases). Returns null when nothing searchable is left.
 */
export function quoteFts(query: string): string | null {
  const parts = query.split(/\s+/).filter((t) => WORD.test(t));
  return parts.length ? parts.map(ftsString).join(' ') : null;
}

/** A case- and accent-insensitive whole-word (or phrase) matcher over folded text. */
function wordMatcher(phrase: string): (folded: string) => boolean {
  const f = foldText(phrase.trim()).replace(/\s+/g, ' ');
  const esc = f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+');
  const pre = WORD.test(f[0] ?? '') ? '(?<![\\p{L}\\p{N}_])' : '';
  const post = WORD.test(f[f.length - 1] ?? '') ? '(?![\\p{L}\\p{N}_])' : '';
  const re = new RegExp(pre + esc + post, 'u');
  return (s) => re.test(s);
}

/** The stored keywords (a JSON array) as text: one per line, never their JSON quoting. */
function keywordsText(json: string | null): string {
  if (!json) return '';
  try {
    const list: unknown = JSON.parse(json);
    return Array.isArray(list) ? list.filter((k) => typeof k === 'string').join('\n') : '';
  } catch {
    return '';
  }
}

function keywordText(row: PaperRow): string {
  return foldText([row.title, row.abstract, row.ai_summary ?? '', keywordsText(row.ai_keywords)].join('\n'));
}

interface Built {
  where: string[];
  params: unknown[];
  /** Post-filter for what SQL only narrows down (exact word matches). */
  verify: ((row: PaperRow) => boolean) | null;
  /** `where` and `params` without the FTS narrowing of -k, and that MATCH string. */
  withoutFts?: { where: string[]; params: unknown[]; match: string };
}

function buildFilter(f: PaperFilter, days = true, replacements = true): Built {
  const where: string[] = [];
  const params: unknown[] = [];
  if (days && (f.since || f.until || f.sources?.length || f.types?.length)) {
    const cond = listingCondition(f, 'l', replacements);
    where.push(`EXISTS (SELECT 1 FROM listings l WHERE l.paper_id = p.id AND l.day BETWEEN ? AND ?${cond})`);
    params.push(f.since ?? '0000-00-00', f.until ?? '9999-99-99');
  } else if (days && replacements) {
    // No day or source asked for: still not a paper that only a replacement listed (it is
    // one of no day's papers), as list leaves it out; a paper added by id has no listing.
    where.push(
      `(NOT EXISTS (SELECT 1 FROM listings l WHERE l.paper_id = p.id)
        OR EXISTS (SELECT 1 FROM listings l WHERE l.paper_id = p.id AND ${LISTED.replace(/type/g, 'l.type')}))`,
    );
  }
  if (f.categories?.length) where.push(categoryCondition(f.categories, params));
  if (f.minUpvotes !== undefined) {
    where.push('p.upvotes >= ?');
    params.push(f.minUpvotes);
  }
  if (f.hasCode) where.push(`p.github_repo IS NOT NULL AND p.github_repo <> ''`);
  if (f.minPk !== undefined) {
    where.push('p.pk > ?');
    params.push(f.minPk);
  }
  if (f.maxPk !== undefined) {
    where.push('p.pk <= ?');
    params.push(f.maxPk);
  }
  if (f.ids) {
    where.push('p.id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(f.ids));
  }
  if (f.author) {
    where.push(`p.authors_key LIKE ? ESCAPE '\\'`);
    params.push(`%${likeEscape(foldText(f.author.trim()))}%`);
  }
  if (f.org) {
    where.push(`p.organization LIKE ? ESCAPE '\\'`);
    params.push(`%${likeEscape(f.org.trim())}%`);
  }
  const checks: ((text: string) => boolean)[] = [];
  let withoutFts: Built['withoutFts'];
  const keywords = (f.keywords ?? []).filter((k) => k.trim());
  if (keywords.length) {
    // FTS narrows (stemmed tokens match a superset of the exact words); the regex decides.
    const phrases = keywords.map((k) =>
      WORD.test(k) ? `{title abstract ai_summary ai_keywords} : ${ftsString(k)}` : null,
    );
    if (phrases.every((x) => x !== null)) {
      const match = phrases.map((x) => `(${x})`).join(f.any ? ' OR ' : ' AND ');
      withoutFts = { where: [...where], params: [...params], match };
      where.push(`p.pk IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)`);
      params.push(match);
    }
    const matchers = keywords.map(wordMatcher);
    checks.push(f.any ? (t) => matchers.some((m) => m(t)) : (t) => matchers.every((m) => m(t)));
  }
  const excludes = (f.exclude ?? []).filter((k) => k.trim()).map(wordMatcher);
  if (excludes.length) checks.push((t) => !excludes.some((m) => m(t)));
  const verify = checks.length
    ? (row: PaperRow) => {
        const t = keywordText(row);
        return checks.every((c) => c(t));
      }
    : null;
  return { where, params, verify, withoutFts };
}

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => '\\' + c);
}

/**
 * Without the FTS narrowing, a `-k` with a LIMIT first walks the rows in their order and
 * checks each: a common word fills the page within a few rows, where the FTS subquery
 * would collect every matching paper of the archive first (over a second at 1M papers).
 * After this many rows without a full page, the FTS plan takes over (a rare word).
 */
export const WALK_BUDGET = 2000;

/** Papers matching a filter, in order, lazily. */
export function* listPapers(db: DB, opts: ListOptions): Generator<Paper> {
  if (opts.limit === 0) return;
  if (opts.sort === 'rising') {
    throw new UsageError('--sort rising needs the upvote history: use it with `papers list`');
  }
  // The day range is part of both plans below, not a filter on top.
  const b = buildFilter(opts, false);
  opts = { ...opts, replacements: hasReplacements(db) };
  // Only where an index gives the order: sorting by stars would sort the whole range first.
  const ordered = !opts.sort || opts.sort === 'date' || opts.sort === 'upvotes';
  if (b.withoutFts && b.verify && opts.limit !== undefined && ordered) {
    const page = walk(
      db,
      opts,
      { ...b.withoutFts, verify: b.verify },
      b.withoutFts.match,
      opts.limit,
      opts.walkBudget ?? WALK_BUDGET,
    );
    if (page) {
      yield* page;
      return;
    }
  }
  yield* rows(db, opts, b, opts.limit);
}

/**
 * The first `limit` papers, or null when `budget` rows were checked without filling the
 * page. Rows are checked on their text columns alone (a third of the cost of a whole
 * paper); only the papers that pass are read whole.
 */
function walk(db: DB, opts: ListOptions, b: Built, match: string, limit: number, budget: number): Paper[] | null {
  const found: { pk: number; day: string | null }[] = [];
  // The FTS plan also requires the MATCH (a phrase within one column, FTS's own folding):
  // a row the text check passes is confirmed against the index, so both plans agree.
  const fts = db.prepare('SELECT 1 FROM papers_fts WHERE papers_fts MATCH ? AND rowid = ?');
  let checked = 0;
  for (const row of rowsOf(db, opts, b, WALK_COLUMNS)) {
    if (++checked > budget) return null;
    if (!b.verify!(row) || !fts.get(match, row.pk)) continue;
    found.push({ pk: row.pk, day: row.day ?? null });
    if (found.length >= limit) break;
  }
  const whole = db.prepare(`SELECT ${PAPER_SELECT}, ? AS day FROM papers p WHERE p.pk = ?`);
  return found.map((f) => toPaper(whole.get(f.day, f.pk) as PaperRow));
}

/** What a walk reads of each row: what verify() looks at, and the keys. */
const WALK_COLUMNS = 'p.pk, p.id, p.title, p.abstract, p.ai_summary, p.ai_keywords';

function* rows(db: DB, opts: ListOptions, b: Built, limit: number | undefined): Generator<Paper> {
  let n = 0;
  for (const row of rowsOf(db, opts, b, PAPER_SELECT, b.verify ? undefined : limit)) {
    if (b.verify && !b.verify(row)) continue;
    yield toPaper(row);
    if (limit !== undefined && ++n >= limit) return;
  }
}

/** The rows of a filter in the order asked for, `columns` of each, once per paper. */
function* rowsOf(db: DB, opts: ListOptions, b: Built, columns: string, limit?: number): Generator<PaperRow> {
  const since = opts.since ?? '0000-00-00';
  const until = opts.until ?? '9999-99-99';
  const extra = b.where.length ? 'AND ' + b.where.join(' AND ') : '';
  let sql: string;
  let params: unknown[];
  if (!opts.sort || opts.sort === 'date') {
    // Walk listings newest day first (the day index gives that order, so a LIMIT reads
    // only the first days); a paper appears under its latest listing day in the range.
    sql = `SELECT ${columns}, l.day AS day FROM listings l JOIN papers p ON p.id = l.paper_id
      WHERE l.day BETWEEN ? AND ?${listingCondition(opts, 'l', opts.replacements)}
        AND NOT EXISTS (SELECT 1 FROM listings l3 WHERE l3.paper_id = l.paper_id
          AND l3.day > l.day AND l3.day <= ?${listingCondition(opts, 'l3', opts.replacements)})
        ${extra}
      ORDER BY l.day DESC, p.upvotes DESC, p.id`;
    params = [since, until, until, ...b.params];
  } else {
    const order =
      opts.sort === 'upvotes'
        ? 'p.upvotes DESC, day DESC, p.id'
        : 'coalesce(p.github_stars, -1) DESC, p.upvotes DESC, p.id';
    sql = `SELECT ${columns},
        (SELECT max(day) FROM listings l2 WHERE l2.paper_id = p.id AND l2.day BETWEEN ? AND ?${listingCondition(
          opts,
          'l2',
          opts.replacements,
        )}) AS day
      FROM papers p
      WHERE EXISTS (SELECT 1 FROM listings l WHERE l.paper_id = p.id AND l.day BETWEEN ? AND ?${listingCondition(
        opts,
        'l',
        opts.replacements,
      )}) ${extra}
      ORDER BY ${order}`;
    params = [since, until, since, until, ...b.params];
  }
  if (limit !== undefined) sql += ` LIMIT ${Number(limit)}`;
  let last: string | undefined;
  for (const row of db.prepare(sql).iterate(...params) as IterableIterator<PaperRow>) {
    // Two sources listing a paper on the same day would give two rows.
    const key = `${row.id}@${row.day}`;
    if (key === last) continue;
    last = key;
    yield row;
  }
}

/**
 * A listing day's papers, by upvotes. Ties among papers HF listed go by id, the order `new`
 * and `list` give too (issue 22.12); papers only arXiv listed keep arXiv's order (its
 * rank: new, cross, replacements, each by id). `f` narrows by source, type and category.
 */
export function dayPapers(db: DB, day: Day, limit?: number, f: PaperFilter = {}): Paper[] {
  const params: unknown[] = [day];
  const cats = f.categories?.length ? `AND ${categoryCondition(f.categories, params)}` : '';
  const lim = limit === undefined ? '' : `LIMIT ${Number(limit)}`;
  const rows = db
    .prepare(
      `SELECT ${PAPER_SELECT}, l.day AS day FROM listings l JOIN papers p ON p.id = l.paper_id
       WHERE l.day = ?${listingCondition(f, 'l', hasReplacements(db))} ${cats}
       GROUP BY p.id ORDER BY p.upvotes DESC, max(l.type IS NULL) DESC,
         CASE WHEN max(l.type IS NULL) THEN p.id END, min(l.rank), p.id ${lim}`,
    )
    .all(...params) as PaperRow[];
  return rows.map(toPaper);
}

/**
 * The latest listing day with papers, on or before `onOrBefore`; with `f`, of those
 * sources and types (`today --source arxiv`: the latest announcement).
 */
export function latestListingDay(db: DB, onOrBefore?: Day, f?: PaperFilter): Day | null {
  const cond = f ? listingCondition(f, 'l', hasReplacements(db)) : '';
  const sql = `SELECT max(day) FROM listings l WHERE day <= ?${cond}`;
  return (
    (db
      .prepare(sql)
      .pluck()
      .get(onOrBefore ?? '9999-99-99') as Day | null) ?? null
  );
}

export function getPaper(db: DB, id: string): Paper | undefined {
  const row = db.prepare(`SELECT ${PAPER_SELECT} FROM papers p WHERE p.id = ?`).get(id) as PaperRow | undefined;
  return row ? toPaper(row) : undefined;
}

export interface SearchOptions extends PaperFilter {
  query: string;
  raw?: boolean;
  limit?: number;
  /** Compute a highlighted snippet per hit (costs a lookup per hit; the TTY view wants it). */
  snippets?: boolean;
}

const BM25 = `bm25(papers_fts, ${FTS_WEIGHTS.join(', ')})`;

/** Text as title phrases compare it: folded, every run of non-letters/digits (hyphens too) one space. */
function phraseText(s: string): string {
  return foldText(s)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The query as a title phrase (3 or more words), or null: shorter queries are topics. */
export function titlePhrase(query: string): string | null {
  const p = phraseText(query);
  return p.split(' ').length >= 3 ? p : null;
}

/** True when the title holds the phrase verbatim (whole words, any case, hyphens as spaces). */
export function titleHasPhrase(title: string, phrase: string): boolean {
  return ` ${phraseText(title)} `.includes(` ${phrase} `);
}

/**
 * Ranked full-text search: BM25 with the column weights of FTS_WEIGHTS, best first,
 * ties by row. Ranking is done on rowids alone (`bm25()` under a LIMIT lets SQLite keep a
 * small top-N heap; FTS5's own `ORDER BY rank` sorts every match and is ~1.6x slower on
 * common terms), then only the hits are read from papers.
 */
export function* searchPapers(db: DB, opts: SearchOptions): Generator<Hit> {
  const q = opts.query.trim();
  if (!q) throw new UsageError('the search query is empty', { hint: 'papers search "diffusion models"' });
  const match = opts.raw ? q : quoteFts(q);
  if (match === null || opts.limit === 0) return;
  const b = buildFilter(opts, true, hasReplacements(db));
  const join = b.where.length ? 'JOIN papers p ON p.pk = f.rowid' : '';
  const sql = `SELECT f.rowid AS pk, ${BM25} AS score FROM papers_fts f ${join}
    WHERE papers_fts MATCH ? ${b.where.length ? 'AND ' + b.where.join(' AND ') : ''}
    ORDER BY score, f.rowid
    ${b.verify || opts.limit === undefined ? '' : 'LIMIT ' + Number(opts.limit)}`;
  const byPk = db.prepare(`SELECT ${PAPER_SELECT} FROM papers p WHERE p.pk = ?`);
  const snippet = opts.snippets
    ? db
        .prepare(
          `SELECT snippet(papers_fts, -1, '${HL_OPEN}', '${HL_CLOSE}', '…', 16) FROM papers_fts
            WHERE papers_fts MATCH ? AND rowid = CAST(? AS INTEGER)`,
        )
        .pluck()
    : undefined;
  // A title fragment first: papers whose title holds the query verbatim, by the same BM25,
  // above those that only match its (stemmed) words. No such title, no change. When they
  // fill the page, the full ranking is not needed.
  const phrase = opts.raw ? null : titlePhrase(q);
  const page = b.verify ? undefined : opts.limit;
  const first = phrase ? titleHits(db, match, phrase, b, page) : [];
  let ranked: { pk: number; score: number }[];
  try {
    if (page !== undefined && first.length >= page) ranked = first;
    else {
      ranked = db.prepare(sql).all(match, ...b.params) as { pk: number; score: number }[];
      if (first.length) {
        const seen = new Set(first.map((r) => r.pk));
        ranked = [...first, ...ranked.filter((r) => !seen.has(r.pk))];
      }
    }
  } catch (err) {
    const msg = (err as Error).message ?? '';
    if (opts.raw && /fts5|syntax error|no such column|unterminated|unknown special query/i.test(msg)) {
      throw new UsageError(`invalid search syntax: ${msg.replace(/^fts5: /, '')}`, {
        hint:
          'FTS5 syntax: words, "exact phrases", prefix*, AND / OR / NOT, NEAR(a b, 5), column:word; ' +
          'drop --raw to search the text as typed',
        cause: err,
      });
    }
    throw err;
  }
  let n = 0;
  for (const { pk, score } of ranked) {
    const row = byPk.get(pk) as PaperRow | undefined;
    if (!row || (b.verify && !b.verify(row))) continue;
    const hit: Hit = toPaper(row);
    hit.score = score;
    if (snippet) hit.snippet = (snippet.get(match, pk) as string | null) ?? undefined;
    yield hit;
    if (opts.limit !== undefined && ++n >= opts.limit) return;
  }
}

/** How many papers a search matches (with its filters), whatever --limit shows. */
export function countSearch(db: DB, opts: SearchOptions): number {
  const q = opts.query.trim();
  const match = opts.raw ? q : quoteFts(q);
  if (!q || match === null) return 0;
  const b = buildFilter(opts, true, hasReplacements(db));
  const where = b.where.length ? 'AND ' + b.where.join(' AND ') : '';
  if (!b.verify) {
    return db
      .prepare(`SELECT count(*) FROM papers_fts f JOIN papers p ON p.pk = f.rowid WHERE papers_fts MATCH ? ${where}`)
      .pluck()
      .get(match, ...b.params) as number;
  }
  let n = 0;
  const rows = db.prepare(
    `SELECT p.* FROM papers_fts f JOIN papers p ON p.pk = f.rowid WHERE papers_fts MATCH ? ${where}`,
  );
  for (const row of rows.iterate(match, ...b.params) as IterableIterator<PaperRow>) if (b.verify(row)) n++;
  return n;
}

/**
 * The matches whose title holds `phrase` verbatim, best BM25 first (the first `limit`, if
 * given). FTS5 finds the titles with the phrase's tokens in sequence (stemmed); the title
 * text decides. With a limit, a few more than asked are ranked under a LIMIT (a top-N
 * heap), and only if too many of them fail the text check is the whole set ranked.
 */
function titleHits(db: DB, match: string, phrase: string, b: Built, limit?: number): { pk: number; score: number }[] {
  const sql = `SELECT f.rowid AS pk, ${BM25} AS score, p.title AS title
    FROM papers_fts f JOIN papers p ON p.pk = f.rowid
    WHERE papers_fts MATCH ? ${b.where.length ? 'AND ' + b.where.join(' AND ') : ''}
    ORDER BY score, f.rowid`;
  const params = [`(${match}) AND {title} : ${ftsString(phrase)}`, ...b.params];
  type Row = { pk: number; score: number; title: string };
  const keep = (rows: Row[]) =>
    rows.filter((r) => titleHasPhrase(r.title, phrase)).map(({ pk, score }) => ({ pk, score }));
  if (limit !== undefined) {
    const head = 2 * limit + 10;
    const rows = db.prepare(`${sql} LIMIT ${head}`).all(...params) as Row[];
    const hits = keep(rows);
    if (hits.length >= limit || rows.length < head) return hits.slice(0, limit);
  }
  return keep(db.prepare(sql).all(...params) as Row[]);
}
