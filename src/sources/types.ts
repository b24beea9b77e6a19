/**
 * What every listing source gives the core. The core knows nothing of Hugging Face:
 * it asks an adapter for a day's entries and saves typed records.
 */
import type { Day } from '../dates.js';
import type { HttpClient, RequestBudget } from '../http/client.js';

/** One paper as a source lists it, normalised for display; `raw` keeps the entry as it came. */
export interface PaperRecord {
  id: string;
  title: string;
  abstract: string;
  authors: string[];
  publishedAt: string | null; // the arXiv first-version time
  upvotes: number;
  comments: number | null;
  aiSummary: string | null;
  aiKeywords: string[];
  githubRepo: string | null;
  githubStars: number | null;
  projectPage: string | null;
  organization: string | null;
  submitter: string | null;
  raw: string;
  /** arXiv's metadata, from the arXiv sources only: an HF record leaves these fields alone. */
  arxiv?: ArxivMeta;
  /** How the listing carried the paper (arXiv: new, cross, replace, replace-cross, submitted). */
  listingType?: ListingType;
}

export type ListingType = 'new' | 'cross' | 'replace' | 'replace-cross' | 'submitted';

export interface ArxivMeta {
  /** The version the source described (`2411.17700v3` is 3); null when it does not say. */
  version: number | null;
  /** Primary first. */
  categories: string[];
  doi: string | null;
  journalRef: string | null;
  /** The authors' comments (`12 pages, 3 figures`). */
  comments: string | null;
  license: string | null;
}

export interface ParsedDay {
  /** In list order: the index is the rank. Unique by id. */
  entries: PaperRecord[];
  /** Entries dropped because they lacked an id or a title, or were not objects. */
  skipped: number;
  /** The listing day a page names for itself, when it does. */
  day?: Day;
}

export interface FetchedDay extends ParsedDay {
  via: string;
  requests: number;
}

export interface FetchDeps {
  http: HttpClient;
  endpoint: string;
  signal?: AbortSignal;
  budget: RequestBudget;
}

export interface SourceAdapter {
  /** Stored in listings.source and sync_days.source. */
  readonly name: string;
  /** The first day the source has lists: days before it are never fetched. */
  readonly firstDay?: Day;
  /** Ways of fetching a day, the first being the default (e.g. `api`, `html`). */
  readonly vias: readonly string[];
  fetchDay(day: Day, deps: FetchDeps, via?: string): Promise<FetchedDay>;
  /** A saved response body (file import). `hint` is the file name. */
  parseSaved(body: string, hint: string): Promise<ParsedDay>;
}
