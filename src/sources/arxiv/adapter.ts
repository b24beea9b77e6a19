/**
 * Fetching from arXiv, politely: one request at a time per host and at least 3 s between
 * requests (arXiv's terms, counted from the end of one to the start of the next; retries
 * too), Retry-After honoured (the HTTP client), a User-Agent naming the tool, no HF
 * token, conditional requests for the feed. `ARXIV_ENDPOINT` replaces the host of every
 * arXiv request, so one local server stands in for rss.arxiv.org, the API and OAI-PMH.
 */
import type { Day } from '../../dates.js';
import { NetworkError, ParseError } from '../../errors.js';
import {
  defaultSleep,
  RetryableBodyError,
  type HttpClient,
  type HttpResponse,
  type RequestBudget,
} from '../../http/client.js';
import type { SharedHostClock } from '../../db/host-clock.js';
import { canonicalId } from '../../ids.js';
import { VERSION } from '../../version.js';
import type { PaperRecord } from '../types.js';
import { parseApiFeed } from './api.js';
import { parseFeed, type ParsedFeed } from './feed.js';
import { parseOaiPage, type ParsedOaiPage } from './oai.js';
import { easternDay } from './records.js';
import { TruncatedXmlError } from './xml.js';

// The project's public page, for arXiv's operators to reach the tool's authors.
export const PROJECT_URL = 'https://github.com/papers-cli/papers';
export const ARXIV_USER_AGENT = `papers/${VERSION} (+${PROJECT_URL})`;
/** Ids per query API request (id_list); arXiv pages at up to 2000, smaller pages fail less. */
export const ID_BATCH = 100;

import type { ArxivEndpoints } from './endpoints.js';

export type { ArxivEndpoints } from './endpoints.js';

/**
 * One request at a time per host, `delayMs` from the end of one to the start of the next:
 * within the process, and with `shared` across the processes using the archive.
 */
export class PoliteGate {
  private readonly hosts = new Map<string, { tail: Promise<unknown>; last: number }>();
  constructor(
    readonly delayMs: number,
    private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void> = defaultSleep,
    private readonly now: () => number = Date.now,
    private readonly shared?: SharedHostClock,
  ) {}

  run<T>(url: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const host = new URL(url).host;
    const h = this.hosts.get(host) ?? { tail: Promise.resolve(), last: -Infinity };
    this.hosts.set(host, h);
    const next = h.tail
      .catch(() => {})
      .then(async () => {
        const wait = h.last + this.delayMs - this.now();
        if (wait > 0) await this.sleep(wait, signal);
        await this.shared?.acquire(host, signal);
        try {
          return await fn();
        } finally {
          h.last = this.now();
          this.shared?.release(host);
        }
      });
    h.tail = next;
    return next;
  }
}

export interface ArxivDeps {
  http: HttpClient;
  endpoints: ArxivEndpoints;
  gate: PoliteGate;
  signal?: AbortSignal;
  budget?: RequestBudget;
  /** The clock days are checked against (a feed dated after tomorrow is refused). */
  now?: () => Date;
}

/** A GET through the gate, parsed inside the request so a body cut short is fetched again. */
async function politeGet<T>(
  deps: ArxivDeps,
  url: string,
  parse: (res: HttpResponse) => T,
  opts: { passStatus?: number[]; headers?: Record<string, string>; accept?: string } = {},
): Promise<{ res: HttpResponse; parsed: T | undefined }> {
  let parsed: T | undefined;
  const res = await deps.gate.run(
    url,
    () =>
      deps.http.get(url, {
        accept: opts.accept ?? 'application/xml, text/xml;q=0.9, */*;q=0.1',
        headers: { 'user-agent': ARXIV_USER_AGENT, ...opts.headers },
        anonymous: true,
        passStatus: opts.passStatus,
        signal: deps.signal,
        budget: deps.budget,
        minRetryDelayMs: deps.gate.delayMs,
        validate: (r) => {
          try {
            parsed = parse(r);
          } catch (err) {
            if (err instanceof TruncatedXmlError) {
              throw new RetryableBodyError(`${url} returned a body cut short`, { url, cause: err });
            }
            throw err;
          }
        },
      }),
    deps.signal,
  );
  return { res, parsed };
}

export interface FeedValidators {
  etag: string | null;
  lastModified: string | null;
}

