/**
 * What `show` adds to the paper shape: every listing with its source, day, type and whether
 * upstream still lists it; the reader's star and tags; and what arXiv's archived element
 * says beyond the columns (versions and their dates, the current version's date,
 * affiliations), read from the raw element kept beside them.
 */
import type { DB } from '../db/open.js';
import type { Day } from '../dates.js';
import { type ArxivDetails, parseArxivDetails } from '../sources/arxiv/details.js';

export interface ListingDetail {
  source: string;
  day: Day;
  type: string | null;
  /** When a sync first saw it gone from the upstream list; null while listed. */
  goneAt: string | null;
}

export interface PaperDetails extends ArxivDetails {
  listings: ListingDetail[];
  star: { starredAt: string; tags: string[] } | null;
}

export function paperDetails(db: DB, id: string): PaperDetails {
  // Stored source names are the names users type (`hf` since m009), so no mapping.
  const listings = db
    .prepare('SELECT source, day, type, gone_at AS goneAt FROM listings WHERE paper_id = ? ORDER BY day, source')
    .all(id) as ListingDetail[];
  const star = db.prepare('SELECT starred_at FROM stars WHERE paper_id = ?').pluck().get(id) as string | undefined;
  const tags = db.prepare('SELECT tag FROM star_tags WHERE paper_id = ? ORDER BY tag').pluck().all(id) as string[];
  const raw = db.prepare('SELECT arxiv_raw FROM papers WHERE id = ?').pluck().get(id) as string | null | undefined;
  return {
    ...parseArxivDetails(raw),
    listings,
    star: star === undefined ? null : { starredAt: star, tags },
  };
}
