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

/** `added`: fetched by id with `papers add`, listed on the day it was added. */
export type ListingType = 'new' | 'cross' | 'replace' | 'replace-cross' | 'submitted' | 'added';

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
  /**
   * How many list pages made the day (paged sources). A list of several pages that is
   * shorter than the archive's may have been cut at a page: the core does not trust it.
   */
  pages?: number;
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

/** What a feed answered last time, so the next request can be conditional. */
export interface FeedCache {
  etag: string | null;
  lastModified: string | null;
}

/** One announcement: its day (null when the feed names none), its papers in order. */
export interface Announcement {
  day: Day | null;
  entries: PaperRecord[];
  skipped: number;
  url: string;
  /** Why the feed's day was refused (a day after tomorrow, not a calendar day): then day is null. */
  dayProblem?: string;
}

export interface AnnouncementDeps {
  http: HttpClient;
  signal?: AbortSignal;
  /** The run's clock: the days a source gives are checked against it. */
  now?: () => Date;
}

/** A page of a backfill: each record with the day it is listed on, and where to go on. */
export interface HarvestPage {
  records: { record: PaperRecord; day: Day }[];
  /** Records left out because their day cannot be a listing day: how many, and the first reason. */
  refused?: { count: number; example: string };
  /** Opaque resume point for the next page; null after the last one. */
  next: string | null;
  url: string;
}

/** A resume point the source no longer accepts (an expired OAI-PMH token): start again. */
export class CursorExpiredError extends Error {}

/**
 * A source that announces in batches rather than by requested day (arXiv): the latest
 * announcement from a feed, earlier days from a harvest, papers by id.
 */
export interface AnnouncementSource {
  /** Stored in listings.source, sync_days.source and the sources table. */
  readonly name: string;
  /** The latest announcement; `announcement: null` when the cache says nothing changed. */
  fetchLatest(
    cache: FeedCache | null,
    deps: AnnouncementDeps,
  ): Promise<{ announcement: Announcement | null; cache: FeedCache }>;
  /** When a feed fetched at `fetchedAt` (that named `day`) is worth asking again. */
  nextCheckAt(fetchedAt: number, day: Day | null): number;
  /** The day an announcement made at `now` would be listed on (for recording a failure). */
  currentDay(now: number): Day;
  /** One page of the papers first submitted on or after `since`; `cursor` null starts. */
  harvestPage(since: Day, cursor: string | null, deps: AnnouncementDeps): Promise<HarvestPage>;
  /** Ids one `fetchByIds` request asks for: `papers add` saves each batch on its own. */
  readonly idBatch: number;
  /** Papers by id; `missing` are the ids the source does not know. */
  fetchByIds(ids: readonly string[], deps: AnnouncementDeps): Promise<{ found: PaperRecord[]; missing: string[] }>;
}
