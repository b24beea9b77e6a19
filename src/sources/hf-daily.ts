/**
 * Hugging Face Daily Papers: the entries of the JSON API (and of the page, which embeds
 * the same JSON) to records. Every field beyond id, title, abstract and authors is
 * optional and has come and gone over the years, so each one is read defensively. The
 * page scan is in hf-page.ts, fetching (the adapter) in hf-adapter.ts.
 */
import { NetworkError, ParseError } from '../errors.js';
import { canonicalId } from '../ids.js';
import { MAX_AUTHORS, MAX_NAME, MAX_TITLE, cleanField, cleanUrl, normalizeSpace } from '../text.js';
import type { PaperRecord, ParsedDay } from './types.js';

type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** Remote text cleaned for storage (see cleanRemote), capped at `max`; null when nothing is left. */
function text(v: unknown, max = Infinity): string | null {
  const s = str(v);
  if (s === null) return null;
  const n = cleanField(s, max);
  return n ? n : null;
}

function count(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : null;
}

function isoTime(v: unknown): string | null {
  const s = str(v);
  if (!s || s.length > 40) return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

function url(v: unknown, repo = false): string | null {
  const s = str(v);
  return s === null ? null : cleanUrl(s, { repo });
}

function orgName(v: unknown): string | null {
  if (!isObj(v)) return text(v, MAX_NAME);
  return text(v.fullname, MAX_NAME) ?? text(v.name, MAX_NAME);
}

function userName(v: unknown): string | null {
  if (!isObj(v)) return null;
  return text(v.user, MAX_NAME) ?? text(v.name, MAX_NAME) ?? text(v.fullname, MAX_NAME);
}

/** One API entry to a record, or null when it has no usable id or title. */
export function parseEntry(e: unknown): PaperRecord | null {
  if (!isObj(e)) return null;
  const paper = isObj(e.paper) ? e.paper : e;
  const rawId = str(paper.id) ?? str(e.id);
  const id = rawId ? canonicalId(rawId) : undefined;
  const title = text(e.title, MAX_TITLE) ?? text(paper.title, MAX_TITLE);
  if (!id || !title) return null;

  const authors: string[] = [];
  if (Array.isArray(paper.authors)) {
    for (const a of paper.authors) {
      const name = isObj(a) ? text(a.name, MAX_NAME) : text(a, MAX_NAME);
      if (name) authors.push(name);
      if (authors.length === MAX_AUTHORS) break;
    }
  }
  const keywords: string[] = [];
  if (Array.isArray(paper.ai_keywords)) {
    for (const k of paper.ai_keywords) {
      const t = text(k, MAX_NAME);
      if (t) keywords.push(t);
    }
  }
  return {
    id,
    title,
    abstract: text(paper.summary) ?? text(e.summary) ?? '',
    authors,
    publishedAt: isoTime(paper.publishedAt),
    upvotes: count(paper.upvotes) ?? count(e.upvotes) ?? 0,
    comments: count(e.numComments),
    aiSummary: text(paper.ai_summary),
    aiKeywords: keywords,
    githubRepo: url(paper.githubRepo, true),
    githubStars: count(paper.githubStars),
    projectPage: url(paper.projectPage),
    organization: orgName(e.organization) ?? orgName(paper.organization) ?? orgName(e.submitterOrganization),
    submitter: userName(e.submittedBy) ?? userName(paper.submittedOnDailyBy),
    raw: rawJson(e),
  };
}

/** Nesting kept in the raw copy; nothing real comes near it. */
const RAW_DEPTH = 64;

/**
 * The entry as JSON, as it came. A value nested deeper than JSON.stringify can recurse
 * (a hostile or broken body) would throw a RangeError and lose the whole day for one
 * odd field: then the copy keeps RAW_DEPTH levels and cuts what is below to null.
 */
function rawJson(e: Obj): string {
  try {
    return JSON.stringify(e);
  } catch {
    return JSON.stringify(prune(e, RAW_DEPTH));
  }
}

function prune(v: unknown, depth: number): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (depth === 0) return null;
  if (Array.isArray(v)) return v.map((x) => prune(x, depth - 1));
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) out[k] = prune(x, depth - 1);
  return out;
}

/**
 * An array of entries to records, in order, without duplicates. Throws when there were
 * entries but none was usable: that is a changed format, not an empty day.
 */
export function parseEntries(list: unknown[], where: string): ParsedDay {
  const entries: PaperRecord[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  for (const e of list) {
    const rec = parseEntry(e);
    if (!rec) {
      skipped++;
      continue;
    }
    if (seen.has(rec.id)) continue;
    seen.add(rec.id);
    entries.push(rec);
  }
  if (list.length > 0 && entries.length === 0) {
    throw new ParseError(
      `none of the ${list.length} entries from ${where} has an id and a title; the format looks changed`,
      {
        url: where,
        hint: 'papers may need an update for the new format',
      },
    );
  }
  return { entries, skipped };
}

/** The API body: a bare JSON array. `where` names a URL, or a file when `saved`. */
export function parseApiBody(body: string, where: string, opts: { saved?: boolean } = {}): ParsedDay {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (err) {
    const why = looksLikeHtml(body) ? ' (got an HTML page)' : /^\s*([[{]|$)/.test(body) ? ' (truncated?)' : '';
    throw new ParseError(`${where} ${opts.saved ? 'is not' : 'did not return'} valid JSON${why}`, {
      url: where,
      cause: err,
    });
  }
  if (!Array.isArray(data)) {
    if (isObj(data) && typeof data.error === 'string') {
      const error = normalizeSpace(data.error).slice(0, 200);
      throw new NetworkError(`${where} answered with an error: ${error}`, { url: where });
    }
    throw new ParseError(`${where} did not return a list of papers; the format looks changed`, { url: where });
  }
  return parseEntries(data, where);
}

export function looksLikeHtml(body: string): boolean {
  return /^\s*(<!doctype|<html|<head|<body)/i.test(body);
}
