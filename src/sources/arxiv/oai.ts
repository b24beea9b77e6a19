/**
 * OAI-PMH ListRecords pages (metadataPrefix `arXivRaw`, also `arXiv`). A page ends with a
 * resumptionToken: a value means more pages, an empty element (attributes or not) or
 * none at all means the last page. `noRecordsMatch` is an empty harvest, not a failure;
 * other OAI errors are thrown with their code (an expired token is `badResumptionToken`).
 */
import type { Day } from '../../dates.js';
import { NetworkError, ParseError } from '../../errors.js';
import { versionedId } from '../../ids.js';
import { normalizeSpace } from '../../text.js';
import type { PaperRecord } from '../types.js';
import { splitAuthors } from './authors.js';
import { arxivDayProblem, arxivRecord, displayOrNull, displayText, isoTime } from './records.js';
import { childText, kid, kids, parseXml, textOf, type XmlElement } from './xml.js';

export interface OaiRecord {
  record: PaperRecord;
  /** The UTC day version 1 was submitted: where a backfill lists the paper. */
  firstDay: Day | null;
  datestamp: string | null;
}

export interface ParsedOaiPage {
  records: OaiRecord[];
  /** Deleted records and records without an id or a title. */
  skipped: number;
  /** The token of the next page; null on the last page. */
  token: string | null;
  completeListSize: number | null;
  cursor: number | null;
  responseDate: string | null;
  /** Records left out because a day they carry cannot be (a datestamp of 2099): why, one each. */
  refused: string[];
}

/** An OAI-PMH error element: `code` is the protocol's (badResumptionToken, badArgument...). */
export class OaiError extends NetworkError {
  constructor(
    readonly code: string,
    message: string,
    url: string,
  ) {
    // An upstream answer, not a failed transfer: the HTTP client does not retry it.
    super(`${url} answered the OAI-PMH error ${code}: ${message}`, { url });
  }
}

export function parseOaiPage(body: string, where: string, opts: { now?: Date } = {}): ParsedOaiPage {
  const root = parseXml(body, where);
  if (root.local !== 'OAI-PMH') {
    throw new ParseError(`${where} is XML but not an OAI-PMH response (<${root.name}>); the format looks changed`, {
      url: where,
    });
  }
  const responseDate = childText(root, 'responseDate');
  const empty = {
    records: [],
    skipped: 0,
    token: null,
    completeListSize: null,
    cursor: null,
    responseDate,
    refused: [],
  };
  for (const e of kids(root, 'error')) {
    const code = e.attrs.code ?? 'error';
    if (code === 'noRecordsMatch') return empty;
    throw new OaiError(code, normalizeSpace(textOf(e)).slice(0, 300), where);
  }
  const list = kid(root, 'ListRecords');
  if (!list) {
    throw new ParseError(`${where} has neither ListRecords nor an error; the format looks changed`, { url: where });
  }
  const records: OaiRecord[] = [];
  const refused: string[] = [];
  let skipped = 0;
  let unreadable = 0;
  for (const r of kids(list, 'record')) {
    const header = kid(r, 'header');
    if (!header || header.attrs.status === 'deleted') {
      skipped++;
      continue;
    }
    const meta = kid(r, 'metadata');
    const rec = meta ? parseMetadata(kid(meta, 'arXivRaw') ?? kid(meta, 'arXiv'), body) : null;
    if (!rec) {
      skipped++;
      unreadable++;
      continue;
    }
    const datestamp = childText(header, 'datestamp');
    // The day of its first version lists it; a datestamp says when arXiv last changed it.
    const first = rec.firstDay !== null ? arxivDayProblem(rec.firstDay, opts.now) : undefined;
    const stamp = datestamp ? arxivDayProblem(datestamp.slice(0, 10), opts.now) : undefined;
    if (first || stamp) {
      refused.push(`${rec.record.id}: ${first ? `its first version ${first}` : `its datestamp ${stamp}`}`);
      continue;
    }
    records.push({ ...rec, datestamp });
  }
  const tokenEl = kid(list, 'resumptionToken');
  const token = tokenEl ? textOf(tokenEl).trim() : '';
  const num = (s: string | undefined) => (s && /^\d+$/.test(s) ? Number(s) : null);
  if (records.length === 0 && unreadable > 0) {
    const what = 'arXiv or arXivRaw metadata with an id and a title';
    throw new ParseError(`none of the ${unreadable} records of ${where} has ${what}`, {
      url: where,
      hint: 'papers harvests with metadataPrefix=arXivRaw',
    });
  }
  if (records.length === 0 && skipped === 0 && refused.length === 0 && token) {
    throw new ParseError(`${where} holds no records but a token for more; the format looks changed`, { url: where });
  }
  return {
    records,
    skipped,
    token: token || null,
    completeListSize: num(tokenEl?.attrs.completeListSize),
    cursor: num(tokenEl?.attrs.cursor),
    responseDate,
    refused,
  };
}

function parseMetadata(m: XmlElement | undefined, body: string): Omit<OaiRecord, 'datestamp'> | null {
  if (!m) return null;
  const vid = versionedId(childText(m, 'id') ?? '');
  const title = displayText(textOf(kid(m, 'title')));
  if (!vid || !title) return null;
  const raw = m.local === 'arXivRaw';
  let authors: string[];
  let publishedAt: string | null;
  let firstDay: Day | null;
  let version: number | null = null;
  if (raw) {
    authors = splitAuthors(textOf(kid(m, 'authors')));
    const versions = kids(m, 'version');
    const v1 = versions.find((v) => v.attrs.version === 'v1') ?? versions[0];
    publishedAt = isoTime(v1 ? childText(v1, 'date') : null);
    firstDay = publishedAt ? publishedAt.slice(0, 10) : null;
    const nums = versions.map((v) => Number(/^v(\d+)$/.exec(v.attrs.version ?? '')?.[1] ?? 0)).filter((n) => n > 0);
    version = nums.length ? Math.max(...nums) : null;
  } else {
    authors = kids(kid(m, 'authors') ?? m, 'author')
      .map((a) => displayText(['forenames', 'keyname', 'suffix'].map((k) => childText(a, k) ?? '').join(' ')))
      .filter((n) => n !== '');
    const created = childText(m, 'created');
    firstDay = created && /^\d{4}-\d{2}-\d{2}$/.test(created) ? created : null;
    publishedAt = firstDay ? `${firstDay}T00:00:00.000Z` : null;
  }
  return {
    firstDay,
    record: arxivRecord({
      id: vid.id,
      title,
      abstract: displayText(textOf(kid(m, 'abstract'))),
      authors,
      publishedAt,
      type: 'submitted',
      meta: {
        version,
        categories: (childText(m, 'categories') ?? '').split(/\s+/).filter(Boolean),
        doi: childText(m, 'doi'),
        journalRef: displayOrNull(childText(m, 'journal-ref')),
        comments: displayOrNull(childText(m, 'comments')),
        license: childText(m, 'license'),
      },
      raw: body.slice(m.start, m.end),
    }),
  };
}
