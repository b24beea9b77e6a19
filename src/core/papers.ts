/**
 * The paper model every read command shares, and the one function that turns an
 * archive row into it. `--json`, NDJSON and JSON exports all use `paperJson`.
 */
import type { Day } from '../dates.js';
import { arxivUrl, hfUrl, pdfUrl } from '../ids.js';

/**
 * Listings that list the paper as one of the day's papers: a replacement (`replace`,
 * `replace-cross`) updates a paper announced before, so it is not one of that day's.
 */
export const LISTED = `(type IS NULL OR type NOT IN ('replace', 'replace-cross'))`;

/** The columns every read query selects (`p` is papers), with the listing days and listings. */
export const PAPER_SELECT = `p.pk, p.id, p.title, p.abstract, p.authors, p.published_at, p.upvotes, p.comments,
  p.ai_summary, p.ai_keywords, p.github_repo, p.github_stars, p.project_page, p.organization,
  p.submitter, p.first_seen, p.updated_at, p.categories, p.version, p.doi, p.journal_ref, p.arxiv_comments,
  p.license,
  (SELECT group_concat(day, ',') FROM (SELECT DISTINCT day FROM listings WHERE paper_id = p.id AND ${LISTED}
    ORDER BY day)) AS days,
  (SELECT group_concat(day, ',') FROM (SELECT DISTINCT day FROM listings WHERE paper_id = p.id AND gone_at IS NOT NULL
    ORDER BY day)) AS gone_days,
  (SELECT group_concat(source || ' ' || day || ' ' || coalesce(type, ''), ',')
    FROM (SELECT source, day, type FROM listings WHERE paper_id = p.id ORDER BY day, source)) AS listings`;

export interface PaperRow {
  pk: number;
  id: string;
  title: string;
  abstract: string;
  authors: string;
  published_at: string | null;
  upvotes: number;
  comments: number | null;
  ai_summary: string | null;
  ai_keywords: string;
  github_repo: string | null;
  github_stars: number | null;
  project_page: string | null;
  organization: string | null;
  submitter: string | null;
  first_seen: string;
  updated_at: string;
  days: string | null;
  /** Listing days whose upstream list no longer has the paper. */
  gone_days?: string | null;
  categories: string;
  version: number | null;
  doi: string | null;
  journal_ref: string | null;
  arxiv_comments: string | null;
  license: string | null;
  /** `source day type` per listing, comma-separated (no part holds a space or a comma). */
  listings: string | null;
  /** The listing day a query grouped the paper under (latest in range). */
  day?: string | null;
  rank?: number | null;
  snippet?: string | null;
}

export interface Paper {
  id: string;
  title: string;
  authors: string[];
  abstract: string;
  /** HF's upvotes; null for a paper HF never listed (an arXiv listing has no votes, not 0). */
  upvotes: number | null;
  comments: number | null;
  publishedAt: string | null;
  days: Day[];
  /** Of `days`, those whose upstream list no longer has the paper (kept until `sync --prune`). */
  gone: Day[];
  day: Day | null;
  url: string;
  pdfUrl: string;
  /** Null where HF cannot have the paper (old-style ids). */
  hfUrl: string | null;
  githubRepo: string | null;
  githubStars: number | null;
  projectPage: string | null;
  organization: string | null;
  submitter: string | null;
  aiSummary: string | null;
  aiKeywords: string[];
  firstSeen: string;
  updatedAt: string;
  /** arXiv's categories, primary first (empty until arXiv describes the paper). */
  categories: string[];
  primaryCategory: string | null;
  version: number | null;
  doi: string | null;
  journalRef: string | null;
  /** The authors' comments on arXiv (`12 pages, 3 figures`); `comments` is HF's count. */
  arxivComments: string | null;
  license: string | null;
  /** Every listing: `hf` or the arXiv source, its day, how it listed the paper (null for HF). */
  listings: Listing[];
}

export interface Listing {
  source: string;
  day: Day;
  type: string | null;
}

function listingsOf(s: string | null): Listing[] {
  if (!s) return [];
  return s.split(',').map((x) => {
    const [source, day, type] = x.split(' ');
    return { source: source!, day: day!, type: type ? type : null };
  });
}

function jsonArray(s: string | null | undefined): string[] {
  if (!s) return [];
  try {
    const v = JSON.parse(s) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** A row to the paper shape: the JSON of `--json`, NDJSON and JSON exports, key order included. */
export function toPaper(row: PaperRow): Paper {
  const days = row.days ? row.days.split(',') : [];
  const listings = listingsOf(row.listings ?? null);
  return {
    id: row.id,
    title: row.title,
    authors: jsonArray(row.authors),
    abstract: row.abstract,
    upvotes: onHf(row, listings) ? row.upvotes : null,
    comments: row.comments,
    publishedAt: row.published_at,
    days,
    gone: row.gone_days ? row.gone_days.split(',') : [],
    day: row.day ?? days[days.length - 1] ?? null,
    url: arxivUrl(row.id),
    pdfUrl: pdfUrl(row.id),
    hfUrl: hfUrl(row.id),
    githubRepo: row.github_repo,
    githubStars: row.github_stars,
    projectPage: row.project_page,
    organization: row.organization,
    submitter: row.submitter,
    aiSummary: row.ai_summary,
    aiKeywords: jsonArray(row.ai_keywords),
    firstSeen: row.first_seen,
    updatedAt: row.updated_at,
    categories: jsonArray(row.categories),
    primaryCategory: jsonArray(row.categories)[0] ?? null,
    version: row.version ?? null,
    doi: row.doi ?? null,
    journalRef: row.journal_ref ?? null,
    arxivComments: row.arxiv_comments ?? null,
    license: row.license ?? null,
    listings,
  };
}

/**
 * Whether HF has listed the paper: an HF listing (the only kind without a type), or an
 * HF body kept for it (a listing since pruned). A paper only arXiv listed has no upvotes.
 */
function onHf(row: PaperRow, listings: readonly Listing[]): boolean {
  return listings.some((l) => l.type === null) || (row.listings === null && row.comments !== null);
}

/** Listing types, most telling first: the one a paper's line shows when it has several. */
const TYPE_ORDER = ['new', 'cross', 'submitted', 'replace', 'replace-cross'];

/** The section of an announcement a listing type belongs to: 0 the category's own, 1 cross-lists, 2, 3 replacements. */
export function listingSection(type: string | null): number {
  return type === 'cross' ? 1 : type === 'replace' ? 2 : type === 'replace-cross' ? 3 : 0;
}

/** What a section of an announcement is called on the terminal. */
export const SECTION_HEADINGS = ['New', 'Cross-lists', 'Replacements', 'Replacements of cross-lists'] as const;

/** How arXiv listed the paper on `day` (new, cross...), or null (HF's listing, or none that day). */
export function listingTypeOn(p: Pick<Paper, 'listings'>, day: Day | null): string | null {
  let best: string | null = null;
  for (const l of p.listings) {
    if (l.day !== day || l.type === null) continue;
    if (best === null || TYPE_ORDER.indexOf(l.type) < TYPE_ORDER.indexOf(best)) best = l.type;
  }
  return best;
}

/** A search hit or a scored paper as the paper alone (what --json and exports print). */
export function asPaper<P extends Paper>(p: P & { snippet?: unknown; score?: unknown }): Paper {
  if (!('snippet' in p) && !('score' in p)) return p;
  const { snippet: _snippet, score: _score, ...paper } = p;
  return paper;
}
