/**
 * What the three arXiv parsers share: a record with arXiv's metadata and no HF signals,
 * text cleaned for display (whitespace collapsed, TeX made readable; the raw keeps both),
 * and the US Eastern calendar that arXiv announces on.
 */
import { listingDayProblem, type Day } from '../../dates.js';
import { ParseError } from '../../errors.js';
import { texToPlain } from '../../tex.js';
import { MAX_AUTHORS, MAX_NAME, MAX_TITLE, cleanField, normalizeSpace } from '../../text.js';
import type { ArxivMeta, ListingType, PaperRecord } from '../types.js';

export interface ArxivFields {
  id: string;
  title: string;
  abstract: string;
  authors: string[];
  publishedAt: string | null;
  submitter?: string | null;
  meta: ArxivMeta;
  type?: ListingType;
  raw: string;
}

/** Display text from arXiv's TeX: one line, TeX made readable. */
export function displayText(s: string | null | undefined): string {
  if (!s) return '';
  return normalizeSpace(texToPlain(normalizeSpace(s)));
}

/** Remote text as it is stored, or null when nothing is left (see cleanRemote). */
const cleanOrNull = (s: string | null | undefined, max = Infinity): string | null =>
  s ? cleanField(s, max) || null : null;

/**
 * A record from arXiv's fields, its text cleaned as HF's is at ingest (issue 23.6): escape
 * sequences, controls (NUL too), bidi and zero-width characters removed, after TeX was made
 * text (TeX's `^^[` is an escape), and capped; the raw element keeps what came.
 */
export function arxivRecord(f: ArxivFields): PaperRecord {
  const rec: PaperRecord = {
    id: f.id,
    title: cleanField(f.title, MAX_TITLE) || f.id,
    abstract: cleanField(f.abstract),
    authors: f.authors
      .map((a) => cleanField(a, MAX_NAME))
      .filter((a) => a !== '')
      .slice(0, MAX_AUTHORS),
    publishedAt: f.publishedAt,
    upvotes: 0,
    comments: null,
    aiSummary: null,
    aiKeywords: [],
    githubRepo: null,
    githubStars: null,
    projectPage: null,
    organization: null,
    submitter: cleanOrNull(f.submitter, MAX_NAME),
    raw: f.raw,
    arxiv: {
      ...f.meta,
      categories: f.meta.categories.map((c) => cleanField(c, MAX_NAME)).filter((c) => c !== ''),
      doi: cleanOrNull(f.meta.doi, MAX_NAME),
      journalRef: cleanOrNull(f.meta.journalRef),
      comments: cleanOrNull(f.meta.comments),
      license: cleanOrNull(f.meta.license, MAX_NAME),
    },
  };
  if (f.type) rec.listingType = f.type;
  return rec;
}

/** Display text, or null when nothing is left. */
export function displayOrNull(s: string | null | undefined): string | null {
  const t = displayText(s);
  return t ? t : null;
}

/**
 * Items to records in order, each id once. Items were there but none had an id and a
 * title: that is a changed format, not an empty list.
 */
export function uniqueRecords<T>(
  items: T[],
  parse: (item: T) => PaperRecord | null,
  where: string,
): { entries: PaperRecord[]; skipped: number } {
  const entries: PaperRecord[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  for (const item of items) {
    const rec = parse(item);
    if (!rec) skipped++;
    else if (!seen.has(rec.id)) {
      seen.add(rec.id);
      entries.push(rec);
    }
  }
  if (items.length > 0 && entries.length === 0) {
    const n = items.length;
    throw new ParseError(`none of the ${n} entries of ${where} has an id and a title; the format looks changed`, {
      url: where,
      hint: 'papers may need an update for the new format',
    });
  }
  return { entries, skipped };
}

/** Categories, primary first, each once. */
export function orderCategories(primary: string | null, all: string[]): string[] {
  const out: string[] = [];
  for (const c of primary ? [primary, ...all] : all) {
    const t = c.trim();
    if (t && !out.includes(t)) out.push(t);
  }
  return out;
}

export function isoTime(s: string | null | undefined): string | null {
  if (!s) return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** Made on first use: loading the zone's data costs 10 ms, which an HF sync never needs. */
let eastern: Intl.DateTimeFormat | undefined;

/** The calendar day in New York at an instant: arXiv's announcement day. */
export function easternDay(ms: number): Day {
  eastern ??= new Intl.DateTimeFormat('en-CA', {
    timeZone: 'America/New_York',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  return eastern.format(new Date(ms));
}

const MONTHS = 'jan feb mar apr may jun jul aug sep oct nov dec'.split(' ');

/** The first day arXiv announced papers (hep-th, August 1991): no arXiv listing day is before it. */
export const ARXIV_FIRST_DAY: Day = '1991-08-14';

/**
 * Why a day arXiv gave cannot be one of its listing days, or undefined (issue 23.4: a feed
 * dated 2027-06-01, an OAI datestamp of 2099, "99 Nov 2026"). The rules HF's days follow
 * (dates.ts listingDayProblem); `now` is the caller's clock.
 */
export function arxivDayProblem(day: string, now: Date | undefined): string | undefined {
  return listingDayProblem(day, now, { name: 'arXiv', firstDay: ARXIV_FIRST_DAY });
}

/**
 * The day a date names in its own offset: `Thu, 28 Nov 2024 00:00:00 -0500` (RFC 822) and
 * `2024-08-23T00:00:00-04:00` (ISO) are both 2024-11-28 / 2024-08-23, whatever the
 * machine's zone. Without an offset, the day in New York.
 */
export function localDay(s: string | null | undefined): Day | null {
  if (!s) return null;
  const iso = /^(\d{4}-\d{2}-\d{2})T/.exec(s.trim());
  if (iso) return iso[1]!;
  const rfc = /(\d{1,2})\s+([A-Za-z]{3})[a-z]*\s+(\d{4})/.exec(s);
  if (rfc) {
    const mo = MONTHS.indexOf(rfc[2]!.toLowerCase());
    // Returned as written, "99 Nov 2026" as 2026-11-99: arxivDayProblem says what is wrong.
    if (mo >= 0) return `${rfc[3]}-${String(mo + 1).padStart(2, '0')}-${rfc[1]!.padStart(2, '0')}`;
  }
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : easternDay(t);
}
