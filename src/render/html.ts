/**
 * Escaping for HTML and XML output. Remote text is untrusted: controls and escape
 * sequences are stripped first, then every markup character is escaped; links are
 * emitted only for absolute http(s) URLs.
 */
import { cleanLine, normalizeSpace, stripControls } from '../text.js';

const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or attribute value, escaped for HTML (and for XML: the same five characters). */
export function escapeMarkup(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ENTITY[c]!);
}

/** One line of remote text, safe inside an element or a quoted attribute. */
export function htmlText(raw: string | null | undefined): string {
  return escapeMarkup(cleanLine(raw ?? ''));
}

/**
 * Characters XML 1.0 forbids (most C0 controls, lone surrogates, U+FFFE/U+FFFF) and
 * C1 controls, which are allowed but break feed readers.
 */
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[^\t\n\r\u0020-\u007e\u00a0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

export function stripXmlInvalid(s: string): string {
  return s.replace(XML_INVALID, '');
}

/** For XML text and double-quoted attributes: the predefined entities only, so any XML parser reads them. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ENTITY[c]!);
}

/** Remote text for XML: invalid characters removed, one line, escaped. */
export function xmlText(raw: string | null | undefined): string {
  // Escape sequences first (their ESC is also XML-invalid), then what XML forbids, then spaces.
  return escapeXml(normalizeSpace(stripXmlInvalid(stripControls(raw ?? ''))));
}

/**
 * An absolute http(s) URL, normalised by the URL parser (which percent-encodes spaces,
 * quotes and angle brackets), or null for anything else (javascript:, data:, relative).
 */
export function safeHttpUrl(raw: string | null | undefined): string | null {
  const s = cleanLine(raw ?? '');
  if (!/^https?:\/\//i.test(s)) return null;
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return null;
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || !u.hostname) return null;
  return u.href;
}
