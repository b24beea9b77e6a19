/**
 * Text that came from the network is untrusted. These helpers normalise it for
 * display and make it safe for a terminal; format-specific escaping lives in render/.
 */

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
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b[PX^_][^\u001b\u009c]*(?:\u001b\\|\u009c)?|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]|\u009d[^\u0007\u009c]*(?:\u0007|\u009c)?/g;
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
const LINE_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
const LINE_CONTROLS = new RegExp(LINE_CONTROL.source, 'g');

/**
 * Text for stderr, as a last line of defence: our SGR colours are kept, every other
 * control (an escape sequence from a server or an argument) is made visible.
 */
export function terminalLine(s: string): string {
  if (!LINE_CONTROL.test(s)) return s;
  return s
    .split(SGR)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(LINE_CONTROLS, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))))
    .join('');
}

/** Lower-case and strip accents: `Müller` and `muller` compare equal. */
export function foldText(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}
