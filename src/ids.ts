/**
 * A paper is identified by its canonical arXiv id: new style `2406.12345` or old style
 * `hep-th/9901001`, without a version suffix. Users may type any of the forms below.
 */
import { UsageError } from './errors.js';
import { quoteArg } from './text.js';

const NEW_STYLE = /^(\d{4}\.\d{4,5})(?:v(\d+))?$/;
// Old style: archive, an optional subject class (`math.AG/0309136` is `math/0309136`), YYMMNNN.
const OLD_STYLE = /^([a-z][a-z-]*)(?:\.[a-z]{2,})?\/(\d{7})(?:v(\d+))?$/i;
const ARXIV_URL = new RegExp(
  [
    String.raw`^(?:https?:\/\/)?(?:www\.|export\.)?`,
    String.raw`(?:arxiv\.org\/(?:abs|pdf|html)|huggingface\.co\/papers|hf\.co\/papers)\/(.+)$`,
  ].join(''),
  'i',
);

/** An id with the version it named: `2411.17700v3` is `{ id: '2411.17700', version: 3 }`. */
export interface VersionedId {
  id: string;
  version: number | null;
}

/** Canonical id of an arXiv id in any accepted form, or undefined. */
export function canonicalId(input: string): string | undefined {
  return versionedId(input)?.id;
}

/**
 * The canonical id and version of an arXiv id in any form: bare, `arXiv:`, the feeds'
 * `oai:arXiv.org:` guids, abs/pdf/html and Hugging Face URLs, old style and new.
 */
export function versionedId(input: string): VersionedId | undefined {
  let s = input.trim();
  if (!s) return undefined;
  s = s.replace(/^(?:oai:arxiv\.org:|arxiv:)/i, '');
  // URLs: arxiv.org/abs/ID, arxiv.org/pdf/ID(.pdf), huggingface.co/papers/ID, with or without scheme.
  const url = ARXIV_URL.exec(s);
  if (url) {
    s = url[1]!
      .replace(/[?#].*$/, '')
      .replace(/\/+$/, '')
      .replace(/\.pdf$/i, '');
  }
  const n = NEW_STYLE.exec(s);
  if (n) return { id: n[1]!, version: n[2] ? Number(n[2]) : null };
  const o = OLD_STYLE.exec(s);
  if (o) return { id: `${o[1]!.toLowerCase()}/${o[2]}`, version: o[3] ? Number(o[3]) : null };
  return undefined;
}

/**
 * Whether a new-style id could exist: months 01-12 from 0704 on (arXiv's first new-style
 * month), 4-digit numbers through 1412 and 5-digit ones from 1501.
 */
function plausible(id: string): boolean {
  const old = /\/(\d{2})(\d{2})\d{3}$/.exec(id);
  if (old) {
    // Old-style ids ran from August 1991 to March 2007.
    const yymm = (Number(old[1]) >= 91 ? 1900 : 2000) * 100 + Number(old[1]) * 100 + Number(old[2]);
    return Number(old[2]) >= 1 && Number(old[2]) <= 12 && yymm >= 199108 && yymm <= 200703;
  }
  const m = /^(\d{2})(\d{2})\.(\d+)$/.exec(id);
  if (!m) return false;
  const yymm = Number(m[1]) * 100 + Number(m[2]);
  const month = Number(m[2]);
  return month >= 1 && month <= 12 && yymm >= 704 && m[3]!.length === (yymm >= 1501 ? 5 : 4);
}

const notAnId = (input: string) =>
  new UsageError(`not an arXiv id: ${quoteArg(input)}`, {
    hint:
      'use an id such as 2406.12345, 2406.12345v2, or a link to arxiv.org/abs/..., ' +
      'arxiv.org/pdf/... or huggingface.co/papers/...',
  });

/**
 * Checks ids a user typed before the archive is opened: a malformed one is a usage error
 * (exit 2), not "no archive" or "not found". An id of the right form passes, even one only
 * the archive can vouch for (parsePaperId with the archive decides later).
 */
export function checkPaperIds(inputs: readonly string[]): void {
  for (const input of inputs) canonicalId(input) ?? parsePaperId(input);
}

/**
 * The canonical id a user typed. An id of the right form that cannot exist (month 99) is
 * refused too, unless `stored` says the archive has it (the source is the authority).
 */
export function parsePaperId(input: string, stored?: (id: string) => boolean): string {
  const id = canonicalId(input);
  if (!id || (!plausible(id) && !stored?.(id))) throw notAnId(input);
  return id;
}

export const arxivUrl = (id: string) => `https://arxiv.org/abs/${id}`;
export const pdfUrl = (id: string) => `https://arxiv.org/pdf/${id}`;
/**
 * The paper's Hugging Face page, where HF can have one: HF pages are keyed by new-style ids
 * (`2406.12345`); an old-style id (`hep-ex/0307015`) has a slash HF's URLs cannot carry.
 */
export const hfUrl = (id: string): string | null => (NEW_STYLE.test(id) ? `https://huggingface.co/papers/${id}` : null);
