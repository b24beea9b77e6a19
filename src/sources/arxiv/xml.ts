/**
 * A small, linear XML reader for arXiv's feeds, API and OAI-PMH bodies: elements,
 * attributes, text, CDATA and the predefined and numeric entities; comments, processing
 * instructions and the doctype are skipped (no entity expansion, so no entity bombs).
 * Each element keeps its offsets, so a parser can keep an item's raw text. A body that
 * is not XML, or ends before its root closes (truncated), is a ParseError.
 * Names keep their prefix (`dc:creator`); `local` is the name without it.
 */
import { ParseError } from '../../errors.js';

export interface XmlElement {
  name: string;
  local: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  /** Offsets of the element in the body: `body.slice(start, end)` is its source. */
  start: number;
  end: number;
}
export type XmlNode = XmlElement | string;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z]{2,8});/g, (m, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : m;
    }
    return ENTITIES[e] ?? m;
  });
}

const ATTR = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function localName(name: string): string {
  const c = name.indexOf(':');
  return c < 0 ? name : name.slice(c + 1);
}

/** The deepest nesting a body may have. */
export const MAX_DEPTH = 256;

/** The body ends before its root element closes: cut short in transit, worth another try. */
export class TruncatedXmlError extends ParseError {}

/** Parses a whole body to its root element. `where` names the URL or file in errors. */
export function parseXml(body: string, where: string): XmlElement {
  const s = body;
  let i = 0;
  while (i < s.length && (s[i] === '\ufeff' || /\s/.test(s[i]!))) i++;
  if (s[i] !== '<' || HTML.test(s.slice(i, i + 20))) throw notXml(where, body);
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const fail = (what: string) => new ParseError(`${where} is not well-formed XML: ${what}`, { url: where });
  while (i < s.length) {
    const lt = s.indexOf('<', i);
    const textEnd = lt < 0 ? s.length : lt;
    if (textEnd > i) {
      const text = s.slice(i, textEnd);
      if (stack.length > 0) stack[stack.length - 1]!.children.push(decodeEntities(text));
      else if (/\S/.test(text)) throw root ? fail('text after the root element') : notXml(where, body);
    }
    if (lt < 0) break;
    i = lt;
    if (s.startsWith('<!--', i)) {
      const e = s.indexOf('-->', i + 4);
      if (e < 0) throw truncated(where, stack);
      i = e + 3;
      continue;
    }
    if (s.startsWith('<![CDATA[', i)) {
      const e = s.indexOf(']]>', i + 9);
      if (e < 0) throw truncated(where, stack);
      if (stack.length > 0) stack[stack.length - 1]!.children.push(s.slice(i + 9, e));
      i = e + 3;
      continue;
    }
    if (s.startsWith('<?', i)) {
      const e = s.indexOf('?>', i + 2);
      if (e < 0) throw truncated(where, stack);
      i = e + 2;
      continue;
    }
    if (s.startsWith('<!', i)) {
      // A doctype: skipped whole, internal subset included; its entities are never expanded.
      const bracket = s.indexOf('[', i);
      const gt = s.indexOf('>', i);
      if (gt < 0) throw truncated(where, stack);
      const e = bracket >= 0 && bracket < gt ? s.indexOf(']>', bracket) : gt - 1;
      if (e < 0) throw truncated(where, stack);
      i = e + 2;
      continue;
    }
    const gt = tagEnd(s, i + 1);
    if (gt < 0) throw truncated(where, stack);
    if (s[i + 1] === '/') {
      const name = s.slice(i + 2, gt).trim();
      const open = stack.pop();
      if (!open || open.name !== name) {
        throw fail(`</${name}> closes ${open ? `<${open.name}>` : 'nothing'} (truncated or not XML?)`);
      }
      open.end = gt + 1;
      i = gt + 1;
      if (stack.length === 0) root = open;
      continue;
    }
    const selfClosing = s[gt - 1] === '/';
    const inner = s.slice(i + 1, selfClosing ? gt - 1 : gt);
    const m = /^[^\s/>]+/.exec(inner);
    if (!m) throw fail(`a tag without a name at offset ${i}`);
    if (root && stack.length === 0) throw fail('a second root element');
    const attrs: Record<string, string> = {};
    const rest = inner.slice(m[0].length);
    if (rest.includes('=')) {
      for (const a of rest.matchAll(ATTR)) attrs[a[1]!] = decodeEntities(a[2] ?? a[3] ?? '');
    }
    const el: XmlElement = { name: m[0], local: localName(m[0]), attrs, children: [], start: i, end: gt + 1 };
    if (stack.length > 0) stack[stack.length - 1]!.children.push(el);
    i = gt + 1;
    if (selfClosing) {
      if (stack.length === 0) root = el;
    } else {
      // arXiv's bodies nest a dozen levels; thousands would overflow the readers that walk
      // the tree (a stack overflow, taken for a network error and retried): a parse error, once.
      if (stack.length >= MAX_DEPTH) throw fail(`elements nested deeper than ${MAX_DEPTH} levels`);
      stack.push(el);
    }
  }
  if (stack.length > 0) throw truncated(where, stack);
  if (!root) throw notXml(where, body);
  return root;
}

/** The `>` that ends a tag starting at `from`, skipping quoted attribute values. */
function tagEnd(s: string, from: number): number {
  let quote: string | null = null;
  for (let k = from; k < s.length; k++) {
    const c = s[k];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '>') {
      return k;
    } else if (c === '<') {
      return -1;
    }
  }
  return -1;
}

function truncated(where: string, stack: XmlElement[]): ParseError {
  const open = stack[0]?.name;
  const what = open ? ` (no </${open}>)` : '';
  return new TruncatedXmlError(`${where} ends before its XML is complete${what}: truncated?`, {
    url: where,
  });
}

const HTML = /^\s*(<!doctype html|<html|<h1|<head|<body)/i;

function notXml(where: string, body: string): ParseError {
  const html = HTML.test(body.slice(0, 100));
  const what = html ? 'an HTML page' : body.trim() === '' ? 'an empty body' : 'a body that is not XML';
  return new ParseError(`${where} returned ${what} where XML was expected`, { url: where });
}

/** Direct children with this local name. */
export function kids(el: XmlElement, local: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) if (typeof c !== 'string' && c.local === local) out.push(c);
  return out;
}

/** The first direct child with this local name. */
export function kid(el: XmlElement, local: string): XmlElement | undefined {
  for (const c of el.children) if (typeof c !== 'string' && c.local === local) return c;
  return undefined;
}

/** All the text inside an element, descendants included. */
export function textOf(el: XmlElement | undefined): string {
  if (!el) return '';
  let out = '';
  for (const c of el.children) out += typeof c === 'string' ? c : textOf(c);
  return out;
}

/** The text of the first child with this local name, or null when it is absent or blank. */
export function childText(el: XmlElement, local: string): string | null {
  const t = textOf(kid(el, local)).trim();
  return t ? t : null;
}
