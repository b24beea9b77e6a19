/**
 * The query API (`/api/query`): an Atom feed of entries, in two real formats (before and
 * after 2026: namespaces on each element or on the root, wrapped or one-line text). An
 * error is a feed with one entry titled `Error` whose id is `.../api/errors#...`. An id
 * arXiv does not know is simply absent: "not found" is not an error.
 */
import { NetworkError, ParseError } from '../../errors.js';
import { versionedId } from '../../ids.js';
import { normalizeSpace } from '../../text.js';
import type { PaperRecord } from '../types.js';
import { arxivRecord, displayOrNull, displayText, isoTime, orderCategories, uniqueRecords } from './records.js';
import { childText, kid, kids, parseXml, textOf, type XmlElement } from './xml.js';

export interface ParsedApiPage {
  entries: PaperRecord[];
  /** opensearch:totalResults, startIndex, itemsPerPage (null when absent). */
  total: number | null;
  start: number | null;
  perPage: number | null;
  skipped: number;
}

const intOrNull = (s: string | null) => (s !== null && /^\d+$/.test(s) ? Number(s) : null);

export function parseApiFeed(body: string, where: string): ParsedApiPage {
  const root = parseXml(body, where);
  if (root.local !== 'feed') {
    throw new ParseError(`${where} is XML but not the API's Atom feed (<${root.name}>); the format looks changed`, {
      url: where,
    });
  }
  const all = kids(root, 'entry');
  const err = all.find((e) => /\/api\/errors/.test(childText(e, 'id') ?? ''));
  if (err) {
    const msg = normalizeSpace(childText(err, 'summary') ?? childText(err, 'id') ?? 'error');
    throw new NetworkError(`the arXiv API answered with an error: ${msg.slice(0, 300)}`, { url: where });
  }
  const { entries, skipped } = uniqueRecords(all, (e) => parseApiEntry(e, body), where);
  return {
    entries,
    total: intOrNull(childText(root, 'totalResults')),
    start: intOrNull(childText(root, 'startIndex')),
    perPage: intOrNull(childText(root, 'itemsPerPage')),
    skipped,
  };
}

function parseApiEntry(e: XmlElement, body: string): PaperRecord | null {
  const vid = versionedId(childText(e, 'id') ?? '');
  const title = displayText(textOf(kid(e, 'title')));
  if (!vid || !title) return null;
  const primary = kid(e, 'primary_category')?.attrs.term ?? null;
  const doiLink = kids(e, 'link').find((l) => l.attrs.title === 'doi')?.attrs.href;
  const doi = childText(e, 'doi') ?? (doiLink ? doiLink.replace(/^https?:\/\/(?:dx\.)?doi\.org\//i, '') : null);
  return arxivRecord({
    id: vid.id,
    title,
    abstract: displayText(textOf(kid(e, 'summary'))),
    authors: kids(e, 'author')
      .map((a) => displayText(textOf(kid(a, 'name'))))
      .filter((n) => n !== ''),
    publishedAt: isoTime(childText(e, 'published')),
    meta: {
      version: vid.version,
      categories: orderCategories(
        primary,
        kids(e, 'category').map((c) => c.attrs.term ?? ''),
      ),
      doi,
      journalRef: displayOrNull(childText(e, 'journal_ref')),
      comments: displayOrNull(childText(e, 'comment')),
      license: childText(e, 'license'),
    },
    raw: body.slice(e.start, e.end),
  });
}
