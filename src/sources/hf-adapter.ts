/**
 * The Hugging Face source adapter: a day from the JSON API (`limit=100&p=N`, paged until a
 * short page), or from the HTML page (`--via html`, and where the API answers 404), or a
 * saved body (`papers import`).
 */
import { extname } from 'node:path';
import type { Day } from '../dates.js';
import { NetworkError, ParseError } from '../errors.js';
import { RetryableBodyError, redactUrl, type HttpResponse } from '../http/client.js';
import { looksLikeHtml, parseApiBody, parseEntries } from './hf-daily.js';
import { parseHtmlPage } from './hf-page.js';
import { HF_SOURCE } from './source-name.js';
import type { FetchDeps, FetchedDay, PaperRecord, ParsedDay, SourceAdapter } from './types.js';

export const PAGE_SIZE = 100;
/** A day never has anywhere near this many pages; it stops a server that ignores `p`. */
const MAX_PAGES = 30;

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