export type FeedAnswer =
  | { kind: 'not-modified'; url: string }
  | { kind: 'feed'; url: string; feed: ParsedFeed; validators: FeedValidators };

export function feedUrl(endpoints: ArxivEndpoints, categories: readonly string[]): string {
  return `${endpoints.rss}/rss/${categories.join('+')}`;
}

/** The announcement feed of some categories; a 304 to the validators is `not-modified`. */
export async function fetchFeed(
  categories: readonly string[],
  deps: ArxivDeps,
  validators: FeedValidators | null,
): Promise<FeedAnswer> {
  const url = feedUrl(deps.endpoints, categories);
  const headers: Record<string, string> = {};
  if (validators?.etag) headers['if-none-match'] = validators.etag;
  if (validators?.lastModified) headers['if-modified-since'] = validators.lastModified;
  const { res, parsed } = await politeGet(deps, url, (r) => parseFeed(r.body, url, { now: deps.now?.() }), {
    passStatus: [304, 400],
    headers,
    accept: 'application/rss+xml, application/xml;q=0.9, */*;q=0.1',
  });
  if (res.status === 304) return { kind: 'not-modified', url };
  if (res.status === 400) {
    parseFeed(res.body, url); // the error feed throws the usage error that names the category
    throw new NetworkError(`${url} answered HTTP 400`, { url, status: 400 });
  }
  if (!parsed) throw new ParseError(`${url} returned no feed`, { url });
  return {
    kind: 'feed',
    url,
    feed: parsed,
    validators: { etag: res.headers.etag ?? null, lastModified: res.headers['last-modified'] ?? null },
  };
}

/** One ListRecords page (arXivRaw): the first of a set from a day, or the page a token names. */
export async function fetchOaiPage(
  req: { set: string; from: Day } | { token: string },
  deps: ArxivDeps,
): Promise<ParsedOaiPage & { url: string }> {
  const q =
    'token' in req
      ? `verb=ListRecords&resumptionToken=${encodeURIComponent(req.token)}`
      : `verb=ListRecords&metadataPrefix=arXivRaw&set=${encodeURIComponent(req.set)}&from=${req.from}`;
  const url = `${deps.endpoints.oai}/oai?${q}`;
  // OAI-PMH errors (an expired token) may come with HTTP 400: the body says which.
  const { parsed, res } = await politeGet(deps, url, (r) => parseOaiPage(r.body, url, { now: deps.now?.() }), {
    passStatus: [400],
  });
  if (res.status === 400) {
    parseOaiPage(res.body, url);
    throw new NetworkError(`${url} answered HTTP 400`, { url, status: 400 });
  }
  return { ...parsed!, url };
}

/** Papers by id from the query API, in batches; `missing` are the ids arXiv did not return. */
export async function fetchByIds(
  ids: readonly string[],
  deps: ArxivDeps,
): Promise<{ found: PaperRecord[]; missing: string[] }> {
  const found: PaperRecord[] = [];
  for (let i = 0; i < ids.length; i += ID_BATCH) {
    const batch = ids.slice(i, i + ID_BATCH);
    const list = batch.map(encodeURIComponent).join(',');
    const url = `${deps.endpoints.api}/api/query?id_list=${list}&max_results=${batch.length}`;
    const accept = 'application/atom+xml, */*;q=0.1';
    const { parsed } = await politeGet(deps, url, (r) => parseApiFeed(r.body, url), { accept });
    found.push(...parsed!.entries);
  }
  const got = new Set(found.map((r) => r.id));
  // An id asked with its version (`2104.12255v1`) comes back under its canonical id.
  return { found, missing: ids.filter((id) => !got.has(canonicalId(id) ?? id)) };
}

/**
 * The first arXiv midnight (America/New_York) after an instant: the feeds are rebuilt
 * then, so a feed fetched before it has nothing new until it has passed.
 */
export function nextAnnouncementAt(ms: number): number {
  const today = easternDay(ms);
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  // Midnight in New York is 04:00 or 05:00 UTC: the earlier one that is already the next day.
  for (const h of [4, 5]) {
    const t = Date.UTC(y, m - 1, d + 1, h);
    if (easternDay(t) !== today && easternDay(t - 60_000) === today) return t;
  }
  return Date.UTC(y, m - 1, d + 1, 5);
}
