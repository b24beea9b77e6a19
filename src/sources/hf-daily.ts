/**
 * Hugging Face Daily Papers. The JSON API pages with `limit=100&p=N`; the HTML page
 * embeds the same entries as entity-encoded JSON in the `data-props` of the element
 * with `data-target="DailyPapers"`. Every field beyond id, title, abstract and authors
 * is optional and has come and gone over the years, so each one is read defensively.
 */
import { extname } from 'node:path';
import type { Day } from '../dates.js';
import { isValidDay } from '../dates.js';
import { NetworkError, ParseError } from '../errors.js';
import { RetryableBodyError, redactUrl, type HttpResponse } from '../http/client.js';
import { canonicalId } from '../ids.js';
import { MAX_AUTHORS, MAX_NAME, MAX_TITLE, cleanField, cleanUrl, normalizeSpace } from '../text.js';
import type { FetchDeps, FetchedDay, PaperRecord, ParsedDay, SourceAdapter } from './types.js';
import { importPackage } from '../shims/import.js';
import { HF_SOURCE } from './source-name.js';

export const PAGE_SIZE = 100;
/** A day never has anywhere near this many pages; it stops a server that ignores `p`. */
const MAX_PAGES = 30;

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function str(v: unknown): string | null {
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

function looksLikeHtml(body: string): boolean {
  return /^\s*(<!doctype|<html|<head|<body)/i.test(body);
}

/** The HTML page: entries from the DailyPapers element's props. */
export async function parseHtmlPage(html: string, where: string): Promise<ParsedDay> {
  const raw = findTagAttribute(html, 'data-target', 'DailyPapers', 'data-props');
  if (raw === undefined) {
    throw new ParseError(`no DailyPapers element in ${where}; the page layout looks changed`, { url: where });
  }
  let data: unknown;
  try {
    data = JSON.parse(await decodeAttribute(raw ?? ''));
  } catch (err) {
    throw new ParseError(`the DailyPapers data in ${where} is not valid JSON; the page layout looks changed`, {
      url: where,
      cause: err,
    });
  }
  if (!isObj(data) || !Array.isArray(data.dailyPapers)) {
    throw new ParseError(`the DailyPapers data in ${where} has no dailyPapers list; the page layout looks changed`, {
      url: where,
    });
  }
  const parsed = parseEntries(data.dailyPapers, where);
  const date = str(data.date)?.slice(0, 10);
  if (date && isValidDay(date)) parsed.day = date;
  return parsed;
}

/** Elements whose content is text, not markup: a `<` inside them opens no tag. */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'noscript']);

/**
 * The raw (entity-encoded) value of `want` on the first start tag whose `key` attribute is
 * `value`: `null` when that tag lacks `want`, undefined when there is no such tag. One pass
 * over the page without building a tree, so time is linear in its length whatever its
 * nesting: a DOM parser took minutes over 60k unclosed tags, deaf to Ctrl-C.
 */
export function findTagAttribute(html: string, key: string, value: string, want: string): string | null | undefined {
  const n = html.length;
  let i = html.indexOf('<');
  while (i !== -1 && i < n) {
    if (html.startsWith('<!--', i)) {
      const end = html.indexOf('-->', i + 4);
      if (end === -1) return undefined;
      i = html.indexOf('<', end + 3);
      continue;
    }
    if (!/[A-Za-z]/.test(html[i + 1] ?? '')) {
      i = html.indexOf('<', i + 1);
      continue;
    }
    const tag = readTag(html, i + 1);
    if (tag.attrs.get(key) === value) return tag.attrs.get(want) ?? null;
    i = tag.end;
    if (RAW_TEXT.has(tag.name)) {
      const close = new RegExp(`</${tag.name}[\\s>/]`, 'ig');
      close.lastIndex = i;
      i = close.exec(html)?.index ?? -1;
    } else {
      i = html.indexOf('<', i);
    }
  }
  return undefined;
}

/** A start tag from just after its `<`: name, attributes (names lower-cased), and where it ends. */
function readTag(html: string, from: number): { name: string; attrs: Map<string, string>; end: number } {
  const n = html.length;
  const attrs = new Map<string, string>();
  let i = from;
  while (i < n && !/[\s/>]/.test(html[i]!)) i++;
  const name = html.slice(from, i).toLowerCase();
  while (i < n) {
    while (i < n && /[\s/]/.test(html[i]!)) i++;
    if (i >= n || html[i] === '>') return { name, attrs, end: i + 1 };
    const start = i;
    while (i < n && !/[\s/>=]/.test(html[i]!)) i++;
    const attr = html.slice(start, i).toLowerCase();
    while (i < n && /\s/.test(html[i]!)) i++;
    let val = '';
    if (html[i] === '=') {
      i++;
      while (i < n && /\s/.test(html[i]!)) i++;
      const q = html[i];
      if (q === '"' || q === "'") {
        const close = html.indexOf(q, i + 1);
        const stop = close === -1 ? n : close;
        val = html.slice(i + 1, stop);
        i = stop + 1;
      } else {
        const s = i;
        while (i < n && !/[\s>]/.test(html[i]!)) i++;
        val = html.slice(s, i);
      }
    }
    if (attr && !attrs.has(attr)) attrs.set(attr, val);
  }
  return { name, attrs, end: n };
}

