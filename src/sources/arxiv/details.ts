/**
 * What an arXiv element kept in the archive (`papers.arxiv_raw`) says beyond the columns:
 * each version and its date, the date of the current version, and the authors'
 * affiliations. Read from the raw element on demand (one paper's `show`), so archives
 * synced before need no re-fetch. A pure function of the element's text:
 * - the query API's `<entry>`: `published` is v1's date, `updated` the current
 *   version's; authors with `arxiv:affiliation`;
 * - OAI-PMH arXivRaw: a `<version>` with its `<date>` for every version;
 * - OAI-PMH arXiv: `created`, `updated`, and `<affiliation>` in each author;
 * - a feed's `<item>`/`<entry>`: the version of its guid, no dates.
 */
import { versionedId } from '../../ids.js';
import { displayText, isoTime } from './records.js';
import { childText, kid, kids, parseXml, textOf, type XmlElement } from './xml.js';

export interface ArxivVersion {
  version: number;
  /** When it was submitted (ISO), where the element says. */
  date: string | null;
}

export interface AuthorAffiliation {
  name: string;
  affiliations: string[];
}

export interface ArxivDetails {
  versions: ArxivVersion[];
  /** The date of the current version (arXiv's `updated`), or null. */
  updated: string | null;
  /** Authors with the affiliations arXiv sent (only those with one). */
  affiliations: AuthorAffiliation[];
}

export const NO_DETAILS: ArxivDetails = { versions: [], updated: null, affiliations: [] };

const vnum = (s: string | undefined | null) => Number(/^v(\d+)$/.exec(s ?? '')?.[1] ?? 0);

export function parseArxivDetails(raw: string | null | undefined): ArxivDetails {
  if (!raw) return NO_DETAILS;
  let el: XmlElement;
  try {
    el = parseXml(raw, 'the archived arXiv element');
  } catch {
    return NO_DETAILS;
  }
  if (el.local === 'arXivRaw') {
    const versions = kids(el, 'version')
      .map((v) => ({ version: vnum(v.attrs.version), date: isoTime(childText(v, 'date')) }))
      .filter((v) => v.version > 0)
      .sort((a, b) => a.version - b.version);
    return { versions, updated: versions.at(-1)?.date ?? null, affiliations: [] };
  }
  if (el.local === 'arXiv') {
    const created = childText(el, 'created');
    const updated = childText(el, 'updated');
    const affiliations = kids(kid(el, 'authors') ?? el, 'author')
      .map((a) => ({
        name: displayText(['forenames', 'keyname', 'suffix'].map((k) => childText(a, k) ?? '').join(' ')),
        affiliations: kids(a, 'affiliation')
          .map((x) => displayText(textOf(x)))
          .filter(Boolean),
      }))
      .filter((a) => a.name && a.affiliations.length);
    const versions: ArxivVersion[] = created ? [{ version: 1, date: isoTime(created) }] : [];
    return { versions, updated: isoTime(updated ?? created), affiliations };
  }
  // The query API's entry, or a feed's item/entry.
  const vid = versionedId(childText(el, 'id') ?? childText(el, 'guid') ?? '');
  const published = isoTime(childText(el, 'published'));
  const api = el.local === 'entry' && kids(el, 'author').length > 0;
  const affiliations = kids(el, 'author')
    .map((a) => ({
      name: displayText(textOf(kid(a, 'name'))),
      affiliations: kids(a, 'affiliation')
        .map((x) => displayText(textOf(x)))
        .filter(Boolean),
    }))
    .filter((a) => a.name && a.affiliations.length);
  if (!api) {
    // A feed's item: the version it announced; its dates are the build's, not the version's.
    return { versions: vid?.version ? [{ version: vid.version, date: null }] : [], updated: null, affiliations };
  }
  const updated = isoTime(childText(el, 'updated'));
  const versions: ArxivVersion[] = [{ version: 1, date: published }];
  const current = vid?.version ?? null;
  if (current && current > 1) versions.push({ version: current, date: updated });
  return { versions, updated, affiliations };
}
