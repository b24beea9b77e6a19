/**
 * The announcement feeds at rss.arxiv.org (RSS 2.0 and Atom, since January 2024). A feed
 * holds one announcement: its day is the channel's pubDate (arXiv midnight, US Eastern);
 * an empty channel is a day without one (weekends, holidays). An unknown category
 * answers HTTP 400 with a feed titled "Feed error for query".
 */
import type { Day } from '../../dates.js';
import { ParseError, UsageError } from '../../errors.js';
import { versionedId } from '../../ids.js';
import { normalizeSpace } from '../../text.js';
import type { ListingType, PaperRecord } from '../types.js';
import { splitAuthors } from './authors.js';
import {
  arxivDayProblem,
  arxivRecord,
  displayOrNull,
  displayText,
  localDay,
  orderCategories,
  uniqueRecords,
} from './records.js';
import { childText, kid, kids, parseXml, textOf, type XmlElement } from './xml.js';

export interface ParsedFeed {
  /** The announcement day; null when the feed names none (an empty channel may not). */
  day: Day | null;
  /** In feed order, unique by id. */
  entries: PaperRecord[];
  /** Items without a usable id or title. */
  skipped: number;
  /** When arXiv built the feed (lastBuildDate / updated). */
  builtAt: string | null;
  /** Why the day the feed named was refused (then `day` is null): see arxivDayProblem. */
  dayProblem?: string;
}

export interface ParseFeedOptions {
  /** The caller's clock: a feed dated after tomorrow is refused. */
  now?: Date;
}

const TYPES = new Set<ListingType>(['new', 'cross', 'replace', 'replace-cross']);

/** Thrown for arXiv's error feed: the query named a category arXiv does not have. */
export class FeedQueryError extends UsageError {}

export function parseFeed(body: string, where: string, opts: ParseFeedOptions = {}): ParsedFeed {
  const root = parseXml(body, where);
  if (root.local === 'rss') return checkDay(parseRss(root, body, where), opts.now);
  if (root.local === 'feed') return checkDay(parseAtom(root, body, where), opts.now);
  throw new ParseError(`${where} is XML but not an RSS or Atom feed (<${root.name}>); the format looks changed`, {
    url: where,
  });
}

/** A feed whose day cannot be an announcement day names none, and says why. */
function checkDay(feed: ParsedFeed, now: Date | undefined): ParsedFeed {
  const problem = feed.day === null ? undefined : arxivDayProblem(feed.day, now);
  return problem ? { ...feed, day: null, dayProblem: `the feed is dated ${problem}` } : feed;
}

function feedError(title: string | null, description: string | null, _where: string): void {
  if (!title || !/^feed error for query/i.test(title)) return;
  const msg = normalizeSpace(description ?? title);
  throw new FeedQueryError(`arXiv refused the feed query: ${msg.slice(0, 300)}`, {
    hint: 'check the category names (papers source add arxiv:cs.CL); see https://arxiv.org/category_taxonomy',
  });
}

function parseRss(root: XmlElement, body: string, where: string): ParsedFeed {
  const channel = kid(root, 'channel');
  if (!channel) {
    throw new ParseError(`${where} is an RSS body without a channel; the format looks changed`, { url: where });
  }
  feedError(childText(channel, 'title'), childText(channel, 'description'), where);
  const items = kids(channel, 'item');
  const day = localDay(childText(channel, 'pubDate')) ?? localDay(items[0] && childText(items[0], 'pubDate'));
  return collect(items, body, where, day, childText(channel, 'lastBuildDate'), (item) => ({
    guid: childText(item, 'guid') ?? childText(item, 'link'),
    title: childText(item, 'title'),
    summary: textOf(kid(item, 'description')),
    categories: kids(item, 'category').map((c) => textOf(c)),
  }));
}

function parseAtom(root: XmlElement, body: string, where: string): ParsedFeed {
  const entries = kids(root, 'entry');
  const first = entries[0] ? childText(entries[0], 'summary') : null;
  feedError(childText(root, 'title'), childText(root, 'subtitle') ?? first, where);
  const day = localDay(entries[0] && childText(entries[0], 'published'));
  return collect(entries, body, where, day, childText(root, 'updated'), (e) => ({
    guid: childText(e, 'id'),
    title: childText(e, 'title'),
    summary: textOf(kid(e, 'summary')),
    categories: kids(e, 'category').map((c) => c.attrs.term ?? ''),
  }));
}

interface ItemCore {
  guid: string | null;
  title: string | null;
  summary: string;
  categories: string[];
}

/** `arXiv:2411.17700v1 Announce Type: new \nAbstract: ...` to the abstract and the type. */
const DESCRIPTION = /^\s*arXiv:\S+\s+Announce Type:\s*(\S+)\s*(?:Abstract:)?\s*/;

function collect(
  items: XmlElement[],
  body: string,
  where: string,
  day: Day | null,
  builtAt: string | null,
  core: (item: XmlElement) => ItemCore,
): ParsedFeed {
  const parse = (item: XmlElement): PaperRecord | null => {
    const c = core(item);
    const vid = c.guid ? versionedId(c.guid) : undefined;
    if (!vid || !c.title) return null;
    const d = DESCRIPTION.exec(c.summary);
    const typeText = (childText(item, 'announce_type') ?? d?.[1] ?? '').toLowerCase();
    return arxivRecord({
      id: vid.id,
      title: displayText(c.title),
      abstract: displayText(d ? c.summary.slice(d[0].length) : c.summary),
      authors: splitAuthors(childText(item, 'creator') ?? ''),
      publishedAt: null, // the feed does not say when version 1 was submitted
      type: TYPES.has(typeText as ListingType) ? (typeText as ListingType) : 'new',
      meta: {
        version: vid.version,
        categories: orderCategories(null, c.categories),
        doi: childText(item, 'DOI') ?? childText(item, 'doi'),
        journalRef: displayOrNull(childText(item, 'journal_reference') ?? childText(item, 'journal_ref')),
        comments: displayOrNull(childText(item, 'comment') ?? childText(item, 'comments')),
        license: childText(item, 'rights'),
      },
      raw: body.slice(item.start, item.end),
    });
  };
  return { day, ...uniqueRecords(items, parse, where), builtAt };
}
