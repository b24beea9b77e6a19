/**
 * The arXiv source behind the AnnouncementSource interface: `arxiv:CATS` as a feed, a
 * harvest and an id lookup. The harvest is OAI-PMH ListRecords (arXivRaw), one set per
 * category: it is arXiv's interface for bulk metadata, pages 1000-2500 records at a time
 * with resumption tokens and 503 + Retry-After flow control, and arXivRaw carries each
 * version's date, so a paper is listed on the day of its first version. (The query API
 * could filter by submittedDate, but arXiv asks bulk users to use OAI-PMH, caps a query at
 * 30000 results and fails more often on large pages.) Records are modified-since, so the
 * harvest from `since` is filtered to first versions on or after it and to the categories.
 */
import type { Day } from '../../dates.js';
import { UsageError } from '../../errors.js';
import type { AnnouncementDeps, AnnouncementSource, FeedCache, HarvestPage } from '../types.js';
import { CursorExpiredError } from '../types.js';
import {
  fetchByIds,
  fetchFeed,
  fetchOaiPage,
  ID_BATCH,
  nextAnnouncementAt,
  type PoliteGate,
  type ArxivEndpoints,
} from './adapter.js';
import { OaiError } from './oai.js';
import { easternDay } from './records.js';
import { parseSourceName } from '../source-name.js';
import { inCategories, oaiSet } from './taxonomy.js';

/** A feed that gave an old or repeated batch is asked again after this long (with its ETag). */
export const STALE_RECHECK_MS = 60 * 60_000;

export interface ArxivSourceOptions {
  endpoints: ArxivEndpoints;
  gate: PoliteGate;
}

/** The resume point of a harvest: which of the source's sets, and that set's token. */
interface Cursor {
  set: number;
  token: string | null;
}

export function arxivSource(name: string, opts: ArxivSourceOptions): AnnouncementSource {
  // Bare `arxiv` looks papers up by id (papers add); it follows no category.
  const parsed = name === 'arxiv' ? { kind: 'arxiv' as const, name, categories: [] } : parseSourceName(name);
  if (parsed.kind !== 'arxiv') throw new UsageError(`${name} is not an arXiv source`);
  const { categories } = parsed;
  const needCategories = () => {
    if (categories.length === 0) throw new UsageError('name the categories: arxiv:CAT[+CAT...]');
  };
  const sets = [...new Set(categories.map(oaiSet))];
  const deps = (d: AnnouncementDeps) => ({ ...d, endpoints: opts.endpoints, gate: opts.gate });

  return {
    name: parsed.name,

    async fetchLatest(cache: FeedCache | null, d: AnnouncementDeps) {
      needCategories();
      const answer = await fetchFeed(categories, deps(d), cache);
      if (answer.kind === 'not-modified') {
        return { announcement: null, cache: cache ?? { etag: null, lastModified: null } };
      }
      const { feed, url } = answer;
      const announcement = { day: feed.day, entries: feed.entries, skipped: feed.skipped, url };
      if (feed.dayProblem) Object.assign(announcement, { dayProblem: feed.dayProblem });
      return { announcement, cache: answer.validators };
    },

    nextCheckAt(fetchedAt: number, day: Day | null) {
      const next = nextAnnouncementAt(fetchedAt);
      // The feed answered with an older day than the one announced before it was fetched
      // (a feed that keeps serving yesterday's batch): worth another conditional look soon.
      if (day !== null && day < easternDay(fetchedAt) && fetchedAt + STALE_RECHECK_MS < next) {
        return fetchedAt + STALE_RECHECK_MS;
      }
      return next;
    },

    currentDay: (now: number) => easternDay(now),

    async harvestPage(since: Day, cursorText: string | null, d: AnnouncementDeps): Promise<HarvestPage> {
      needCategories();
      const cursor: Cursor = cursorText ? (JSON.parse(cursorText) as Cursor) : { set: 0, token: null };
      let page;
      try {
        const req = cursor.token ? { token: cursor.token } : { set: sets[cursor.set]!, from: since };
        page = await fetchOaiPage(req, deps(d));
      } catch (err) {
        if (err instanceof OaiError && err.code === 'badResumptionToken') throw new CursorExpiredError(err.message);
        throw err;
      }
      const records = page.records
        .filter((r) => r.firstDay !== null && r.firstDay >= since)
        .filter((r) => inCategories(r.record.arxiv!.categories, categories))
        .map((r) => ({ record: r.record, day: r.firstDay! }));
      const refused = page.refused.length ? { count: page.refused.length, example: page.refused[0]! } : undefined;
      const next: Cursor | null = page.token
        ? { set: cursor.set, token: page.token }
        : cursor.set + 1 < sets.length
          ? { set: cursor.set + 1, token: null }
          : null;
      return { records, next: next ? JSON.stringify(next) : null, url: page.url, ...(refused ? { refused } : {}) };
    },

    idBatch: ID_BATCH,

    fetchByIds: (ids, d) => fetchByIds(ids, deps(d)),
  };
}