/** Character references in an attribute value, decoded as a browser would (by the same parser cheerio uses). */
async function decodeAttribute(raw: string): Promise<string> {
  if (!raw.includes('&')) return raw;
  const { load } = await importPackage<typeof import('cheerio')>('cheerio');
  const q = raw.includes('"') ? "'" : '"';
  return load(`<i v=${q}${raw}${q}></i>`, null, false)('i').attr('v') ?? '';
}

function parseJsonOrRetry(res: HttpResponse): unknown {
  const type = res.headers['content-type'] ?? '';
  try {
    return JSON.parse(res.body);
  } catch (err) {
    const html = /html/i.test(type) || looksLikeHtml(res.body);
    throw new RetryableBodyError(
      html
        ? `${res.url} returned an HTML page where JSON was expected (an error page, or the format changed)`
        : `${res.url} returned a body that is not valid JSON (truncated?)`,
      { url: res.url, cause: err },
    );
  }
}

/** A page cut short loses its closing tag; real pages end with `</html>`. */
function looksComplete(html: string): boolean {
  return /<\/html>\s*$/i.test(html);
}

export const hfDaily: SourceAdapter = {
  name: HF_SOURCE,
  // Daily Papers began in May 2023; a range reaching further back (`--days 100000`)
  // would otherwise be thousands of requests for days that cannot have a list.
  firstDay: '2023-05-01',
  vias: ['api', 'html'],

  async fetchDay(day: Day, deps: FetchDeps, via = 'api'): Promise<FetchedDay> {
    const before = deps.budget.used;
    if (via === 'html') return { ...(await fetchHtml(day, deps)), via: 'html', requests: deps.budget.used - before };
    const entries: PaperRecord[] = [];
    const seen = new Set<string>();
    let skipped = 0;
    let pages = 0;
    for (let p = 0; p < MAX_PAGES; p++) {
      const u = `${deps.endpoint}/api/daily_papers?date=${day}&limit=${PAGE_SIZE}&p=${p}`;
      const shown = redactUrl(u); // what messages may name: no credentials
      let list: unknown;
      const res = await deps.http.get(u, {
        accept: 'application/json',
        signal: deps.signal,
        budget: deps.budget,
        passStatus: p === 0 ? [404] : [],
        validate: (r) => {
          list = parseJsonOrRetry(r);
        },
      });
      if (res.status === 404) {
        // The API does not know this day (or this endpoint has no API): the page may.
        try {
          return { ...(await fetchHtml(day, deps)), via: 'html', requests: deps.budget.used - before };
        } catch (err) {
          // Both missing: name the API first, it is what a wrong HF_ENDPOINT gets wrong.
          if (err instanceof NetworkError && err.status === 404) {
            throw new NetworkError(`${shown} answered HTTP 404, and so did the page ${err.url ?? ''}`.trimEnd(), {
              url: shown,
              status: 404,
              cause: err,
              hint: `check HF_ENDPOINT (${redactUrl(deps.endpoint)})`,
            });
          }
          throw err;
        }
      }
      if (!Array.isArray(list)) parseApiBody(res.body, shown); // throws the error that fits the body
      const arr = list as unknown[];
      const page = parseEntries(arr, shown);
      pages++;
      skipped += page.skipped;
      let fresh = 0;
      for (const rec of page.entries) {
        if (seen.has(rec.id)) continue;
        seen.add(rec.id);
        entries.push(rec);
        fresh++;
      }
      // A short page is the last; a page of nothing new means the server ignores `p`.
      if (arr.length < PAGE_SIZE || fresh === 0) break;
    }
    return { entries, skipped, via: 'api', requests: deps.budget.used - before, pages };
  },

  async parseSaved(body: string, file: string): Promise<ParsedDay> {
    // The body says what was saved (a page saved as .json happens); when it starts like
    // neither, the name decides which parser explains what is wrong.
    const ext = extname(file).toLowerCase();
    const looksJson = /^\s*[[{]/.test(body);
    const looksHtml = /^\s*</.test(body);
    if (!looksJson && !looksHtml && ext !== '.json' && ext !== '.html' && ext !== '.htm') {
      throw new ParseError(`${file} is neither a saved API body (JSON) nor a saved Daily Papers page (HTML)`, {
        url: file,
      });
    }
    const json = looksJson || (!looksHtml && ext === '.json');
    return json ? parseApiBody(body, file, { saved: true }) : parseHtmlPage(body, file);
  },
};

async function fetchHtml(day: Day, deps: FetchDeps): Promise<ParsedDay> {
  const u = `${deps.endpoint}/papers/date/${day}`;
  const shown = redactUrl(u);
  let parsed: ParsedDay | undefined;
  await deps.http.get(u, {
    accept: 'text/html',
    signal: deps.signal,
    budget: deps.budget,
    // Parse inside the request, so that a page cut short (its props cut too) is fetched
    // again; a whole page without the data is a changed layout and is not.
    validate: async (res) => {
      try {
        parsed = await parseHtmlPage(res.body, shown);
      } catch (err) {
        if (err instanceof ParseError && !looksComplete(res.body)) {
          throw new RetryableBodyError(`${shown} returned an incomplete page`, { url: shown, cause: err });
        }
        throw err;
      }
    },
  });
  if (!parsed) throw new ParseError(`${shown} returned no page`, { url: shown });
  if (parsed.day && parsed.day !== day) {
    // Hugging Face redirects a day without a list to the nearest one; that is not this day.
    return { entries: [], skipped: parsed.skipped, day };
  }
  return parsed;
}
