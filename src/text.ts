/**
 * Text that came from the network is untrusted. These helpers normalise it for
 * display and make it safe for a terminal; format-specific escaping lives in render/.
 */
import { texToPlain } from './tex.js';

/** Collapses arXiv hard line wraps and runs of whitespace into single spaces. */
export function normalizeSpace(s: string): string {
  // Only whitespace that is not already a single space is replaced: exports clean every
  // field of 100k papers, and most text has nothing to change.
  return s.replace(/\s{2,}|[^\S ]/g, ' ').trim();
}

// ESC-based sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), DCS/SOS/PM/APC
// (ESC P|X|^|_ ... ST) and two-byte escapes; plus their 8-bit C1 forms.
const ESCAPE_SEQ =
  // eslint-disable-next-line no-control-regex
  new RegExp(
    [
      String.raw`\u001b\[[0-?]*[ -/]*[@-~]`,
      String.raw`\u001b\][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?`,
      String.raw`\u001b[PX^_][^\u001b\u009c]*(?:\u001b\\|\u009c)?`,
      String.raw`\u001b[@-Z\\-_]`,
      String.raw`\u009b[0-?]*[ -/]*[@-~]`,
      String.raw`\u009d[^\u0007\u009c]*(?:\u0007|\u009c)?`,
    ].join('|'),
    'g',
  );
// C0 controls but TAB and LF, DEL, C1 controls, and the Unicode bidi controls
// (LRE..RLO, LRI..PDI, LRM/RLM/ALM) that can reorder what the reader sees.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g;

/**
 * Removes escape sequences and control characters so remote text cannot move the
 * cursor, set the window title, ring the bell or reorder a line. Newlines and tabs
 * are kept; callers that want one line use `cleanLine`.
 */
export function stripControls(s: string): string {
  // Every sequence ESCAPE_SEQ removes starts with a character CONTROL matches.
  if (!HAS_CONTROL.test(s)) return s;
  return s.replace(ESCAPE_SEQ, '').replace(CONTROL, '');
}

// eslint-disable-next-line no-control-regex
const HAS_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/;

// Invisible characters that change no meaning in a title or a name but let two equal-looking
// strings differ (a filter, a search, a dedup would miss them): zero-width space, (non-)joiner,
// word joiner and the invisible operators, BOM, Mongolian vowel separator.
const ZERO_WIDTH = /[\u200b-\u200d\u2060-\u2064\ufeff\u180e]/g;

/**
 * Remote text as it is stored: escape sequences removed whole, then control, bidi and
 * zero-width characters, then whitespace runs (newlines included) collapsed to one space.
 * Applied once, at ingest, so every reader, filter and output sees the same safe text.
 */
export function cleanRemote(s: string): string {
  return normalizeSpace(stripControls(s).replace(ZERO_WIDTH, ''));
}

/**
 * Caps on what is saved (the raw entry keeps the original): the longest real arXiv titles
 * are about 300 characters and names under 100, while a hostile title of 300k characters
 * made every terminal listing crawl.
 */
export const MAX_TITLE = 1000;
export const MAX_NAME = 200;
export const MAX_AUTHORS = 3000;

/** cleanRemote, then capped at `max` characters. */
export function cleanField(s: string, max = Infinity): string {
  return capText(cleanRemote(s), max);
}

/** At most `max` UTF-16 units, an ellipsis in the last place when cut; never half a surrogate pair. */
export function capText(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max - 1;
  const c = s.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return s.slice(0, end).trimEnd() + '…';
}

/** Safe, single-line display text. */
export function cleanLine(s: string): string {
  return normalizeSpace(stripControls(s));
}

// Every raw control, newline and tab included: for text that must stay on one line.
// eslint-disable-next-line no-control-regex
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/**
 * Control characters made visible as `\u001b`-style escapes instead of removed: for
 * messages that echo what a user typed or a server sent, so the reader sees exactly
 * what was there without the terminal acting on it.
 */
export function visibleControls(s: string): string {
  return s.replace(ANY_CONTROL, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** At most `max` characters, with an ellipsis and the count of what was cut. */
export function clip(s: string, max = 120): string {
  return s.length <= max ? s : `${s.slice(0, max)}… (${s.length - max} more characters)`;
}

/** A user's argument quoted for an error message: clipped, JSON-quoted, controls visible. */
export function quoteArg(s: string, max = 120): string {
  const q = JSON.stringify(s.length <= max ? s : s.slice(0, max));
  return visibleControls(s.length <= max ? q : `${q.slice(0, -1)}…" (${s.length} characters)`);
}

// Our own colours: SGR sequences. Anything else that reaches stderr is made visible.
// eslint-disable-next-line no-control-regex
const SGR = /(\u001b\[[0-9;]*m)/;
// Controls but TAB and LF (a message may be several lines).
// eslint-disable-next-line no-control-regex
const LINE_CONTROL =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
const LINE_CONTROLS = new RegExp(LINE_CONTROL.source, 'g');

/**
 * Text for stderr, as a last line of defence: our SGR colours are kept, every other
 * control (an escape sequence from a server or an argument) is made visible.
 */
export function terminalLine(s: string): string {
  if (!LINE_CONTROL.test(s)) return s;
  return s
    .split(SGR)
    .map((part, i) =>
      i % 2 === 1 ? part : part.replace(LINE_CONTROLS, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')),
    )
    .join('');
}

/** Lower-case and strip accents: `Müller` and `muller` compare equal. */
export function foldText(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/**
 * A remote URL as it is stored, or null. Controls and whitespace inside are removed (seen
 * upstream: `https://github.com/\nowner/repo.git`), and of two URLs the first is kept.
 * Only http(s) URLs with a host and no credentials are kept. `repo`: a code repository, so
 * a bare host (`https://github.com/`) is none, and a clone URL's `.git` is dropped. A
 * project page may be a site root.
 */
export function cleanUrl(raw: string, opts: { repo?: boolean } = {}): string | null {
  // Whitespace before another scheme separates two URLs (seen: a repo, a newline, its data
  // repo): the first is kept. Any other whitespace is inside the one URL.
  const first = stripControls(raw)
    .replace(ZERO_WIDTH, '')
    .trim()
    .split(/\s+(?=https?:\/\/)/i)[0]!;
  let s = first.replace(/\s+/g, '');
  // The host right after `//`, as written: the WHATWG parser would read `https:///a/b` as
  // host `a`, and a backslash as a slash.
  if (!/^https?:\/\/[^/?#\\]/i.test(s) || s.includes('\\') || s.length > 2000) return null;
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return null;
  }
  if (!u.hostname || u.username || u.password) return null;
  if (opts.repo) {
    if (u.pathname.replace(/\/+/g, '/') === '/') return null;
    if (!u.search && !u.hash) s = s.replace(/\.git\/?$/i, '');
  }
  return s;
}

/** `1 paper`, `2 papers`: a count and its noun, in the plural unless one. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * A title (or other remote text) as people read it: one clean line, simple TeX markup made
 * plain (`$\textit{X}$` -> X, `$^{2}$` -> ²). Terminal, Markdown, CSV, feeds and digests
 * show this; JSON keeps the text as stored and BibTeX its own valid form.
 */
export function displayText(s: string): string {
  // Cleaned again after: TeX spacing commands (`\,`) may leave spaces at the ends.
  return cleanLine(texToPlain(cleanLine(s)));
}

/** A size for people: 64 MiB, 1.5 KiB, 12 bytes. */
export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${+(n / 1024 ** 3).toFixed(1)} GiB`;
  if (n >= 1024 ** 2) return `${+(n / 1024 ** 2).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}
