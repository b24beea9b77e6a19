/**
 * The reader's library: starred papers with tags and the time they were starred. Stars
 * live in their own tables (m008), keyed by canonical id, so a re-sync, which upserts
 * papers, never touches them. `recommend` trains on them.
 */
import type { DB } from '../db/open.js';
import { PapersError, UsageError, checkAborted } from '../errors.js';
import { parsePaperId } from '../ids.js';
import { parseLibrary, type LibraryFormat, type LibraryItem, type ParsedLibrary } from '../sources/library-import.js';
import { HF_SOURCE } from '../sources/source-name.js';
import { foldText, quoteArg } from '../text.js';
import { readInput } from './input.js';
import { PAPER_SELECT, toPaper, type Paper, type PaperRow } from './papers.js';

export interface LibraryEntry extends Paper {
  starredAt: string;
  tags: string[];
}

export interface StarResult {
  /** Newly starred, in the order given. */
  starred: string[];
  /** Starred before (their tags may have grown). */
  already: string[];
  tags: string[];
}

export interface UnstarResult {
  /** Stars removed, or with `tags`: stars that lost one of those tags. */
  removed: string[];
  notStarred: string[];
}

/** Letters or digits first, then also spaces and `_ . / : + -`; at most 64 characters. */
const TAG = /^[\p{L}\p{N}][\p{L}\p{N} _./:+-]{0,63}$/u;

/** A tag as stored: inner whitespace collapsed; refused when it could not be typed back. */
export function checkTag(tag: string): string {
  const t = tag.trim().replace(/\s+/g, ' ');
  if (!TAG.test(t)) {
    throw new UsageError(`invalid tag ${quoteArg(tag)}`, {
      hint:
        'a tag starts with a letter or digit and has at most 64 letters, digits, spaces or "_ . / : + -", ' +
        'e.g. rl or reading-group',
    });
  }
  return t;
}

function isTag(tag: string): boolean {
  return TAG.test(tag.trim().replace(/\s+/g, ' '));
}

function checkTags(tags: readonly string[] | undefined): string[] {
  const out: string[] = [];
  for (const t of tags ?? []) {
    const c = checkTag(t);
    if (!out.some((o) => o.toLowerCase() === c.toLowerCase())) out.push(c);
  }
  return out;
}

const exists = (db: DB) => {
  const q = db.prepare('SELECT 1 FROM papers WHERE id = ?').pluck();
  return (id: string) => q.get(id) !== undefined;
};

/** Canonical ids of what the user typed (every form `show` takes), duplicates dropped. */
function parseIds(inputs: readonly string[], known: (id: string) => boolean): string[] {
  return [...new Set(inputs.map((i) => parsePaperId(i, known)))];
}

/**
 * Stars papers (and tags them). Every id must be in the archive: when one is not, none is
 * starred and the error says how to fetch it. Starring again keeps the first time and adds
 * the tags.
 */
export function saveStars(
  db: DB,
  inputs: readonly string[],
  opts: { tags?: readonly string[]; now: Date },
): StarResult {
  const tags = checkTags(opts.tags);
  const has = exists(db);
  const ids = parseIds(inputs, has);
  const missing = ids.filter((id) => !has(id));
  if (missing.length) throw notInArchive(missing);
  const at = opts.now.toISOString();
  const insert = db.prepare('INSERT INTO stars (paper_id, starred_at) VALUES (?, ?) ON CONFLICT(paper_id) DO NOTHING');
  const tag = db.prepare('INSERT INTO star_tags (paper_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING');
  return db
    .transaction((): StarResult => {
      const r: StarResult = { starred: [], already: [], tags };
      for (const id of ids) {
        (insert.run(id, at).changes ? r.starred : r.already).push(id);
        for (const t of tags) tag.run(id, t);
      }
      return r;
    })
    .immediate();
}

export function notInArchive(ids: readonly string[]): PapersError {
  const shown = ids.length > 5 ? `${ids.slice(0, 5).join(', ')} and ${ids.length - 5} more` : ids.join(', ');
  return new PapersError(`not in the archive: ${shown}`, {
    hint: `fetch ${ids.length === 1 ? 'it' : 'them'} first with \`papers add ${ids.join(' ')}\`, then star again`,
  });
}

