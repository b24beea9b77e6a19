/**
 * The Daily Papers HTML page: it embeds the API's entries as entity-encoded JSON in the
 * `data-props` of the element with `data-target="DailyPapers"`, found by a linear scan
 * of the tags (not a DOM).
 */
import { isValidDay } from '../dates.js';
import { ParseError } from '../errors.js';
import { importPackage } from '../shims/import.js';
import { isObj, parseEntries, str } from './hf-daily.js';
import type { ParsedDay } from './types.js';

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
