/**
 * Cleans the text columns of an archive written before remote text was cleaned at ingest
 * (escape sequences, controls, bidi and zero-width characters; URLs with whitespace inside).
 * Only rows that change are written; the FTS triggers keep the index in step.
 */
import type Database from 'better-sqlite3';
import { MAX_AUTHORS, MAX_NAME, MAX_TITLE, cleanField, cleanUrl, foldText } from '../text.js';

interface Row {
  pk: number;
  id: string;
  title: string;
  abstract: string;
  authors: string;
  ai_summary: string | null;
  ai_keywords: string;
  organization: string | null;
  submitter: string | null;
  github_repo: string | null;
  project_page: string | null;
  raw_repo: unknown;
  raw_page: unknown;
}

const COLUMNS = [
  'title',
  'abstract',
  'authors',
  'authors_key',
  'ai_summary',
  'ai_keywords',
  'organization',
  'submitter',
  'github_repo',
  'project_page',
] as const;

function list(json: string, max: number, count = Infinity): string[] {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(v)) return [];
  const out: string[] = [];
  for (const x of v) {
    const s = typeof x === 'string' ? cleanField(x, max) : '';
    if (s) out.push(s);
    if (out.length === count) break;
  }
  return out;
}

const orNull = (s: string | null, max: number) => (s === null ? null : cleanField(s, max) || null);

/**
 * The URL from the raw entry, where the old parser kept only its first token
 * (`https://github.com/` of `https://github.com/\nowner/repo`); else the column's.
 */
function url(column: string | null, raw: unknown, repo: boolean): string | null {
  if (column === null) return null;
  return cleanUrl(typeof raw === 'string' ? raw : column, { repo });
}

function cleanRow(r: Row): Record<string, unknown> {
  const authors = list(r.authors, MAX_NAME, MAX_AUTHORS);
  return {
    pk: r.pk,
    title: cleanField(r.title, MAX_TITLE) || r.id,
    abstract: cleanField(r.abstract),
    authors: JSON.stringify(authors),
    authors_key: foldText(authors.join('\n')),
    ai_summary: orNull(r.ai_summary, Infinity),
    ai_keywords: JSON.stringify(list(r.ai_keywords, MAX_NAME)),
    organization: orNull(r.organization, MAX_NAME),
    submitter: orNull(r.submitter, MAX_NAME),
    github_repo: url(r.github_repo, r.raw_repo, true),
    project_page: url(r.project_page, r.raw_page, false),
  };
}

const rawField = (name: string) =>
  `CASE WHEN ${name === 'githubRepo' ? 'github_repo' : 'project_page'} IS NOT NULL AND json_valid(raw)
     THEN coalesce(json_extract(raw, '$.paper.${name}'), json_extract(raw, '$.${name}')) END`;

export function cleanStoredText(db: Database.Database): number {
  const select = db.prepare(`
    SELECT pk, id, title, abstract, authors, authors_key, ai_summary, ai_keywords, organization, submitter,
      github_repo, project_page, ${rawField('githubRepo')} AS raw_repo, ${rawField('projectPage')} AS raw_page
    FROM papers`);
  // Collected first: better-sqlite3 cannot write while a SELECT is being iterated.
  const changed: Record<string, unknown>[] = [];
  for (const r of select.iterate() as IterableIterator<Row & { authors_key: string }>) {
    const c = cleanRow(r);
    if (COLUMNS.some((k) => c[k] !== r[k])) changed.push(c);
  }
  const update = db.prepare(`UPDATE papers SET ${COLUMNS.map((c) => `${c} = @${c}`).join(', ')} WHERE pk = @pk`);
  for (const c of changed) update.run(c);
  return changed.length;
}

const ARXIV_COLUMNS = [
  'title',
  'abstract',
  'authors',
  'authors_key',
  'submitter',
  'doi',
  'journal_ref',
  'arxiv_comments',
  'license',
] as const;

type ArxivRow = Record<(typeof ARXIV_COLUMNS)[number], string | null> & { pk: number; id: string };

/**
 * Cleans the text of papers arXiv described (issue 23.6: its titles were stored with NUL and
 * escape sequences): the same cleaning ingest now gives them (sources/arxiv/records.ts), on
 * the rows that have arXiv's values, writing only those that change. Idempotent.
 */
export function cleanArxivText(db: Database.Database): number {
  const select = db.prepare(`SELECT pk, id, ${ARXIV_COLUMNS.join(', ')} FROM papers WHERE arxiv_raw IS NOT NULL`);
  const changed: Record<string, unknown>[] = [];
  for (const r of select.iterate() as IterableIterator<ArxivRow>) {
    const authors = list(r.authors ?? '[]', MAX_NAME, MAX_AUTHORS);
    const c: Record<string, unknown> = {
      pk: r.pk,
      title: cleanField(r.title ?? '', MAX_TITLE) || r.id,
      abstract: cleanField(r.abstract ?? ''),
      authors: JSON.stringify(authors),
      authors_key: foldText(authors.join('\n')),
      submitter: orNull(r.submitter, MAX_NAME),
      doi: orNull(r.doi, MAX_NAME),
      journal_ref: orNull(r.journal_ref, Infinity),
      arxiv_comments: orNull(r.arxiv_comments, Infinity),
      license: orNull(r.license, MAX_NAME),
    };
    if (ARXIV_COLUMNS.some((k) => c[k] !== r[k])) changed.push(c);
  }
  const set = ARXIV_COLUMNS.map((c) => `${c} = @${c}`).join(', ');
  const update = db.prepare(`UPDATE papers SET ${set} WHERE pk = @pk`);
  for (const c of changed) update.run(c);
  return changed.length;
}