/** Removes stars, or with `tags` only those tags (the stars stay). */
export function removeStars(db: DB, inputs: readonly string[], opts: { tags?: readonly string[] } = {}): UnstarResult {
  const tags = checkTags(opts.tags);
  const starred = db.prepare('SELECT 1 FROM stars WHERE paper_id = ?').pluck();
  const has = exists(db);
  const ids = parseIds(inputs, (id) => starred.get(id) !== undefined || has(id));
  const unstar = db.prepare('DELETE FROM stars WHERE paper_id = ?');
  const untag = db.prepare('DELETE FROM star_tags WHERE paper_id = ? AND tag = ?');
  return db
    .transaction((): UnstarResult => {
      const r: UnstarResult = { removed: [], notStarred: [] };
      for (const id of ids) {
        if (starred.get(id) === undefined) r.notStarred.push(id);
        else if (!tags.length) {
          unstar.run(id);
          r.removed.push(id);
        } else if (tags.map((t) => untag.run(id, t).changes).some((n) => n > 0)) r.removed.push(id);
      }
      return r;
    })
    .immediate();
}

/** Starred ids, all or those with a tag. */
export function starredIds(db: DB, tag?: string): Set<string> {
  const ids =
    tag === undefined
      ? db.prepare('SELECT paper_id FROM stars').pluck().all()
      : db.prepare('SELECT paper_id FROM star_tags WHERE tag = ?').pluck().all(checkTag(tag));
  return new Set(ids as string[]);
}

/**
 * The library, most recently starred first: each paper with its tags and star time. A
 * star whose paper is gone from the archive is left out (and kept: `papers add` restores it).
 */
export function listLibrary(db: DB, opts: { tag?: string } = {}): LibraryEntry[] {
  const tag = opts.tag === undefined ? undefined : checkTag(opts.tag);
  const rows = db
    .prepare(
      `SELECT ${PAPER_SELECT}, s.starred_at,
         (SELECT json_group_array(tag)
          FROM (SELECT tag FROM star_tags t WHERE t.paper_id = s.paper_id ORDER BY tag)) AS tags
       FROM stars s JOIN papers p ON p.id = s.paper_id
       WHERE ? IS NULL OR EXISTS (SELECT 1 FROM star_tags t WHERE t.paper_id = s.paper_id AND t.tag = ?)
       ORDER BY s.starred_at DESC, p.id`,
    )
    .all(tag ?? null, tag ?? null) as (PaperRow & { starred_at: string; tags: string })[];
  return rows.map((r) => ({ ...toPaper(r), starredAt: r.starred_at, tags: JSON.parse(r.tags) as string[] }));
}

/** Every tag with how many stars carry it, by name. */
export function libraryTags(db: DB): { tag: string; count: number }[] {
  return db
    .prepare('SELECT tag, count(*) AS count FROM star_tags GROUP BY tag COLLATE NOCASE ORDER BY tag COLLATE NOCASE')
    .all() as { tag: string; count: number }[];
}

// ---- library import -------------------------------------------------------------------------

export interface ImportedEntry {
  key: string;
  title: string | null;
  /** The archive paper it matched, or the arXiv id it names. */
  id: string | null;
  /** How it matched: the arXiv id it names (and the field), its DOI, or its title. */
  by: string | null;
}

export interface LibraryImportResult {
  file: string;
  format: LibraryFormat;
  entries: number;
  /** In the archive: starred (and tagged). */
  matched: ImportedEntry[];
  /** arXiv papers that are not in the archive: `papers add` fetches them. */
  fetchable: ImportedEntry[];
  /** No arXiv id, and nothing in the archive with its DOI or title. */
  notArxiv: ImportedEntry[];
  /** Entries the file holds that could not be read. */
  errors: string[];
  starred: string[];
  already: string[];
  tags: string[];
}

/** Titles compared without case, accents, LaTeX or punctuation. */
export function normalizeTitle(s: string): string {
  return foldText(s)
    .replace(/\\[a-z]+/g, ' ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Reads a BibTeX or CSL-JSON export and stars the papers of the archive it names, matched
 * by arXiv id, then DOI, then title. Nothing is fetched: the result lists the arXiv papers
 * that `papers add` would bring in.
 */
export async function importLibrary(
  deps: { db: DB; now: () => Date },
  file: string,
  opts: { tags?: readonly string[]; format?: LibraryFormat; signal?: AbortSignal; parsed?: ParsedLibrary } = {},
): Promise<LibraryImportResult> {
  const tags = checkTags(opts.tags);
  const parsed = opts.parsed ?? (await readLibrary(file, opts));
  checkAborted(opts.signal);
  const db = deps.db;
  const has = exists(db);
  const r: LibraryImportResult = {
    file,
    format: parsed.format,
    entries: parsed.items.length,
    matched: [],
    fetchable: [],
    notArxiv: [],
    errors: parsed.errors,
    starred: [],
    already: [],
    tags,
  };
  const rest: LibraryItem[] = [];
  // The file's own tags of each paper (its keywords, as `library export` writes them).
  const fileTags = new Map<string, string[]>();
  const keep = (id: string | null, it: LibraryItem) => {
    if (id && it.keywords?.length) fileTags.set(id, [...(fileTags.get(id) ?? []), ...it.keywords]);
  };
  for (const it of parsed.items) {
    keep(it.arxivId, it);
    const e = { key: it.key, title: it.title, id: it.arxivId, by: it.arxivFrom };
    if (!it.arxivId) rest.push(it);
    else (has(it.arxivId) ? r.matched : r.fetchable).push(e);
  }
  const byDoi = doiMatches(
    db,
    rest.map((it) => it.doi).filter((d): d is string => d !== null),
  );
  let byTitle: Map<string, string> | undefined;
  for (const it of rest) {
    const doiId = it.doi ? byDoi.get(it.doi) : undefined;
    byTitle ??= rest.some((x) => x.title) ? archiveTitles(db) : new Map();
    const titleId = it.title ? byTitle.get(normalizeTitle(it.title)) : undefined;
    const id = doiId ?? titleId ?? null;
    const by = doiId ? 'doi' : titleId ? 'title' : null;
    (id ? r.matched : r.notArxiv).push({ key: it.key, title: it.title, id, by });
    keep(id, it);
  }
  if (r.matched.length) {
    const s = saveStars(
      db,
      r.matched.map((m) => m.id!),
      { tags, now: deps.now() },
    );
    r.starred = s.starred;
    r.already = s.already;
    const now = deps.now();
    for (const m of r.matched) {
      // A keyword that cannot be a tag (a character tags do not take) is left out, not an error.
      const own = (fileTags.get(m.id!) ?? []).filter(isTag);
      if (own.length) saveStars(db, [m.id!], { tags: own, now });
    }
  }
  return r;
}

/** The largest export `library import` reads (the parser reads about 100 KB a second). */
export const LIBRARY_LIMIT = 32 * 1024 * 1024;

/**
 * A reference manager's export, read bounded and parsed (BibTeX in a worker with a deadline),
 * before the archive is opened: a refused or interrupted file leaves it untouched.
 */
export async function readLibrary(
  file: string,
  opts: { format?: LibraryFormat; signal?: AbortSignal; deadlineMs?: number } = {},
): Promise<ParsedLibrary> {
  const body = await readInput(file, { limit: LIBRARY_LIMIT, signal: opts.signal });
  return parseLibrary(body, file, opts.format, { signal: opts.signal, deadlineMs: opts.deadlineMs });
}

/** normalised title -> id over the archive; where two papers share a title, the newer id. */
function archiveTitles(db: DB): Map<string, string> {
  const m = new Map<string, string>();
  const rows = db.prepare('SELECT id, title FROM papers ORDER BY id').raw().iterate();
  for (const [id, title] of rows as IterableIterator<[string, string]>) {
    m.set(normalizeTitle(title), id);
  }
  return m;
}

/** The DOIs arXiv gives every paper (DataCite): they name arXiv's record, never a journal's. */
const ARXIV_DOI_PREFIX = '10.48550/arxiv.';

/** Whether `text` names `doi` whole: not as the start of a longer DOI (10.1000/xyz1 in 10.1000/xyz12). */
function namesDoi(text: string, doi: string): boolean {
  for (let i = text.indexOf(doi); i >= 0; i = text.indexOf(doi, i + 1)) {
    // A letter, digit, _ / - goes on; so does . or ( ) before one (a sentence's full stop does not).
    if (!/^(?:[\p{L}\p{N}_/-]|[.()][\p{L}\p{N}])/u.test(text.slice(i + doi.length, i + doi.length + 2))) return true;
  }
  return false;
}

/**
 * DOI -> id for the papers whose stored entry names the DOI (a source that carries DOIs,
 * such as arXiv's). One scan, in SQLite, for entries with a DOI key at all; the few rows
 * it returns are searched here. Hugging Face entries carry no DOI, and skipping them first
 * spares reading their stored JSON (1.3 s -> 0.14 s on 100k papers). A DOI arXiv itself
 * gave (10.48550/arXiv.*) is never matched this way: an entry naming one names its arXiv id,
 * or, when that id is not one, nothing of the archive (its text is in every arXiv record).
 */
function doiMatches(db: DB, dois: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const wanted = dois.filter((d) => !d.startsWith(ARXIV_DOI_PREFIX));
  if (!wanted.length) return out;
  const rows = db
    .prepare(
      `SELECT id, lower(raw) AS raw FROM papers
       WHERE source <> '${HF_SOURCE}' AND (instr(raw, '"doi"') OR instr(raw, '"DOI"') OR instr(raw, ':doi'))
       ORDER BY id`,
    )
    .all() as { id: string; raw: string }[];
  for (const doi of wanted) {
    const hit = rows.find((row) => namesDoi(row.raw, doi));
    if (hit) out.set(doi, hit.id);
  }
  return out;
}
